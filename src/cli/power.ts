/**
 * power — exact power of the test of a partial correlation with k covariates (no data needed).
 *
 * What is computed depends on what is given (the notes below). k = covariate columns after coding (a categorical
 * covariate with L levels counts L − 1); n = rows with x, y and every covariate. Exact (src/stats/power.ts).
 *
 * JSON (--format json):
 *   { tool: { name, version },
 *     input: { n, k, r, power, alpha, alternative }          (null where not given),
 *     results: { mode: "minimum_r" | "power" | "required_n", method, n, df, critical_r,
 *                minimum_r?: [ { power, r, approximate_r } ],   (mode minimum_r)
 *                power?,                                       (mode power: at r; mode required_n: at n)
 *                power_at_n_minus_1?,                          (mode required_n)
 *                approximation: { method, power? (mode power), n?, n_ceiling? (mode required_n) } } }
 *   critical_r is the r the sample partial r must reach (negative for --alternative less).
 */
import { Output } from '../io/output';
import { powerAnalysis, POWER_OPTIONS, type PowerOptions } from '../analyses/power';
import { renderPower } from '../render/power';
import { choice, declaredOptions, defineCommand, type OptionValues } from './command';
import { OUT_OPTION } from './common';

const options = {
  ...declaredOptions(POWER_OPTIONS),
  format: choice('--format <format>', 'output', ['table', 'json', 'markdown'], 'table'),
  out: OUT_OPTION,
};

export const powerCommand = defineCommand({
  name: 'power',
  summary: 'exact power of a partial correlation test: detectable r, power, or n needed',
  options,
  notes: `Given --n: the smallest detectable r at 80% and 90% power (and --power); given --n and --r: the power;
given --r and --power: the n needed. Exact (distribution of the sample partial r), with pwr::pwr.r.test's
Fisher z approximation beside it.`,
  examples: [
    'canrelax-analyze power --n 117 --k 4',
    'canrelax-analyze power --n 117 --k 4 --r 0.18',
    'canrelax-analyze power --r 0.18 --k 4 --power 0.8 --format json',
  ],
  async run(_args, opts, ctx) {
    const options = powerOptions(opts);
    const results = powerAnalysis(options);
    const out = Output.open(opts.out, null, ctx);
    await out.complete(async () => {
      out.write(renderPower(options, results, opts.format, ctx));
    });
  },
});

/** power's flags as PowerOptions (checked by powerAnalysis). */
function powerOptions(opts: OptionValues<typeof options>): PowerOptions {
  return {
    n: opts.n ?? null,
    k: opts.k,
    r: opts.r ?? null,
    power: opts.power ?? null,
    alpha: opts.alpha,
    alternative: opts.alternative,
  };
}
