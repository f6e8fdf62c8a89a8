// Progress of a bulk run on stderr: a bar (cli-progress) on a terminal, a plain line every few
// seconds otherwise (logs, CI), so piped output never carries cursor movements.
import cliProgress from 'cli-progress';
import type { CliIo } from '../io.js';

export interface Progress {
  update(done: number, failed: number): void;
  stop(): void;
}

export function createProgress(
  io: Pick<CliIo, 'stderr' | 'stderrIsTTY' | 'env'>,
  label: string,
  total: number,
  start: number,
): Progress {
  if (io.stderrIsTTY && io.env.CMS_PROGRESS !== 'plain') {
    // cli-progress draws on a stream; this one hands its text to the CLI's stderr.
    const stream = {
      isTTY: true,
      columns: Number(io.env.COLUMNS) || process.stderr.columns || 80,
      write: (text: string) => {
        io.stderr(text);
        return true;
      },
      cursorTo: (x: number) => io.stderr(`\u001b[${x + 1}G`),
      moveCursor: () => true,
      clearLine: () => io.stderr('\u001b[2K'),
      clearScreenDown: () => io.stderr('\u001b[0J'),
      on: () => stream,
      removeListener: () => stream,
    };
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {value}/{total} | {failed} failed | {rate}/s | eta {eta_formatted}`,
        stream: stream as unknown as NodeJS.WritableStream,
        hideCursor: true,
        clearOnComplete: false,
        fps: 10,
        noTTYOutput: false,
      },
      cliProgress.Presets.shades_classic,
    );
    const began = Date.now();
    bar.start(total, start, { failed: 0, rate: 0 });
    return {
      update: (done, failed) =>
        bar.update(done, { failed, rate: Math.round((done - start) / Math.max(0.001, (Date.now() - began) / 1000)) }),
      stop: () => bar.stop(),
    };
  }
  const interval = Number(io.env.CMS_PROGRESS_INTERVAL_MS) || 2000;
  let last = Date.now();
  let current = { done: start, failed: 0 };
  const line = () => `${label}: ${current.done}/${total} done, ${current.failed} failed\n`;
  return {
    update(done, failed) {
      current = { done, failed };
      if (Date.now() - last >= interval) {
        last = Date.now();
        io.stderr(line());
      }
    },
    stop() {},
  };
}
