/**
 * validate — check an export before analysing it, reporting every problem (not only the first).
 *
 * Checks: columns the schema or an instrument needs (with the nearest existing name), values that are not
 * numbers in number columns (items, age, expectation), answers outside the instrument's range, duplicate ids,
 * rows with no answers at all — each with its line and column. Exit 1 when there is any problem.
 * A broken record structure (unclosed quote, wrong number of fields) stops the check at that line.
 */
import { flagName } from './flag-name';
import { DataError, nearestNames, shown, words } from '../errors';
import { Dataset, type DataOptions } from '../data/dataset';
import { placeholdersIn, readConfigFile } from '../data/schema';
import { parsePlan, readPlanFile } from '../report/plan';
import type { RecordedFile } from '../io/recorded-file';
import { INVALID, MISSING_CODES, notANumberFix, parseNumber } from '../data/values';
import { Output } from '../io/output';
import { choice, declared, defineCommand, text, type CommandOptions } from './command';
import { ID } from '../analyses/options';
import { DATA_OPTIONS, INPUT_FILE } from './common';
import type { Context } from './context';
import { jsonText, terminalText } from '../text';
import { parseJson } from '../io/json';

const options = {
  format: choice('--format <format>', 'output format', ['table', 'json'], 'table'),
  id: declared(ID, 'the participant id column'),
  plan: text('--plan <file>', 'also check a report plan for the "TODO:" placeholders init leaves'),
};

export const validateCommand = defineCommand({
  name: 'validate',
  summary: 'check an export: missing columns, non-numbers, out-of-range answers, duplicate ids, empty rows',
  arguments: [INPUT_FILE],
  options,
  groups: { data: DATA_OPTIONS },
  examples: [
    'canrelax-analyze validate data.csv',
    "canrelax-analyze validate data.csv --format json | jq '.problems | length'",
    "canrelax-analyze validate data.csv --format json | jq '.problems[] | select(.kind == \"range\")'",
  ],
  run: ({ file }, opts, ctx) => validate(file, opts, ctx),
});

export interface Problem {
  kind: 'missing-column' | 'not-a-number' | 'range' | 'missing-code' | 'duplicate-id' | 'no-answers' | 'placeholder';
  line: number | null;
  column: string | null;
  value: string | null;
  message: string;
}

const SCHEMA_COLUMNS = ['id', 'arm', 'sex', 'age', 'expectation'];
const TABLE_LIMIT = 200;

