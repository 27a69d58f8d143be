/** correlate — adjusted partial correlations, optionally by stratum, with stratum comparisons. */
import { flagName } from './flag-name';
import { Dataset } from '../data/dataset';
import { Progress } from '../data/progress';
import { Output } from '../io/output';
import { correlate, CORRELATE_OPTIONS, correlateOptionsOf, type CorrelateOptions } from '../analyses/correlate';
import { renderCorrelate } from '../render/correlate';
import { choice, declaredOptions, defineCommand } from './command';
import { CANRELAX_X, CANRELAX_Y, columnsOrDefault, DATA_OPTIONS, INPUT_FILE, MISSING_OPTIONS, OUT_OPTION, noteScores, readPaths } from './common';
import { imputationWriter } from './imputations';
import { missingOptions } from '../frame/missing-options';

const options = {
  ...declaredOptions(CORRELATE_OPTIONS),
  format: choice('--format <format>', 'output', ['table', 'json', 'csv', 'tsv', 'ndjson', 'markdown'], 'table'),
  out: OUT_OPTION,
};

export const correlateCommand = defineCommand({
  name: 'correlate',
  summary: 'partial correlations of x with y adjusted for covariates, by stratum, exact to R',
  arguments: [INPUT_FILE],
  options,
  groups: { data: DATA_OPTIONS, missing: MISSING_OPTIONS },
  notes: `Columns may be roles (alliance, bond, task, goal, distress, baseline, expectation, sex, age) or column names,
score columns included (scored on the fly when their items are in the file). Every x is paired with every y.`,
  examples: [
    'canrelax-analyze correlate data.csv --where arm=app --adjust age,sex,baseline,expectation',
    'canrelax-analyze correlate data.csv --where arm=app --adjust age,baseline,expectation --by sex',
    'canrelax-analyze correlate data.csv --x task --y distress --method spearman --bootstrap 2000 --seed 7 --format json',
    'canrelax-analyze correlate data.csv --where arm=app --adjust age,sex,baseline,expectation --missing mi --imputations 20 --seed 2026 --mnar-delta -0.5,0.5',
    'canrelax-analyze score data.csv | canrelax-analyze correlate - --x wai_task --y phqads_total_w10',
  ],
  async run({ file }, opts, ctx) {
    const parsed = correlateOptionsOf(opts, opts.missing.seed);
    const missing = missingOptions(opts.missing);
    const dataset = await Dataset.open(file, { ...opts.data, hash: opts.format === 'json' }, ctx);
    dataset.watchIds(parsed.idColumn);
    const options: CorrelateOptions = {
      ...parsed,
      x: columnsOrDefault(dataset, parsed.x, CANRELAX_X, '--x'),
      y: columnsOrDefault(dataset, parsed.y, CANRELAX_Y, '--y'),
      phase: (label) => Progress.forPhase(label, ctx),
      missing,
      bayes: opts.bayes,
    };
    const out = Output.open(opts.out, readPaths(file, opts.data), ctx);
    const imputing = imputationWriter(missing, ctx, readPaths(file, opts.data));
    options.imputationSink = imputing.sink;
    await out.complete(async () => {
      const result = await imputing.run(() => correlate(dataset, options));
      noteScores(dataset, result.notes, ctx);
      out.write(renderCorrelate(result, dataset, options, opts.format, ctx, flagName));
    });
    const repeats = dataset.idRepeats();
    if (repeats !== null) ctx.warn(repeats);
  },
});
