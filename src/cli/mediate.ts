/** mediate — x → m → y with covariates: paths a, b, c, c′ as lm, a·b with Sobel and bootstrap intervals, moderated mediation. */
import { flagName } from './flag-name';
import { UsageError } from '../errors';
import { Dataset } from '../data/dataset';
import { Progress } from '../data/progress';
import { Output } from '../io/output';
import { mediate, type MediateOptions, type Moderate } from '../analyses/mediate';
import { renderMediate } from '../render/mediate';
import { choice, defineCommand, repeated, text, type OptionValues } from './command';
import { ADJUST_OPTION, CI_OPTION, DATA_OPTIONS, INPUT_FILE, list, MISSING_OPTIONS, missingOptions, OUT_OPTION, parseCiLevel, parseRef, readPaths, wholeNumber, noteScores, DEFAULT_SEED } from './common';
import { imputationWriter } from './imputations';

const options = {
  x: text('--x <col>', 'predictor (numeric), e.g. expectation'),
  m: text('--m <col>', 'mediator (numeric), e.g. alliance'),
  y: text('--y <col>', 'outcome (numeric), e.g. distress'),
  adjust: ADJUST_OPTION,
  by: text('--by <col>', 'one mediation per level of this column, and the differences of the indirect effects'),
  moderator: text('--moderator <col>', 'categorical moderator of path a, b or both (with --moderate)'),
  moderate: choice('--moderate <path>', 'the path the moderator moderates', ['a', 'b', 'both']),
  categorical: text('--categorical <cols>', 'numeric columns to treat as categorical (factors)'),
  ref: repeated('--ref <col=level>', 'reference level of a categorical covariate or the moderator (repeatable)'),
  bootstrap: text('--bootstrap <n>', 'bootstrap resamples for the percentile and BCa intervals (0: none; with --missing mi, in all over the imputations)', '5000'),
  ci: CI_OPTION,
  format: choice('--format <format>', 'output', ['table', 'json', 'csv', 'tsv', 'ndjson', 'markdown'], 'table'),
  out: OUT_OPTION,
};

export const mediateCommand = defineCommand({
  name: 'mediate',
  summary: 'mediation x → m → y (PROCESS model 4): paths as lm, indirect effect with Sobel and bootstrap CIs, moderated mediation',
  arguments: [INPUT_FILE],
  options,
  groups: { data: DATA_OPTIONS, missing: MISSING_OPTIONS },
  notes: `Every path is fitted on the rows complete on x, m, y, the moderator and the covariates, so c = c′ + a·b exactly:
a (m ~ x + covariates), b and c′ (y ~ x + m + covariates), c (y ~ x + covariates). The indirect effect a·b has
the Sobel test (normal theory) and bootstrap intervals, percentile and BCa (jackknife acceleration), seeded; the
proportion mediated a·b / c only when c has p < .05. --moderator W --moderate a|b|both: W (categorical) moderates
x → m (m ~ x * W), m → y (y ~ x + m * W) or both; the index of moderated mediation a₃·b or a·b₃ (Hayes 2015), or
with both the conditional indirect effects per level and their differences. Text columns (and --categorical ones)
enter as treatment-coded factors named as R names them (sexmale, expectation:sexmale). --seed seeds the bootstrap
(default 1) and, with --missing mi, the imputations. --missing mi (MI-then-bootstrap): a, b, c and c′ pooled by
Rubin's rules as mice::pool on each lm, the indirect effect the mean of a·b over the imputations, its percentile
interval from ⌈B/M⌉ resamples drawn within each completed data set, pooled (no BCa, no moderator).`,
  examples: [
    'canrelax-analyze mediate data.csv --where arm=app --x expectation --m alliance --y distress --adjust age,sex,baseline',
    'canrelax-analyze mediate data.csv --where arm=app --x expectation --m alliance --y distress --adjust age,baseline --moderator sex --moderate a',
    'canrelax-analyze mediate data.csv --x expectation --m alliance --y distress --adjust age,baseline --by sex --bootstrap 10000 --seed 7 --format json',
    'canrelax-analyze mediate data.csv --where arm=app --x expectation --m alliance --y distress --adjust age,sex,baseline --missing mi --imputations 20 --seed 7',
  ],
  async run({ file }, opts, ctx) {
    const missing = missingOptions(opts.missing);
    if (missing.mnarDelta.length > 0) throw new UsageError('--mnar-delta is a correlate option (pooled r against δ), drop it here');
    const options: MediateOptions = { ...mediateOptions(opts), missing, phase: (label: string) => Progress.forPhase(label, ctx) };
    const dataset = await Dataset.open(file, { ...opts.data, hash: opts.format === 'json' }, ctx);
    const out = Output.open(opts.out, readPaths(file, opts.data), ctx);
    const imputing = imputationWriter(missing, ctx, readPaths(file, opts.data));
    options.imputationSink = imputing.sink;
    await out.complete(async () => {
      const result = await imputing.run(() => mediate(dataset, options));
      noteScores(dataset, result.notes, ctx);
      out.write(renderMediate(result, dataset, options, opts.format, ctx, flagName));
    });
  },
});

/** One column name from a flag, or a usage error. */
function one(value: string | undefined, flag: string, example: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${flag} is needed: name one column or role, e.g. ${flag} ${example}`);
  if (value.includes(',')) throw new UsageError(`${flag} takes one column, got "${value}", e.g. ${flag} ${example}`);
  return value.trim();
}

/** mediate's flags as MediateOptions (the missing-data options apart). */
function mediateOptions(opts: OptionValues<typeof options> & { missing: OptionValues<typeof MISSING_OPTIONS.options> }): MediateOptions {
  const x = one(opts.x, '--x', 'expectation');
  const m = one(opts.m, '--m', 'alliance');
  const y = one(opts.y, '--y', 'distress');
  if (x === m) throw new UsageError(`--x and --m both name ${x}: the mediator must be another variable than the predictor`);
  const moderator = opts.moderator === undefined ? null : one(opts.moderator, '--moderator', 'sex');
  const moderate = (opts.moderate ?? null) as Moderate | null;
  if (moderate !== null && moderator === null) throw new UsageError(`--moderate ${moderate} needs --moderator: name the column that moderates, e.g. --moderator sex`);
  if (moderator !== null && moderate === null) throw new UsageError(`--moderator ${moderator} needs --moderate a, b or both: the path it moderates`);
  const resamples = Number(opts.bootstrap);
  if (!Number.isInteger(resamples) || (resamples !== 0 && resamples < 100) || resamples > 10_000_000) {
    throw new UsageError(`--bootstrap must be 0 or a whole number of resamples from 100 to 10000000, got "${opts.bootstrap}"`);
  }
  const seed = wholeNumber(opts.missing.seed ?? String(DEFAULT_SEED), '--seed', 0, 0xffffffff);
  return {
    x,
    m,
    y,
    adjust: opts.adjust ? list(opts.adjust) : [],
    by: opts.by === undefined ? null : one(opts.by, '--by', 'sex'),
    moderator,
    moderate,
    categorical: new Set(opts.categorical ? list(opts.categorical) : []),
    ref: parseRef(opts.ref),
    resamples,
    seed,
    ciLevel: parseCiLevel(opts.ci),
  };
}
