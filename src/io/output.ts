/**
 * Where results go: stdout, or `--out FILE` written atomically (a temporary file beside it, renamed into place
 * only when the command succeeds, so a failure leaves no half-written file and never touches the input). Every output
 * of every command (--out, --out-dir, --write-imputations, simulate --out, init) is opened here, so all share:
 *
 * - the input guard: a target that is one of the run's inputs (the same file by device and inode, so a symlink or a
 *   hard link is caught too) is refused before anything is computed;
 * - checked writes: write(2) may write fewer bytes than asked (a full disk writes what fits, then fails with ENOSPC);
 *   the rest is written again until all are, and a write that makes no progress or fails is an error (exit 1), the
 *   temporary file removed and the previous output kept;
 * - targets that are not regular files (a character device such as /dev/null, a FIFO, a socket) are written through,
 *   as a shell's `>` does: renaming a temporary file over them would replace the node itself.
 *
 * Pipes: when the reader goes away (`| head`), stdout reports EPIPE; we stop producing output and end with
 * exit 0 and nothing on stderr (`PipeClosed`). Writes are buffered per batch and wait for 'drain', so a slow
 * consumer holds memory flat instead of queueing the whole file.
 *
 * Interrupts: while a file is being written, Ctrl-C (SIGINT), SIGTERM, SIGHUP (the terminal closed) or SIGPIPE
 * removes its temporary file and ends the process with 130, 143, 129 or 141 (128 + the signal's number, as shells
 * report it): no temporary and no half-written output.
 */
import { accessSync, closeSync, constants, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CliError, option, UsageError, words, type OptionName } from '../errors';
import type { TextSink } from './stdout';

/** The reader of our stdout has gone away: stop quietly, exit 0. */
export class PipeClosed extends Error {
  constructor() {
    super('output pipe closed');
    this.name = 'PipeClosed';
  }
}

/** write(2) as fs.writeSync(fd, buffer, offset, length) calls it: the number of bytes written. */
export type WriteBytes = (fd: number, bytes: Uint8Array, offset: number, length: number) => number;

export interface OutputStreams {
  stdout: TextSink;
  /** How a file's bytes are written: fs.writeSync, or in a test a writer that stops short (a full disk). */
  writeBytes?: WriteBytes;
}

/** The paths a run reads (null, undefined and `-` for stdin are skipped): an output may be none of them. */
export type InputPaths = string | null | readonly (string | null | undefined)[];

/**
 * The input among `inputs` that `target` is, by device and inode (a symlink or hard link to it included), or null;
 * null too when the target does not exist yet.
 */
export function inputAt(target: string, inputs: InputPaths): string | null {
  let at;
  try {
    at = statSync(target);
  } catch {
    return null;
  }
  for (const input of typeof inputs === 'string' || inputs === null ? [inputs] : inputs) {
    if (input === null || input === undefined || input === '-') continue;
    try {
      const s = statSync(input);
      if (s.dev === at.dev && s.ino === at.ino) return input;
    } catch {
      // not there (a path that failed to read has already said so)
    }
  }
  return null;
}

const FLUSH_AT = 1 << 16;

/** Files being written now: what an interrupt must remove. The handlers are installed only while there are any. */
const writing = new Set<Output>();
/** 128 + the signal's number (signal(7) on Linux: HUP 1, INT 2, PIPE 13, TERM 15), as shells report a signal. */
const EXIT_ON = { SIGHUP: 129, SIGINT: 130, SIGPIPE: 141, SIGTERM: 143 } as const;
type Interrupt = keyof typeof EXIT_ON;

function onInterrupt(signal: Interrupt): void {
  // SIGPIPE between files (see track): ignored, as Node ignores it; the write that met the closed pipe reports EPIPE.
  if (writing.size === 0) return;
  for (const output of [...writing]) output.abort();
  // Nothing is left to flush: the output was a file, now removed. stderr is a blocking write on Linux.
  process.exit(EXIT_ON[signal]);
}
// SIGPIPE is a POSIX signal: on Windows a closed pipe is only an EPIPE, and there is nothing to listen for.
const interruptHandlers = Object.fromEntries(
  Object.keys(EXIT_ON)
    .filter((signal) => signal !== 'SIGPIPE' || process.platform !== 'win32')
    .map((signal) => [signal, () => onInterrupt(signal as Interrupt)]),
);

