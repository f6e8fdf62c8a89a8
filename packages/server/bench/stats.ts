// Latency sampling and formatting shared by the benchmarks.
import { performance } from 'node:perf_hooks';

export interface Summary {
  p50: number;
  p99: number;
  n: number;
}

export async function sample(n: number, fn: (i: number) => Promise<unknown>): Promise<Summary> {
  const times: number[] = [];
  for (let i = 0; i < Math.min(20, n); i++) await fn(i); // warm caches and JIT
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { p50: at(0.5), p99: at(0.99), n };
}

export const ms = (x: number) => `${x.toFixed(2)} ms`;

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n');
}
