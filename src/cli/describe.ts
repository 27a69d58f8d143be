/**
 * describe — "Table 1": the sample per variable, overall and by group.
 *
 * Numeric variables: n, missing, mean, SD (n − 1), median, quartiles Q1 and Q3 (R's quantile type 7), min, max.
 * Categorical variables (text columns, and numeric ones named in --categorical): count and percent of the
 * non-missing values per level, and the missing count. With --by, one summary per level of that column plus one
 * over all rows ("all"; rows missing the --by column are counted there only).
 *
 * Variables: --vars (roles or columns, score columns included). By default, on a CanRelax export: arm (unless a
 * single level is left, e.g. --where arm=app), sex, age, expectation and the score columns of the instruments
 * found (wai_*, phqads_*); on any other file every column but the id column (--id, default id).
 *
 * JSON (--format json):
 *   { tool: { name, version },
 *     input: { path, sha256, rows, rows_kept, where },
 *     by: column | null, missing_by: rows missing it | null, groups: [level…], group_rows: { level: rows },
 *     quantiles: "R type 7", notes: [text…],
 *     variables: [ { name, role?, kind: "numeric" | "categorical",
 *                    overall: numeric:     { n, missing, mean, sd, median, q1, q3, min, max }
 *                           | categorical: { n, missing, levels: [ { level, count, percent } ] },
 *                    by_group?: { level: same as overall } } ] }
 *   n counts non-missing values; percent is of them (0–100); statistics of no values are null. Read by_group in
 *   the order of `groups` (JSON objects put integer-like keys first).
 * CSV: variable, role, kind, group ("all" for every row), level, n, missing, mean, sd, median, q1, q3, min, max,
 *   count, percent — one row per variable and group, one per level for categorical variables.
 */
import { flagName } from './flag-name';
import { Dataset } from '../data/dataset';
import { holdInput } from '../io/input';
import { Output } from '../io/output';
import { choice, declaredOptions, defineCommand } from './command';
import { UsageError } from '../errors';
import { DATA_OPTIONS, INPUT_FILE, MISSING_OPTIONS, OUT_OPTION, noteScores, readPaths } from './common';
import { describe, describeImputed, describeOptionsOf, DESCRIBE_OPTIONS } from '../analyses/describe';
import { missingOptions } from '../frame/missing-options';
import { renderDescribe } from '../render/describe';

export const describeCommand = defineCommand({
  name: 'describe',
  summary: 'Table 1: n, mean, SD, median, quartiles, min, max or counts and percentages, overall and by group',
  arguments: [INPUT_FILE],
  options: {
    ...declaredOptions(DESCRIBE_OPTIONS),
    format: choice('--format <format>', 'output', ['table', 'json', 'csv', 'markdown'], 'table'),
    out: OUT_OPTION,
  },
  groups: { data: DATA_OPTIONS, missing: MISSING_OPTIONS },
  notes: 'Quartiles are R\'s quantile(type = 7); SD has n − 1; percentages are of the non-missing values.',
  examples: [
    'canrelax-analyze describe data.csv --where arm=app --by sex',
    'canrelax-analyze describe data.csv --by arm --format markdown --out table1.md',
    'canrelax-analyze describe data.csv --vars age,expectation,alliance,distress --format json',
    'canrelax-analyze describe sat_act.csv --vars age,education,SATQ --categorical education --by sex --format json',
  ],
  async run({ file }, opts, ctx) {
    const options = describeOptionsOf(opts);
    const missing = missingOptions(opts.missing);
    const mi = missing.missing === 'mi';
    if (mi && (missing.writeImputations !== null || missing.mnarDelta.length > 0)) throw new UsageError('--write-imputations and --mnar-delta are correlate options, drop them here');
    // --missing mi passes over the rows twice (the table, then the imputations): the input read and parsed once, held.
    const held = mi ? await holdInput(file, ctx) : undefined;
    const dataset = await Dataset.open(file, { ...opts.data, hash: opts.format === 'json', held }, ctx);
    const out = Output.open(opts.out, readPaths(file, opts.data), ctx);
    await out.complete(async () => {
      const result = await describe(dataset, options);
      noteScores(dataset, result.notes, ctx);
      if (mi) {
        await describeImputed(await Dataset.open(file, { ...opts.data, held }, ctx), result, options, missing);
        if (result.imputation?.nothing_missing) ctx.warn('--missing mi: nothing is missing in the numeric variables described, the table is the observed one');
      }
      out.write(renderDescribe(result, dataset, opts.format, ctx, flagName));
    });
  },
});
