import { spawn } from 'node:child_process';

// curl as the baseline for storing a file: the same body sent by a bare client. Two times from one
// run: when curl's process ends (it has read the whole answer, which echoes the stored value back),
// and when the answer's status line arrives (the body is sent and stored; the app stops there and
// leaves the echo unread). Without `Expect: 100-continue`, curl's default for large bodies, which
// neither the app nor a browser sends: its extra round trip would count against curl.

export interface CurlRun {
  /** The final status, e.g. "201". */
  status: string;
  /** The whole run, the echoed answer read to its end. */
  ms: number;
  /** Until the answer's status line. */
  answerMs: number;
  stderr: string;
}

/** Runs `curl <args>`, or `<wrap…> curl <args>` (e.g. /usr/bin/time for curl's peak memory). */
export function curl(args: string[], wrap: string[] = []): Promise<CurlRun> {
  const command = [...wrap, 'curl', '-s', '-o', '/dev/null', '-D', '-', '-H', 'Expect:', ...args];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let headers = '';
    let stderr = '';
    let status = '';
    let answerMs = NaN;
    child.stdout.on('data', (chunk) => {
      headers += String(chunk);
      // The final status line (a 100 Continue would come first, if curl ever sent Expect).
      const match = /^HTTP\/[\d.]+ ([2-5]\d\d)/m.exec(headers);
      if (match && !status) {
        answerMs = performance.now() - started;
        status = match[1]!;
      }
    });
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.once('error', reject);
    child.once('exit', () => resolve({ status, ms: performance.now() - started, answerMs, stderr }));
  });
}
