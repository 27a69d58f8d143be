/** correlate — adjusted partial correlations, optionally by stratum, with stratum comparisons. */
import { flagName } from './flag-name';
import { UsageError } from '../errors';
import { Dataset } from '../data/dataset';
import { Progress } from '../data/progress';
import { Output } from '../io/output';
import { correlate, type CorrelateOptions } from '../analyses/correlate';
import { renderCorrelate } from '../render/correlate';
import { partialCorrelationBF } from '../stats/bayes';
import { choice, defineCommand, flag, repeated, text, type OptionValues } from './command';
import { ADJUST_OPTION, CANRELAX_X, CANRELAX_Y, CI_OPTION, columnsOrDefault, DATA_OPTIONS, INPUT_FILE, list, MISSING_OPTIONS, missingOptions, OUT_OPTION, parseCiLevel, parseRef, wholeNumber, noteScores, DEFAULT_SEED, readPaths } from './common';
import { imputationWriter } from './imputations';
import { P_ADJUST_METHODS } from '../stats/padjust';

const options = {
  x: text('--x <cols>', 'x variables, comma-separated (default on a CanRelax export: alliance,bond,task,goal)'),
  y: text('--y <cols>', 'y variables (default on a CanRelax export: distress)'),
  adjust: ADJUST_OPTION,
  method: choice('--method <method>', 'correlation', ['pearson', 'spearman'], 'pearson'),
  by: text('--by <col>', 'analyse each level of this column on its own rows and compare them'),
  ci: CI_OPTION,
  alternative: choice('--alternative <h1>', 'alternative hypothesis', ['two-sided', 'less', 'greater'], 'two-sided'),
  pAdjust: choice('--p-adjust <method>', 'multiple-testing correction over all reported p', P_ADJUST_METHODS, 'none'),
  semi: choice('--semi <var>', 'also the semi-partial r, covariates removed from x only or y only', ['x', 'y']),
  bootstrap: text('--bootstrap <n>', 'bootstrap resamples for percentile and BCa intervals'),
  ref: repeated('--ref <col=level>', 'reference level of a categorical covariate (repeatable)'),
  categorical: text('--categorical <cols>', 'numeric columns to treat as categorical'),
  listExcluded: flag('--list-excluded', 'list the ids of rows each analysis leaves out'),
  id: text('--id <column>', 'id column for --list-excluded', 'id'),
  bayes: flag('--bayes', 'add the JZS Bayes factor BF10 (Wetzels & Wagenmakers 2012, rscale 1)'),
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
    const parsed = correlateOptions(opts);
    const missing = missingOptions(opts.missing);
    const dataset = await Dataset.open(file, { ...opts.data, hash: opts.format === 'json' }, ctx);
    dataset.watchIds(parsed.idColumn);
    const options: CorrelateOptions = {
      ...parsed,
      x: columnsOrDefault(dataset, parsed.x, CANRELAX_X, '--x'),
      y: columnsOrDefault(dataset, parsed.y, CANRELAX_Y, '--y'),
      phase: (label) => Progress.forPhase(label, ctx),
      missing,
    };
    if (opts.bayes) {
      options.bayes = (n, k, r2Full, r2Reduced) => partialCorrelationBF(n, k, r2Full, r2Reduced);
    }
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

/** correlate's flags as CorrelateOptions, x and y still null when not given (the defaults need the file). */
function correlateOptions(opts: OptionValues<typeof options> & { missing: OptionValues<typeof MISSING_OPTIONS.options> }): Omit<CorrelateOptions, 'x' | 'y'> & { x: string[] | null; y: string[] | null } {
  const ci = parseCiLevel(opts.ci);
  let bootstrap: number | null = null;
  if (opts.bootstrap !== undefined) bootstrap = wholeNumber(opts.bootstrap, '--bootstrap', 100, 10_000_000, ' of resamples');
  const seed = wholeNumber(opts.missing.seed ?? String(DEFAULT_SEED), '--seed', 0, 0xffffffff);
  return {
    x: opts.x ? list(opts.x) : null,
    y: opts.y ? list(opts.y) : null,
    adjust: opts.adjust ? list(opts.adjust) : [],
    method: opts.method,
    by: opts.by ?? null,
    ciLevel: ci,
    alternative: opts.alternative,
    pAdjust: opts.pAdjust,
    semi: opts.semi ?? null,
    bootstrap,
    seed,
    ref: parseRef(opts.ref),
    categorical: new Set(opts.categorical ? list(opts.categorical) : []),
    listExcluded: opts.listExcluded,
    idColumn: opts.id,
  };
}
