/**
 * Progress lines on stderr, redrawn in place, for the waits a user can see: reading a large input (percent of the
 * file's bytes and an ETA; rows and rows per second from stdin, whose size is unknown) and long compute phases
 * (`forPhase`: the bootstrap's resamples, a report's steps — done of total, percent, ETA).
 *
 * Only when stderr is a terminal, `--quiet` is not given, and a run has lasted a second (a line that would flash
 * for a moment is noise); never in pipes or logs: stderr that is not a TTY gets nothing. The line is cleared when
 * the work ends, so that what follows (results, or a one-line error) starts at the left.
 * ETA = elapsed × (total − done) / done: the rate so far, assumed to hold.
 */
import { statSync } from 'node:fs';
import type { TextSink } from '../io/stdout';

export interface ProgressStreams {
  stderr?: TextSink;
  env?: Record<string, string | undefined>;
  /** --quiet: no progress at all. */
  quiet?: boolean;
}

const LARGE_INPUT = 8 * 1024 * 1024;
/** Redraws at most this often. */
const REDRAW_MS = 250;

export class Progress {
  private readonly start = Date.now();
  private last = 0;
  private shown = false;

  private constructor(
    private readonly stderr: TextSink,
    private readonly afterMs: number,
    /** What is being waited for, e.g. "bootstrap r(task, distress)". */
    private readonly label: string,
    /** Bytes in the input file, when reading one. */
    private readonly totalBytes: number | null = null,
  ) {}

  /** A progress line for reading this input, or null when none should be shown. */
  static forInput(path: string, streams: ProgressStreams): Progress | null {
    // The size first: asking stderr whether it is a terminal builds the process.stderr stream (see main.ts).
    let size: number | null = null;
    if (path !== '-') {
      try {
        size = statSync(path).size;
      } catch {
        return null;
      }
      if (size <= LARGE_INPUT) return null;
    }
    const stderr = terminal(streams);
    return stderr ? new Progress(stderr, delay(streams), 'reading', size) : null;
  }

  /** A progress line for a long compute phase, or null when none should be shown; `advance` draws it. */
  static forPhase(label: string, streams: ProgressStreams): Progress | null {
    const stderr = terminal(streams);
    return stderr ? new Progress(stderr, delay(streams), label) : null;
  }

  /** Reading: rows so far and, from a file, the bytes read of its size. */
  update(rows: number, bytes?: number): void {
    const now = this.due();
    if (now === null) return;
    const rowText = `${rows.toLocaleString('en')} rows`;
    if (this.totalBytes !== null && bytes !== undefined) {
      this.draw(`${this.label} ${percent(bytes, this.totalBytes)} of ${megabytes(this.totalBytes)}, ${rowText}${this.eta(now, bytes, this.totalBytes)}`);
    } else {
      const rate = Math.round(rows / Math.max((now - this.start) / 1000, 0.001));
      this.draw(`${rowText}, ${rate.toLocaleString('en')} rows/s`);
    }
  }

  /** A compute phase: `done` of `total` `unit` (e.g. resamples, steps). */
  advance(done: number, total: number, unit: string): void {
    const now = this.due();
    if (now === null) return;
    this.draw(`${this.label}: ${done.toLocaleString('en')} of ${total.toLocaleString('en')} ${unit} (${percent(done, total)})${this.eta(now, done, total)}`);
  }

  /** Clears the line, so that what follows on the terminal starts clean. */
  done(): void {
    if (this.shown) this.stderr.write('\r\x1b[K');
    this.shown = false;
  }

  /** The time now when a redraw is due, else null. */
  private due(): number | null {
    const now = Date.now();
    if (now - this.start < this.afterMs || now - this.last < REDRAW_MS) return null;
    this.last = now;
    return now;
  }

  private eta(now: number, done: number, total: number): string {
    if (!(done > 0) || done >= total) return '';
    const seconds = Math.ceil(((now - this.start) / 1000) * ((total - done) / done));
    return `, ETA ${seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`}`;
  }

  private draw(text: string): void {
    this.shown = true;
    this.stderr.write(`\r\x1b[Kcanrelax-analyze: ${text}`);
  }
}

function terminal(streams: ProgressStreams): TextSink | null {
  return streams.quiet !== true && streams.stderr?.isTTY === true ? streams.stderr : null;
}

/** CANRELAX_PROGRESS_AFTER_MS lets tests see the line without a long run. */
function delay(streams: ProgressStreams): number {
  const after = Number(streams.env?.CANRELAX_PROGRESS_AFTER_MS ?? 1000);
  return Number.isFinite(after) ? after : 1000;
}

function percent(done: number, total: number): string {
  return `${Math.min(100, Math.floor((100 * done) / Math.max(total, 1)))}%`;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toLocaleString('en', { maximumFractionDigits: 0 })} MB`;
}