/**
 * The handlers are on while files are being written. SIGPIPE's stays once installed: Node ignores SIGPIPE, and
 * removing the last listener would give it back its default action (libuv restores SIG_DFL), so a later write to a
 * closed stdout (`| head`) would kill the process instead of ending it quietly on EPIPE.
 */
function track(output: Output, live: boolean): void {
  const before = writing.size;
  if (live) writing.add(output);
  else writing.delete(output);
  const handlers = Object.entries(interruptHandlers);
  if (before === 0 && writing.size > 0) {
    for (const [signal, handler] of handlers) if (!process.listeners(signal as Interrupt).includes(handler)) process.on(signal, handler);
  }
  if (before > 0 && writing.size === 0) for (const [signal, handler] of handlers) if (signal !== 'SIGPIPE') process.off(signal, handler);
}

/**
 * Makes `folder` and its missing parents one level at a time, for a flag (`--out-dir`); returns those it made,
 * outermost first, for `removeFolders` if the run fails. Each level fails at once with a one-line error (Node's
 * recursive mkdir retries for ever on some paths, such as under /proc).
 */
export function makeFolder(folder: string, flag: OptionName): string[] {
  const missing: string[] = [];
  let at = resolve(folder);
  while (!existsSync(at)) {
    missing.unshift(at);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  const fail = (code: string) => new UsageError(words`cannot create ${flag} ${folder} (${code}), check the path and its permissions`);
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

/** A target that exists and is neither a regular file nor a folder: written through, never renamed over. */
function isNode(path: string): boolean {
  try {
    const s = statSync(path);
    return !s.isFile() && !s.isDirectory();
  } catch {
    return false;
  }
}

/**
 * Writes all of `bytes` to `fd`, `before` bytes already being in the file: again after a short write; an error when a
 * write fails or makes no progress (reported as ENOSPC, naming where the file stopped). Returns the file's new length.
 */
function writeAll(fd: number, bytes: Uint8Array, writeBytes: WriteBytes, before: number): number {
  let at = 0;
  while (at < bytes.length) {
    let n: number;
    try {
      n = writeBytes(fd, bytes, at, bytes.length - at);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EINTR') continue;
      throw error;
    }
    if (!(n > 0)) throw Object.assign(new Error(`short write: nothing more written after ${before + at} bytes`), { code: 'ENOSPC' });
    at += n;
  }
  return before + at;
}

export class Output {
  /** Text, or bytes (a binary figure or document). */
  private parts: (string | Uint8Array)[] = [];
  private size = 0;
  private closedPipe = false;
  private failure: Error | null = null;
  private fd: number | null = null;
  /** The temporary file beside the target, or null (stdout, or a target written through). */
  private readonly tempPath: string | null;
  /** The target is a device, FIFO or socket: opened and written in place. */
  private readonly through: boolean;
  /** The temporary file has become the target (or a target written through is closed). */
  private renamed = false;
  private readonly writeBytes: WriteBytes;
  /** Bytes in the file so far. */
  private written = 0;

  private constructor(
    private readonly stream: TextSink | null,
    private readonly target: string | null,
    writeBytes: WriteBytes | undefined,
  ) {
    this.writeBytes = writeBytes ?? writeSync;
    this.through = target !== null && isNode(target);
    if (target !== null && !this.through) {
      this.tempPath = join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now()}.tmp`);
      // A place that cannot be written fails now, before any work. The temporary file itself (and the interrupt
      // handlers that remove it) wait for the first bytes: while a command computes, Ctrl-C ends it at once, with
      // nothing to clean up (a handler could not run during a long synchronous computation such as a bootstrap).
      // The probe has a name of its own: only the real temporary file (made after the handlers) is one an
      // interrupt must find and remove, and a watcher of the folder never mistakes the probe for it.
      const probe = `${this.tempPath.slice(0, -'.tmp'.length)}.probe`;
      try {
        closeSync(openSync(probe, 'w'));
        unlinkSync(probe);
      } catch (error) {
        throw this.cannotOpen(error);
      }
    } else {
      this.tempPath = null;
      // A FIFO is opened at the first bytes (opening waits for its reader), a device or socket too, as one.
      if (target === null) {
        stream!.on('error', (error: NodeJS.ErrnoException) => {
          if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') this.closedPipe = true;
          else this.failure = error;
        });
      }
    }
  }

  /**
   * stdout, or an atomic file; `inputs` (the run's input paths) guard against overwriting what is read. `flag` names
   * the target in messages.
   */
  static open(outPath: string | undefined, inputs: InputPaths, streams: OutputStreams, flag: OptionName = option('out')): Output {
    if (outPath === undefined || outPath === '-') return new Output(streams.stdout, null, undefined);
    let isFolder = false;
    try {
      isFolder = statSync(outPath).isDirectory();
    } catch {
      // not there yet: the usual case
    }
    if (isFolder) throw new UsageError(words`${flag} ${outPath} is a folder, give a file name for the results`);
    if (inputAt(outPath, inputs) !== null) throw new UsageError(words`${flag} ${outPath} is the input file, write the results to another file`);
    return new Output(null, resolve(outPath), streams.writeBytes);
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
    if (this.target !== null) {
      const fd = this.openFile();
      try {
        this.written = writeAll(fd, typeof text === 'string' ? Buffer.from(text, 'utf8') : text, this.writeBytes, this.written);
      } catch (error) {
        this.abort();
        // A FIFO (or --out /dev/stdout into a pipe) whose reader has gone: stop quietly, as on stdout.
        if (this.through && (error as NodeJS.ErrnoException).code === 'EPIPE') throw new PipeClosed();
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

  /** The reader went away (PipeClosed) or the output failed (disk full, I/O error): an error naming it (exit 1). */
  private throwIfFailed(): void {
    if (this.closedPipe) throw new PipeClosed();
    if (this.failure) throw new CliError(`cannot write the output (${this.failure.message}), check where it goes`, 1);
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

  /**
   * The temporary file (or the target written through), opened at the first bytes (or at close, for an empty output);
   * a target that cannot be opened (ENXIO for a socket) is a one-line error, with nothing left behind.
   */
  private openFile(): number {
    if (this.fd === null) {
      // The handlers first: a signal between creating the file and installing them would leave it behind.
      track(this, true);
      try {
        this.fd = openSync(this.tempPath ?? this.target!, 'w');
      } catch (error) {
        this.abort();
        throw this.cannotOpen(error);
      }
    }
    return this.fd;
  }

  /** Success: everything written; a file is synced and renamed into place (a target written through is closed). */
  async close(): Promise<void> {
    await this.flush(true);
    if (this.target === null || this.renamed) return;
    const fd = this.openFile();
    try {
      // A device or FIFO has nothing to sync (fsync fails there with EINVAL).
      if (!this.through) fsyncSync(fd);
      closeSync(fd);
      this.fd = null;
      if (!this.through) renameSync(this.tempPath!, this.target);
      this.renamed = true;
      track(this, false);
    } catch (error) {
      // The temporary file must not outlive a failed run, whichever step failed.
      this.abort();
      throw this.cannotWrite(error);
    }
  }

  /** Failure: a file being written is removed (a target written through keeps what reached it); stdout keeps what was written (see README). */
  abort(): void {
    if (this.target === null || this.renamed) return;
    track(this, false);
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // closing is all that is left to try
      }
      this.fd = null;
    }
    if (this.tempPath === null) return;
    try {
      unlinkSync(this.tempPath);
    } catch {
      // already gone
    }
  }

  /** The target cannot be opened (a missing folder, no permission): the command line is wrong (exit 2). */
  private cannotOpen(error: unknown): UsageError {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return new UsageError(`cannot write ${this.target} (${code}), check the folder exists and is writable`);
  }

  /** Writing failed part-way (a full disk, an I/O error): exit 1, the previous output kept. */
  private cannotWrite(error: unknown): CliError {
    const e = error as NodeJS.ErrnoException;
    const code = e.code ?? String(error);
    const full = code === 'ENOSPC' || code === 'EDQUOT';
    const what = e.message?.startsWith('short write') ? `${code}: ${e.message.slice('short write: '.length)}` : code;
    const kept = this.tempPath !== null ? `, the previous ${basename(this.target!)} (if any) is kept` : '';
    return new CliError(`cannot write ${this.target} (${what})${kept}, ${full ? 'free some space on its disk' : 'check the disk and the folder'}`, 1);
  }
}
