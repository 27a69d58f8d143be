/**
 * The process's standard output, without Node's stream machinery when it is not a terminal.
 *
 * Touching `process.stdout` builds a stream (a SyncWriteStream for a file, a net.Socket for a pipe) and loads
 * Node's stream modules: 2–4 ms, a tenth of a short run's own time. When fd 1 is a file, a pipe, a socket or
 * /dev/null, `FdStdout` writes it with fs.writeSync instead. That is what Node itself does there on Linux
 * (files and pipes are written synchronously), so the behaviour is the same:
 * - each write is complete when it returns (a full blocking pipe waits for its reader: back-pressure);
 * - a reader that has gone (`| head`) is reported as the stream reports it, an 'error' event with code EPIPE;
 * - a pipe someone left non-blocking (EAGAIN) gets the rest through process.stdout, which waits for it.
 * A terminal, or any other character device, gets process.stdout itself: it knows its width and colours.
 */
import { fstatSync, statSync, writeSync } from 'node:fs';

type Listener = (...args: any[]) => void;

/** What output is written to: process.stdout, FdStdout, or a stream a test injects. */
export interface TextSink {
  write(chunk: string | Uint8Array): boolean;
  /** 'error' (EPIPE when the reader has gone), 'drain' and 'close' are the events Output listens for. */
  on(event: string, listener: Listener): unknown;
  off(event: string, listener: Listener): unknown;
  isTTY?: boolean;
  columns?: number;
}

export class FdStdout implements TextSink {
  readonly isTTY = false;
  private readonly listeners = new Map<string, Listener[]>();
  /** A write failed (EPIPE, EIO, ENOSPC…): reported once, later writes are dropped, as on a destroyed stream. */
  private failed = false;
  /** process.stdout, once a write would have blocked on a non-blocking pipe: everything after goes there. */
  private stream: TextSink | null = null;

  /** `write` and `fallback` are fs.writeSync and process.stdout; tests pass others. */
  constructor(
    private readonly fd = 1,
    private readonly writeBytes: (fd: number, bytes: Uint8Array, offset: number, length: number) => number = writeSync,
    private readonly fallback: () => TextSink = () => process.stdout,
  ) {}

  write(chunk: string | Uint8Array): boolean {
    if (this.stream !== null) return this.stream.write(chunk);
    if (this.failed) return true;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let at = 0;
    while (at < bytes.length) {
      try {
        at += this.writeBytes(this.fd, bytes, at, bytes.length - at);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EINTR') continue;
        if (code === 'EAGAIN') return this.handOver().write(bytes.subarray(at));
        this.failed = true;
        this.emit('error', error);
        // Nothing is left to wait for: true tells a caller not to wait for 'drain' (the error has been reported).
        return true;
      }
    }
    return true;
  }

  on(event: string, listener: Listener): this {
    if (this.stream !== null) this.stream.on(event, listener);
    else this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  off(event: string, listener: Listener): this {
    if (this.stream !== null) this.stream.off(event, listener);
    else this.listeners.set(event, (this.listeners.get(event) ?? []).filter((l) => l !== listener));
    return this;
  }

  private emit(event: string, value: unknown): void {
    for (const listener of this.listeners.get(event) ?? []) listener(value);
  }

  private handOver(): TextSink {
    const stream = this.fallback();
    for (const [event, listeners] of this.listeners) for (const listener of listeners) stream.on(event, listener);
    this.listeners.clear();
    this.stream = stream;
    return stream;
  }
}

/** FdStdout when fd 1 is a file, pipe, socket or /dev/null; process.stdout otherwise (a terminal). */
export function processStdout(): TextSink {
  try {
    const stat = fstatSync(1);
    if (stat.isFile() || stat.isFIFO() || stat.isSocket()) return new FdStdout(1);
    if (stat.isCharacterDevice() && stat.rdev === statSync('/dev/null').rdev) return new FdStdout(1);
  } catch {
    // fd 1 closed or unreadable: leave it to Node
  }
  return process.stdout;
}
