/**
 * Where results go: stdout, or `--out FILE` written atomically (a temporary file beside it, renamed into place
 * only when the command succeeds, so a failure leaves no half-written file and never touches the input).
 *
 * Pipes: when the reader goes away (`| head`), stdout reports EPIPE; we stop producing output and end with
 * exit 0 and nothing on stderr (`PipeClosed`). Writes are buffered per batch and wait for 'drain', so a slow
 * consumer holds memory flat instead of queueing the whole file.
 *
 * Interrupts: while a file is being written, Ctrl-C (SIGINT) or SIGTERM removes its temporary file and ends the
 * process with 130 or 143 (128 + the signal's number, as shells report it): no temporary and no half-written output.
 */
import { accessSync, closeSync, constants, existsSync, fsyncSync, mkdirSync, openSync, realpathSync, renameSync, rmdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors';
import type { TextSink } from './stdout';

/** The reader of our stdout has gone away: stop quietly, exit 0. */
export class PipeClosed extends Error {
  constructor() {
    super('output pipe closed');
    this.name = 'PipeClosed';
  }
}

export interface OutputStreams {
  stdout: TextSink;
}

const FLUSH_AT = 1 << 16;

/** Files being written now: what an interrupt must remove. The handlers are installed only while there are any. */
const writing = new Set<Output>();
const EXIT_ON: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };

function onInterrupt(signal: 'SIGINT' | 'SIGTERM'): void {
  for (const output of [...writing]) output.abort();
  // Nothing is left to flush: the output was a file, now removed. stderr is a blocking write on Linux.
  process.exit(EXIT_ON[signal]);
}
const interruptHandlers = { SIGINT: () => onInterrupt('SIGINT'), SIGTERM: () => onInterrupt('SIGTERM') };

function track(output: Output, live: boolean): void {
  const before = writing.size;
  if (live) writing.add(output);
  else writing.delete(output);
  if (before === 0 && writing.size > 0) for (const [signal, handler] of Object.entries(interruptHandlers)) process.on(signal, handler);
  if (before > 0 && writing.size === 0) for (const [signal, handler] of Object.entries(interruptHandlers)) process.off(signal, handler);
}

/**
 * Makes `folder` and its missing parents one level at a time, for a flag (`--out-dir`); returns those it made,
 * outermost first, for `removeFolders` if the run fails. Each level fails at once with a one-line error (Node's
 * recursive mkdir retries for ever on some paths, such as under /proc).
 */
