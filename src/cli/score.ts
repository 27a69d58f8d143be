/**
 * score — add questionnaire scores to an export, or summarise them.
 *
 * Streams: rows in, rows out, constant memory. Output = the input's columns, cells as they came, followed by the
 * score columns (<instrument>_<subscale>[_<time point>]). With no --instrument, every built-in whose items are
 * in the file is scored (on a CanRelax export: WAI-I and PHQ-ADS at both time points).
 */
import { UsageError } from '../errors';
import { Dataset } from '../data/dataset';
import type { RowReader } from '../data/row';
import { Output } from '../io/output';
import { csvField, delimiterOf, formatNumber, jsonNumber } from '../render/format';
import { ScoreSummary } from '../analyses/score-summary';
import { renderScoreSummary } from '../render/score-summary';
import { defineCommand, flag, text, type CommandOptions } from './command';
import { DATA_OPTIONS, INPUT_FILE, OUT_OPTION, readPaths } from './common';
import type { Context } from './context';

const options = {
  format: text('--format <format>', 'rows: csv, tsv, json, ndjson; --summary: table, json, csv, markdown'),
  summary: flag('--summary', "per subscale n, mean, SD, min, max, Cronbach's alpha, item–total correlations"),
  out: OUT_OPTION,
};

export const scoreCommand = defineCommand({
  name: 'score',
  summary: 'add questionnaire scores to each row (or --summary: n, mean, SD, alpha per subscale)',
  arguments: [INPUT_FILE],
  options,
  groups: { data: DATA_OPTIONS },
  examples: [
    'canrelax-analyze score data.csv > scored.csv',
    'canrelax-analyze score data.csv --where arm=app --summary',
    'canrelax-analyze score data.csv --format ndjson | jq .wai_total',
    'canrelax-analyze score data.csv --instrument examples/instruments/wai.json --format ndjson | jq .wai_total',
    'canrelax-analyze score export.csv --map WAI4_01=wai_1,WAI4_02=wai_2 --out scored.csv',
  ],
  run: ({ file }, opts, ctx) => score(file, opts, ctx),
});

const ROW_FORMATS = ['csv', 'tsv', 'json', 'ndjson'];
const SUMMARY_FORMATS = ['table', 'json', 'csv', 'markdown'];

async function score(file: string, opts: CommandOptions<typeof options, { data: typeof DATA_OPTIONS }>, ctx: Context): Promise<void> {
  const summary = opts.summary;
  const format = opts.format ?? (summary ? 'table' : 'csv');
  const allowed = summary ? SUMMARY_FORMATS : ROW_FORMATS;
  if (!allowed.includes(format)) {
    throw new UsageError(`--format ${format} is not available${summary ? ' with --summary' : ''}, use one of ${allowed.join(', ')}`);
  }
  const dataset = await Dataset.open(file, opts.data, ctx);
  dataset.watchIds('id');
  const out = Output.open(opts.out, readPaths(file, opts.data), ctx);
  await out.complete(async () => {
    if (summary) {
      const acc = new ScoreSummary(dataset.scoring, dataset.columns, dataset.inputWidth);
      await dataset.forEach((row) => acc.add(row));
      out.write(renderScoreSummary(acc.result(), format, ctx, dataset));
    } else {
      const write = rowWriter(dataset, format);
      out.write(write.head);
      await dataset.forEach(
        (row) => out.write(write.row(row)),
        () => out.flush(),
      );
      out.write(write.tail);
    }
  });
  // Warnings come after success, so a failing run still ends in its one line.
  for (const name of dataset.scoring.existing) {
    ctx.warn(`column "${name}" is already in ${dataset.input.source}: kept as it is, not scored again`);
  }
  if (dataset.scoring.columns.length === 0 && dataset.scoring.existing.length === 0) {
    ctx.warn(`no instrument items found in ${dataset.input.source}: nothing to score (see --instrument and --map)`);
  }
  const repeats = dataset.idRepeats();
  if (repeats !== null) ctx.warn(repeats);
  if (dataset.row.outOfRange > 0) {
    ctx.warn(`${dataset.row.outOfRange} answer${dataset.row.outOfRange === 1 ? '' : 's'} outside the instrument range set to missing (--out-of-range missing)`);
  }
}

/**
 * Score values repeat (means of a few answers, prorated sums): remember their text rather than format each
 * one again. Bounded, so a file of unusual values cannot grow it without limit.
 */
const scoreTexts = new Map<number, string>();
function scoreText(value: number): string {
  let text = scoreTexts.get(value);
  if (text === undefined) {
    text = formatNumber(value);
    if (scoreTexts.size < 65536) scoreTexts.set(value, text);
  }
  return text;
}

interface RowWriter {
  head: string;
  row(row: RowReader): string;
  tail: string;
}

/** Columns written as JSON numbers: instrument items and roles other than sex; scores are always numbers. */
function numericInputColumns(dataset: Dataset): boolean[] {
  const numeric = new Array<boolean>(dataset.inputWidth).fill(false);
  for (const col of dataset.scoring.columns) for (const item of col.items) numeric[item] = true;
  for (const [role, column] of dataset.config.roles) {
    if (role === 'sex') continue;
    const i = dataset.columns.indexOf(column);
    if (i >= 0 && i < dataset.inputWidth) numeric[i] = true;
  }
  return numeric;
}

function rowWriter(dataset: Dataset, format: string): RowWriter {
  const names = dataset.columns;
  const width = dataset.inputWidth;
  if (format === 'csv' || format === 'tsv') {
    const d = delimiterOf(format);
    const sameDelimiter = d === dataset.input.delimiter;
    return {
      head: names.map((n) => csvField(n, d)).join(d) + '\n',
      row(row) {
        let line: string;
        // A record read from text without quotes has no field that needs them: echo its line.
        if (sameDelimiter && row.raw !== null) line = row.raw;
        else {
          const cells = row.cells;
          line = csvField(cells[0], d);
          for (let i = 1; i < width; i++) line += d + csvField(cells[i], d);
        }
        for (let i = width; i < names.length; i++) line += d + scoreText(row.values[i]);
        return line + '\n';
      },
      tail: '',
    };
  }
  const numeric = numericInputColumns(dataset);
  const keys = names.map((n) => JSON.stringify(n));
  const object = (row: RowReader): string => {
    let text = '{';
    for (let i = 0; i < names.length; i++) {
      let value: string;
      if (i >= width || numeric[i]) {
        const v = row.num(i);
        value = v === v ? String(jsonNumber(v)) : 'null';
      } else {
        const cell = row.text(i);
        value = cell === '' ? 'null' : JSON.stringify(cell);
      }
      text += (i === 0 ? '' : ',') + keys[i] + ':' + value;
    }
    return text + '}';
  };
  if (format === 'ndjson') return { head: '', row: (row) => object(row) + '\n', tail: '' };
  let first = true;
  return {
    head: '{"rows":[\n',
    row(row) {
      const text = (first ? '' : ',\n') + object(row);
      first = false;
      return text;
    },
    tail: '\n]}\n',
  };
}
