/** Options shared by the data commands, declared once. */
import { Command, Option } from 'commander';
import type { DataOptions } from '../data/dataset';
import { UsageError } from '../errors';

export const DATA_OPTIONS_HELP = `
Reading options (every data command):
  Input is a CSV path or - for stdin; UTF-8 with or without BOM, LF or CRLF line ends.
  Missing by default: empty, NA, N/A, NaN, "." — a blank cell is missing, never 0.
  --where "arm=app,age>=18" keeps rows where every condition holds (= != < <= > >=).`;

export function addDataOptions(command: Command): Command {
  return command
    .option('--delimiter <d>', 'field delimiter: "," ";" or tab (default: .tsv means tab, else read off the header)')
    .option('--decimal <mark>', 'decimal mark: "." (default) or ","')
    .option('--na <codes>', 'extra missing-value codes, comma-separated, e.g. -99,-999')
    .option('--where <filter>', 'keep rows that match, e.g. "arm=app,age>=18"')
    .option('--config <file>', 'roles, item mapping and defaults (default: ./canrelax.config.json if present)')
    .option('--map <pairs>', 'item columns under other names, COLUMN=ITEM,… e.g. WAI4_01=wai_1')
    .option('--instrument <id|file>', 'instrument to score: wai, phqads or a .json definition (repeatable)', collect, undefined)
    .option('--min-answered <fraction>', 'override every instrument\'s threshold of answered items, in (0, 1]')
    .addOption(new Option('--out-of-range <policy>', 'answers outside the instrument\'s range').choices(['error', 'missing']).default('error'))
    // Reader chunk size, for tests that show results do not depend on it.
    .addOption(new Option('--chunk-size <bytes>').hideHelp().argParser((v) => Number.parseInt(v, 10)));
}

export function addGlobalOptions(command: Command): Command {
  return command.option('--no-color', 'no colour (also when NO_COLOR is set or output is not a terminal)').option('--debug', 'show stack traces of internal errors')
    .option('--quiet', 'no progress lines on stderr (they appear only on a terminal, for waits over a second)');
}

/** Commander accumulator for repeatable options. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** A comma-separated flag value as a list of names, blanks dropped. */
export function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** --ref COLUMN=LEVEL (repeatable) as a map. */
export function parseRef(pairs: string[] | undefined): Map<string, string> {
  const ref = new Map<string, string>();
  for (const pair of pairs ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0 || at === pair.length - 1) throw new UsageError(`--ref takes COLUMN=LEVEL, got "${pair}", e.g. --ref sex=male`);
    ref.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
  return ref;
}

/** --ci as a level strictly between 0 and 1. */
export function parseCiLevel(value: unknown): number {
  const ci = Number(value ?? '0.95');
  if (!(ci > 0 && ci < 1)) throw new UsageError(`--ci must be a level between 0 and 1, e.g. 0.95, got "${value}"`);
  return ci;
}

/** The DataOptions part of a command's parsed options. */
export function dataOptions(opts: Record<string, unknown>): DataOptions {
  return {
    delimiter: opts.delimiter as string | undefined,
    decimal: opts.decimal as string | undefined,
    na: opts.na as string | undefined,
    where: opts.where as string | undefined,
    config: opts.config as string | undefined,
    map: opts.map as string | undefined,
    instrument: opts.instrument as string[] | undefined,
    minAnswered: opts.minAnswered as string | undefined,
    outOfRange: opts.outOfRange as string | undefined,
    chunkSize: opts.chunkSize as number | undefined,
  };
}
