/** mediate — x → m → y with covariates: paths a, b, c, c′ as lm, a·b with Sobel and bootstrap intervals, moderated mediation. */
import { flagName } from './flag-name';
import { UsageError } from '../errors';
import { Dataset } from '../data/dataset';
import { Progress } from '../data/progress';
import { Output } from '../io/output';
import { mediate, MEDIATE_OPTIONS, mediateOptionsOf, type MediateOptions } from '../analyses/mediate';
import { renderMediate } from '../render/mediate';
import { choice, declaredOptions, defineCommand } from './command';
import { DATA_OPTIONS, INPUT_FILE, MISSING_OPTIONS, OUT_OPTION, readPaths, noteScores } from './common';
import { missingOptions } from '../frame/missing-options';
import { imputationWriter } from './imputations';

const options = {
  ...declaredOptions(MEDIATE_OPTIONS),
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
    const options: MediateOptions = { ...mediateOptionsOf(opts, missing.seed), missing, phase: (label: string) => Progress.forPhase(label, ctx) };
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
