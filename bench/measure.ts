// Timing helpers for the benchmarks: every figure is the median of several runs, and every result is
// printed beside a baseline measured in the same run on the same machine.

export async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export const ms = (value: number): string => (value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${value.toFixed(value < 10 ? 2 : 0)} ms`);

export function report(title: string, ours: { label: string; ms: number }, baseline: { label: string; ms: number; note?: string }): void {
  const ratio = baseline.ms / ours.ms;
  process.stdout.write(
    `\n${title}\n` +
      `  ours:     ${ours.label.padEnd(72)} ${ms(ours.ms).padStart(10)}\n` +
      `  baseline: ${baseline.label.padEnd(72)} ${ms(baseline.ms).padStart(10)}${baseline.note ? `  (${baseline.note})` : ''}\n` +
      `  ratio:    baseline / ours = ${ratio.toFixed(ratio < 10 ? 2 : 0)}×${ratio < 1 ? ' (ours is slower)' : ''}\n`,
  );
}
