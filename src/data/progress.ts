/**
 * Progress of a long read on stderr — rows and rows per second, redrawn in place — only when stderr is a
 * terminal and the input is more than a few MB (a file over 8 MB, or stdin), and only once a run has lasted a
 * second. Never in pipes or logs: stderr that is not a TTY gets nothing.
 */
import { statSync } from 'node:fs';
import type { TextSink } from '../io/stdout';

export interface ProgressStreams {
  stderr?: TextSink;
  env?: Record<string, string | undefined>;
}

const LARGE_INPUT = 8 * 1024 * 1024;

export class Progress {
  private readonly start = Date.now();
  private last = 0;
  private shown = false;

  private constructor(
    private readonly stderr: TextSink,
    private readonly afterMs: number,
  ) {}

  /** A progress line for this input, or null when none should be shown. */
  static forInput(path: string, streams: ProgressStreams): Progress | null {
    // The size first: asking stderr whether it is a terminal builds the process.stderr stream (see main.ts).
    if (path !== '-') {
      try {
        if (statSync(path).size <= LARGE_INPUT) return null;
      } catch {
        return null;
      }
    }
    if (streams.stderr?.isTTY !== true) return null;
    // CANRELAX_PROGRESS_AFTER_MS lets tests see the line without a long run.
    const after = Number(streams.env?.CANRELAX_PROGRESS_AFTER_MS ?? 1000);
    return new Progress(streams.stderr, Number.isFinite(after) ? after : 1000);
  }

  update(rows: number): void {
    const now = Date.now();
    if (now - this.start < this.afterMs || now - this.last < 250) return;
    this.last = now;
    this.shown = true;
    const rate = Math.round(rows / Math.max((now - this.start) / 1000, 0.001));
    this.stderr.write(`\r\x1b[Kcanrelax-analyze: ${rows.toLocaleString('en')} rows, ${rate.toLocaleString('en')} rows/s`);
  }

  /** Clears the line, so that what follows on the terminal starts clean. */
  done(): void {
    if (this.shown) this.stderr.write('\r\x1b[K');
  }
}
