/** measure — CFA of each instrument's factor structure, McDonald's ω beside α, measurement invariance across --by. */
import { UsageError } from '../errors';
import { Dataset } from '../data/dataset';
import { Progress } from '../data/progress';
import { Output } from '../io/output';
import { measure, MEASURE_OPTIONS, type MeasureOptions } from '../analyses/measure';
import { renderMeasure } from '../render/measure';
import { choice, declaredOptions, defineCommand, type OptionValues } from './command';
import { DATA_OPTIONS, INPUT_FILE, OUT_OPTION, readPaths } from './common';

const options = {
  ...declaredOptions(MEASURE_OPTIONS),
  format: choice('--format <format>', 'output', ['table', 'json', 'csv', 'markdown'], 'table'),
  out: OUT_OPTION,
};

export const measureCommand = defineCommand({
  name: 'measure',
  summary: "CFA of each instrument's factor structure as lavaan cfa(): fit, loadings, McDonald's ω beside α, invariance across --by",
  arguments: [INPUT_FILE],
  options,
  groups: { data: DATA_OPTIONS },
  notes: `Each instrument found in the file (or named with --instrument: a built-in or a .json definition), once per time
point, is fitted as a confirmatory factor model taken from its definition: one factor per subscale, its items the
indicators (reversed items reversed first), factors correlated. Maximum likelihood exactly as lavaan's cfa() defaults:
rows complete on the items (and --by), n-divisor covariance, first loading of each factor fixed to 1, standard errors
from the expected information. Fit as lavaan's fitMeasures: χ², df, p, CFI, TLI, RMSEA with its 90% CI, SRMR.
McDonald's ω per factor = (Σλ)²ψ / ((Σλ)²ψ + Σθ) beside Cronbach's α, with a seeded percentile bootstrap CI.
--by COL: configural, metric (loadings equal) and scalar (loadings and intercepts equal) models with a mean structure,
χ² difference tests as lavTestLRT, ΔCFI and ΔRMSEA, and a verdict by Chen (2007): ΔCFI ≤ −.010 together with
ΔRMSEA ≥ .015 flags non-invariance. An improper solution (negative variance, factor correlation at or beyond ±1) or
a fit that did not converge is said in words instead of its estimates.`,
  examples: [
    'canrelax-analyze measure data.csv --instrument wai --by sex',
    'canrelax-analyze measure data.csv --where arm=app --instrument wai --bootstrap 2000 --seed 7 --format json',
    'canrelax-analyze measure survey.csv --instrument coping.json --format markdown',
  ],
  async run({ file }, opts, ctx) {
    const options = { ...measureOptions(opts), phase: (label: string) => Progress.forPhase(label, ctx) };
    const dataset = await Dataset.open(file, { ...opts.data, hash: opts.format === 'json' }, ctx);
    const out = Output.open(opts.out, readPaths(file, opts.data), ctx);
    await out.complete(async () => {
      const result = await measure(dataset, options);
      out.write(renderMeasure(result, dataset, options, opts.format, ctx));
    });
  },
});

/** measure's flags as MeasureOptions. */
function measureOptions(opts: OptionValues<typeof options>): MeasureOptions {
  const by = opts.by === undefined ? null : opts.by.trim();
  if (by !== null && (by === '' || by.includes(','))) throw new UsageError(`--by takes one column, got "${opts.by}", e.g. --by sex`);
  return { by, resamples: opts.bootstrap, seed: opts.seed };
}
