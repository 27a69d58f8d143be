/**
 * What a command runs against: its streams and environment (injected in tests), the colour decision made
 * once, and warnings on stderr. Colour is on only when stdout is a TTY, NO_COLOR is unset and --no-color is
 * not given; chalk and cli-table3 both take this one decision (neither reads NO_COLOR on its own).
 */
import type { Readable } from 'node:stream';
import { oneLine, shownWith, type Words } from '../errors';
import { flagName } from './flag-name';
import type { TextSink } from '../io/stdout';

export interface Io {
  stdin: Readable;
  stdout: TextSink;
  stderr: TextSink;
  env: Record<string, string | undefined>;
}

export interface Context extends Io {
  debug: boolean;
  color: boolean;
  /** The terminal's width for tables (render/table.ts fits them to it); null in a pipe or a file. */
  width: number | null;
  /** --quiet: no progress lines on stderr. */
  quiet: boolean;
  /** One warning line on stderr; options it names by key are named as flags. */
  warn(message: string | Words): void;
}

export function makeContext(io: Io, flags: { color?: boolean; debug?: boolean; quiet?: boolean }): Context {
  const color = flags.color !== false && !io.env.NO_COLOR && io.stdout.isTTY === true;
  return {
    // stdin and stderr stay getters: touching process.stdin or process.stderr costs a stream (see main.ts processIo).
    get stdin() {
      return io.stdin;
    },
    stdout: io.stdout,
    get stderr() {
      return io.stderr;
    },
    env: io.env,
    debug: flags.debug === true,
    color,
    width: io.stdout.isTTY === true && (io.stdout.columns ?? 0) > 0 ? io.stdout.columns! : null,
    quiet: flags.quiet === true,
    warn: (message: string | Words) => {
      io.stderr.write(`canrelax-analyze: warning: ${oneLine(shownWith(message, flagName))}\n`);
    },
  };
}
