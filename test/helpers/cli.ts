/**
 * Runs the CLI in-process with injected streams (fast; what most tests use), or as a real process through
 * bin/canrelax-analyze (the bundled build, for what only a real process shows: exit codes, pipes, stack traces).
 */
import { PassThrough, Readable } from 'node:stream';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { expectClose } from './reference';

export const ROOT = path.resolve(__dirname, '../..');
export const REFERENCE = path.resolve(ROOT, '../shared/reference');
export const BIN = path.join(ROOT, 'bin/canrelax-analyze');
export const EXAMPLE = path.join(ROOT, 'examples/canrelax-synthetic.csv');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  return () => Buffer.concat(chunks).toString('utf8');
}

/** In-process run. `stdin` may be text, a Buffer, or chunks (to split input at chosen points). */
export async function runCli(args: string[], options: { stdin?: string | Buffer | Array<string | Buffer>; env?: Record<string, string> } = {}): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = collect(stdout);
  const err = collect(stderr);
  const input = options.stdin;
  const chunks = input === undefined ? [] : Array.isArray(input) ? input : [input];
  const stdin = Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : c)));
  const code = await main(args, { stdin, stdout, stderr, env: options.env ?? {} });
  stdout.end();
  stderr.end();
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout: out(), stderr: err() };
}

/** Real process through the bundled binary. */
/**
 * A command's JSON output (`--format json` added): an error with its stderr when it fails, and one listing the
 * schema errors when `schema` (an ajv validator) rejects the document.
 */
export async function runJson(args: string[], options: { stdin?: string; schema?: { (doc: unknown): boolean; errors?: unknown } } = {}): Promise<any> {
  const r = await runCli([...args, '--format', 'json'], { stdin: options.stdin });
  if (r.code !== 0) throw new Error(r.stderr);
  const doc = JSON.parse(r.stdout);
  if (options.schema && !options.schema(doc)) throw new Error(JSON.stringify(options.schema.errors));
  return doc;
}

export function runBin(args: string[], options: { input?: string | Buffer; env?: Record<string, string>; shell?: string } = {}): CliResult {
  const env = { PATH: process.env.PATH ?? '', ...options.env };
  if (options.shell !== undefined) {
    const r = spawnSync('bash', ['--noprofile', '--norc', '-c', options.shell], { cwd: ROOT, env, encoding: 'utf8', input: options.input });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  }
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env, encoding: 'utf8', input: options.input, maxBuffer: 1 << 28 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** p-values below 1e-300 are compared by exponent (reference README). */
export function expectCloseP(actual: number | null | undefined, expected: number): void {
  if (expected < 1e-300) {
    expect(Math.abs(Math.log10(actual as number) - Math.log10(expected))).toBeLessThan(1e-6);
  } else expectClose(actual, expected);
}

/** The one-line error convention: a single line, prefixed, no stack trace. */
export function expectOneLineError(result: CliResult, code: number, pattern: RegExp): void {
  expect(result.code).toBe(code);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^canrelax-analyze: /);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}