export function makeFolder(folder: string, flag: string): string[] {
  const missing: string[] = [];
  let at = resolve(folder);
  while (!existsSync(at)) {
    missing.unshift(at);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  const fail = (code: string) => new UsageError(`cannot create ${flag} ${folder} (${code}), check the path and its permissions`);
  if (!statSync(at).isDirectory()) throw fail('ENOTDIR');
  try {
    accessSync(at, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw fail((error as NodeJS.ErrnoException).code ?? 'EACCES');
  }
  const made: string[] = [];
  for (const dir of missing) {
    try {
      mkdirSync(dir);
      made.push(dir);
    } catch (error) {
      removeFolders(made);
      throw fail((error as NodeJS.ErrnoException).code ?? String(error));
    }
  }
  return made;
}

/** Removes folders `makeFolder` made, innermost first, while they are empty. */
export function removeFolders(made: string[]): void {
  for (const dir of [...made].reverse()) {
    try {
      rmdirSync(dir);
    } catch {
      return; // not empty (or gone): leave it and its parents
    }
  }
}

export class Output {
  /** Text, or bytes (a binary figure or document). */
  private parts: (string | Uint8Array)[] = [];
  private size = 0;
  private closedPipe = false;
  private failure: Error | null = null;
  private fd: number | null = null;
  private readonly tempPath: string | null;
  /** The temporary file has become the target. */
  private renamed = false;

  private constructor(
    private readonly stream: TextSink | null,
    private readonly target: string | null,
  ) {
    if (target !== null) {
      this.tempPath = join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now()}.tmp`);
      // A place that cannot be written fails now, before any work. The temporary file itself (and the interrupt
      // handlers that remove it) wait for the first bytes: while a command computes, Ctrl-C ends it at once, with
      // nothing to clean up (a handler could not run during a long synchronous computation such as a bootstrap).
      try {
        closeSync(openSync(this.tempPath, 'w'));
        unlinkSync(this.tempPath);
      } catch (error) {
        throw this.cannotWrite(error);
      }
    } else {
      this.tempPath = null;
      stream!.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') this.closedPipe = true;
        else this.failure = error;
      });
    }
  }

  /** stdout, or an atomic file; `inputPath` guards against overwriting the data being read. */
  static open(outPath: string | undefined, inputPath: string | null, streams: OutputStreams): Output {
    if (outPath === undefined || outPath === '-') return new Output(streams.stdout, null);
    let isFolder = false;
    try {
      isFolder = statSync(outPath).isDirectory();
    } catch {
      // not there yet: the usual case
    }
    if (isFolder) throw new UsageError(`--out ${outPath} is a folder, give a file name for the results`);
    if (inputPath !== null && inputPath !== '-' && existsSync(inputPath) && existsSync(outPath)) {
      if (realpathSync(inputPath) === realpathSync(outPath)) {
        throw new UsageError(`--out ${outPath} is the input file, write the results to another file`);
      }
    }
    return new Output(null, resolve(outPath));
  }

  get closed(): boolean {
    return this.closedPipe;
  }

  write(text: string | Uint8Array): void {
    this.parts.push(text);
    this.size += text.length;
  }

  /** Hands buffered text on; waits while the pipe is full. Throws PipeClosed once the reader has gone. */
  async flush(force = false): Promise<void> {
    this.throwIfFailed();
    if (this.size === 0 || (!force && this.size < FLUSH_AT)) return;
    const parts = this.parts;
    const text = parts.length === 1 ? parts[0] : parts.every((p) => typeof p === 'string') ? parts.join('') : Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
    this.parts = [];
    this.size = 0;
    if (this.tempPath !== null) {
      try {
        const fd = this.openFile();
        if (typeof text === 'string') writeSync(fd, text);
        else writeSync(fd, text);
      } catch (error) {
        this.abort();
        throw this.cannotWrite(error);
      }
      return;
    }
    const stream = this.stream!;
    const ok = stream.write(text);
    if (!ok && !this.closedPipe) {
      await new Promise<void>((done) => {
        const finish = () => {
          stream.off('drain', finish);
          stream.off('error', finish);
          stream.off('close', finish);
          done();
        };
        stream.on('drain', finish);
        stream.on('error', finish);
        stream.on('close', finish);
      });
    }
    this.throwIfFailed();
  }

  /** The reader went away (PipeClosed) or the output failed (disk full, I/O error): a usage error naming it. */
  private throwIfFailed(): void {
    if (this.closedPipe) throw new PipeClosed();
    if (this.failure) throw new UsageError(`cannot write the output (${this.failure.message}), check where it goes`);
  }

  /**
   * Runs `produce` (which writes into this output), then closes it; if anything fails, a file being written is
   * removed (abort) and the error goes on. Every command writes its output this way.
   */
  async complete(produce: () => unknown): Promise<void> {
    try {
      await produce();
      await this.close();
    } catch (error) {
      this.abort();
      throw error;
    }
  }

  /** The temporary file, opened at the first bytes (or at close, for an empty output). */
  private openFile(): number {
    if (this.fd === null) {
      // The handlers first: a signal between creating the file and installing them would leave it behind.
      track(this, true);
      try {
        this.fd = openSync(this.tempPath!, 'w');
      } catch (error) {
        track(this, false);
        throw error;
      }
    }
    return this.fd;
  }

  /** Success: everything written; a file is synced and renamed into place. */
  async close(): Promise<void> {
    await this.flush(true);
    if (this.tempPath !== null && !this.renamed) {
      try {
        const fd = this.openFile();
        fsyncSync(fd);
        closeSync(fd);
        this.fd = null;
        renameSync(this.tempPath!, this.target!);
        this.renamed = true;
        track(this, false);
      } catch (error) {
        // The temporary file must not outlive a failed run, whichever step failed.
        this.abort();
        throw this.cannotWrite(error);
      }
    }
  }

  /** Failure: a file being written is removed; stdout keeps what was written (see README). */
  abort(): void {
    if (this.tempPath === null || this.renamed) return;
    track(this, false);
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // closing is all that is left to try
      }
      this.fd = null;
    }
    try {
      unlinkSync(this.tempPath);
    } catch {
      // already gone
    }
  }

  private cannotWrite(error: unknown): UsageError {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return new UsageError(`cannot write ${this.target} (${code}), check the folder exists and is writable`);
  }
}
