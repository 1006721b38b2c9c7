import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP proxy in front of the sandbox. In `hold-writes` mode it forwards a vault write,
 * lets the server apply it, then holds the answer back forever and reports it: a client killed
 * then has had its change stored without ever hearing so, which is the window a crash mid-replay
 * falls into.
 */
export async function holdingProxy(upstream: () => string) {
  let mode: 'pass' | 'hold-writes' = 'pass';
  let onHeld: ((path: string) => void) | undefined;
  const held: ServerResponse[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const target = new URL(req.url ?? '/', upstream());
    const forward = request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
      const isWrite = (req.method === 'PATCH' || req.method === 'DELETE') && target.pathname.includes('/vault/keys/');
      if (mode === 'hold-writes' && isWrite) {
        answer.resume();
        answer.once('end', () => {
          held.push(res);
          onHeld?.(target.pathname);
        });
        return;
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => req.socket.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Holds the next vault write's answer; resolves with its path once the server has applied it. */
    holdNextWrite(): Promise<string> {
      mode = 'hold-writes';
      return new Promise((resolve) => {
        onHeld = (path) => {
          onHeld = undefined;
          resolve(path);
        };
      });
    },
    pass(): void {
      mode = 'pass';
    },
    close: async () => {
      for (const res of held.splice(0)) res.socket?.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