async function validate(file: string, opts: CommandOptions<typeof options, { data: typeof DATA_OPTIONS }>, ctx: Context): Promise<void> {
  const problems: Problem[] = [];
  const reading: DataOptions = { ...opts.data };
  reading.onMissingColumn = (instrument, column, nearest) =>
    problems.push({
      kind: 'missing-column',
      line: 1,
      column,
      value: null,
      message: `instrument ${instrument} needs column "${column}"${nearest.length ? ` (nearest: ${nearest.join(', ')})` : ''}`,
    });
  // Choices init left open ("TODO: …" in the config or the plan): each one is a problem until filled in.
  const configFile = await readConfigFile(reading.config);
  reading.configFile = configFile;
  const planFile = opts.plan === undefined ? null : await readPlanFile(opts.plan);
  const files = [configFile, planFile];
  for (const recorded of files) {
    if (recorded === null) continue;
    let doc: unknown = null;
    try {
      doc = parseJson(recorded.content);
    } catch {
      // The config's syntax error is reported by reading it (Dataset.open), the plan's by parsePlan, in its words.
      if (recorded !== configFile) parsePlan(recorded.content, recorded.path);
      continue;
    }
    for (const text of placeholdersIn(doc)) {
      problems.push({ kind: 'placeholder', line: null, column: null, value: null, message: `${recorded.path} ${text} — fill it in` });
    }
  }
  const dataset = await Dataset.open(file, reading, ctx);
  const columns = dataset.columns;
  const index = (name: string) => {
    const i = columns.indexOf(name);
    return i >= 0 && i < dataset.inputWidth ? i : -1;
  };
  const defaultSchema = reading.instrument === undefined && dataset.config.instruments === undefined;
  if (defaultSchema) {
    for (const name of SCHEMA_COLUMNS) {
      // A role the config maps to a column of the file (sex → Geschlecht) is there.
      if (index(name) < 0 && index(dataset.config.roles.get(name) ?? name) < 0) {
        const near = nearestNames(name, dataset.input.header);
        problems.push({ kind: 'missing-column', line: 1, column: name, value: null, message: `the CanRelax schema needs column "${name}"${near.length ? ` (nearest: ${near.join(', ')})` : ''}` });
      }
    }
  }
  // Number columns and their ranges: instrument items, then the numeric roles.
  const checks = new Map<number, { min: number; max: number } | null>();
  const items: number[] = [];
  for (const col of dataset.scoring.columns) {
    for (const item of col.items) {
      if (!checks.has(item)) items.push(item);
      checks.set(item, { min: col.min, max: col.max });
    }
  }
  for (const [role, column] of dataset.config.roles) {
    const i = index(column);
    if (role !== 'sex' && i >= 0 && !checks.has(i)) checks.set(i, null);
  }
  const format = dataset.format;
  const idColumn = index(opts.id);
  const seenIds = new Map<string, number>();
  const row = dataset.row;
  const checked = [...checks];
  /** Answers outside the range that exports use as missing codes: code → cells, columns, first line. */
  const codes = new Map<number, { cells: number; columns: Set<string>; first: number }>();
  let read = 0;
  for await (const batch of dataset.input.batches()) {
    for (let r = 0; r < batch.lines.length; r++) {
      read++;
      row.load(batch, r);
      const line = batch.lines[r];
      try {
        if (!dataset.matchesInput(row)) continue;
      } catch (error) {
        if (error instanceof DataError) {
          problems.push({ kind: 'not-a-number', line, column: null, value: null, message: error.shown(flagName).split(',')[0] });
          continue;
        }
        throw error;
      }
      for (const [col, range] of checked) {
        const cell = row.text(col);
        const value = parseNumber(cell, format);
        if (value === INVALID) {
          problems.push({ kind: 'not-a-number', line, column: columns[col], value: cell, message: `"${shown(cell)}" is not a number` });
        } else if (range && value === value && (value < range.min || value > range.max)) {
          // A missing code (-99, 999) is one summary line, not a line per cell.
          const code = MISSING_CODES.includes(value) ? codes.get(value) : undefined;
          if (code !== undefined) {
            code.cells++;
            code.columns.add(columns[col]);
          } else if (MISSING_CODES.includes(value)) codes.set(value, { cells: 1, columns: new Set([columns[col]]), first: line });
          else problems.push({ kind: 'range', line, column: columns[col], value: cell, message: `${shown(cell.trim())} is outside ${range.min}–${range.max}` });
        }
      }
      if (items.length > 0 && items.every((col) => Number.isNaN(parseNumber(row.text(col), format)))) {
        problems.push({ kind: 'no-answers', line, column: null, value: null, message: 'no questionnaire item is answered' });
      }
      if (idColumn >= 0) {
        const id = row.text(idColumn);
        const first = seenIds.get(id);
        if (first !== undefined) {
          problems.push({ kind: 'duplicate-id', line, column: columns[idColumn], value: id, message: `id "${shown(id)}" also on line ${first}` });
        } else seenIds.set(id, line);
      }
    }
  }
  if (read === 0) throw new DataError(`no data rows after the header, ${dataset.input.source}, export the data rows too`);
  for (const [code, { cells, columns: where, first }] of codes) {
    const names = [...where];
    problems.push({
      kind: 'missing-code',
      line: first,
      column: null,
      value: String(code),
      message: `${code} in ${cells} cell${cells === 1 ? '' : 's'} of ${names.slice(0, 3).join(', ')}${names.length > 3 ? `, … (${names.length} columns)` : ''} is outside the items' range and looks like a missing code: if ${code} is a missing code, pass --na ${code}`,
    });
  }

  // Roles the config maps that the plan leaves out: a plan quietly without baseline or expectation is not the analysis meant.
  if (planFile !== null) {
    for (const role of unusedRoles(configFile, planFile)) {
      ctx.warn(`${planFile.path} does not use the role ${role}, which ${configFile!.path} maps to ${shown(dataset.config.roles.get(role) ?? role)}: add it to the plan (x, y, covariates, stratifier or expectation) or drop it from "roles"`);
    }
  }
  const out = Output.open(undefined, null, ctx);
  if (opts.format === 'json') {
    out.write(`${jsonText({ source: dataset.input.source, rows: read, ok: problems.length === 0, problems }, 2)}\n`);
  } else if (problems.length === 0) {
    out.write(`${terminalText(dataset.input.source)}: ${read} rows, ${dataset.inputWidth} columns, no problems found\n`);
  } else {
    for (const p of problems.slice(0, TABLE_LIMIT)) {
      const where = [p.line !== null ? `line ${p.line}` : null, p.column !== null ? `column "${p.column}"` : null].filter(Boolean).join(', ');
      out.write(`${terminalText(where ? `${where}: ${p.message}` : p.message)}\n`);
    }
    if (problems.length > TABLE_LIMIT) out.write(`… and ${problems.length - TABLE_LIMIT} more (all of them with --format json)\n`);
  }
  await out.close();
  if (problems.length > 0) {
    // The likely fix for the cells that are not numbers (a decimal comma, a missing-value label), as correlate gives it.
    const cells = problems.filter((p) => p.kind === 'not-a-number' && p.value !== null).map((p) => p.value!);
    const fix = cells.length > 0 ? notANumberFix(cells.slice(0, 100), format, '', false) : null;
    throw new DataError(words`${problems.length} problem${problems.length === 1 ? '' : 's'} in ${dataset.input.source}, see the list above and fix them${fix !== null && fix.parts.length > 0 ? words`; ${fix}` : ''}`);
  }
}

/** The roles the config's "roles" maps that the plan names nowhere (x, y, covariates, stratifier, expectation). */
function unusedRoles(configFile: RecordedFile | null, planFile: RecordedFile): string[] {
  if (configFile === null) return [];
  let config: { roles?: unknown };
  let plan: Record<string, unknown>;
  try {
    config = parseJson(configFile.content) as { roles?: unknown };
    plan = parseJson(planFile.content) as Record<string, unknown>;
  } catch {
    return []; // reading them reports the syntax error
  }
  if (config === null || typeof config.roles !== 'object' || config.roles === null || plan === null || typeof plan !== 'object') return [];
  const expectation = plan.expectation as { variable?: unknown; covariates?: unknown } | null | undefined;
  const used = new Set(
    [plan.x, plan.y, plan.covariates, plan.stratifier, expectation?.variable, expectation?.covariates].flat().filter((n): n is string => typeof n === 'string'),
  );
  const roles = config.roles as Record<string, unknown>;
  return Object.keys(roles).filter((role) => !used.has(role) && !used.has(String(roles[role])));
}
