/**
 * power — exact power of the test of a partial correlation with k covariates (no data needed).
 *
 * Usage: canrelax-analyze power [--n N] [--k K] [--r R] [--power P] [--alpha 0.05]
 *          [--alternative two-sided|less|greater] [--format table|json|markdown] [--out FILE]
 *
 * What is computed depends on what is given:
 *   --n (no --r)        smallest detectable population r at 80% and 90% power (and at --power when given);
 *   --n and --r         the power;
 *   --r and --power     the smallest n with that power.
 * k = covariate columns after coding (a categorical covariate with L levels counts L − 1); n = rows with x, y and
 * every covariate. Defaults: --k 0, --alpha 0.05, two-sided. Exact (src/stats/power.ts), with pwr::pwr.r.test's
 * Fisher z approximation beside it for comparison.
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
 *
 * Examples:
 *   canrelax-analyze power --n 117 --k 4
 *   canrelax-analyze power --n 117 --k 4 --r 0.18
 *   canrelax-analyze power --r 0.18 --k 4 --power 0.8 --format json
 */
import { Command, Option } from 'commander';
import type { Register } from './main';
import { addGlobalOptions } from './common';
import { Output } from '../io/output';
import { UsageError } from '../errors';
import type { Context } from './context';
import { powerAnalysis, type PowerOptions } from '../analyses/power';
import { renderPower } from '../render/power';
import type { Alternative } from '../stats/distributions';

export const registerPower: Register = (program, setContext) => {
  const command = new Command('power')
    .description('exact power of a partial correlation test: detectable r, power, or n needed')
    .option('--n <n>', 'observations (rows with x, y and every covariate)')
    .option('--k <k>', 'covariates (columns after coding)', '0')
    .option('--r <r>', 'population partial correlation')
    .option('--power <p>', 'target power, e.g. 0.8')
    .option('--alpha <alpha>', 'significance level', '0.05')
    .addOption(new Option('--alternative <h1>', 'alternative hypothesis').choices(['two-sided', 'less', 'greater']).default('two-sided'))
    .addOption(new Option('--format <format>', 'output').choices(['table', 'json', 'markdown']).default('table'))
    .option('--out <file>', 'write to FILE atomically instead of stdout')
    .addHelpText('after', `
Given --n: the smallest detectable r at 80% and 90% power (and --power); given --n and --r: the power;
given --r and --power: the n needed. Exact (distribution of the sample partial r), with pwr::pwr.r.test's
Fisher z approximation beside it.

Examples:
  canrelax-analyze power --n 117 --k 4
  canrelax-analyze power --n 117 --k 4 --r 0.18
  canrelax-analyze power --r 0.18 --k 4 --power 0.8 --format json`)
    .action(async (opts: Record<string, unknown>) => {
      const ctx = setContext({ color: opts.color as boolean, debug: opts.debug as boolean });
      await runPower(opts, ctx);
    });
  addGlobalOptions(command);
  program.addCommand(command);
};

/** A flag's number: null when absent; a UsageError naming the flag when it is not a number. */
function numberFlag(value: unknown, flag: string): number | null {
  if (value === undefined) return null;
  const text = String(value).trim();
  const n = text === '' ? NaN : Number(text);
  if (!Number.isFinite(n)) throw new UsageError(`${flag} must be a number, got "${value}"`);
  return n;
}

/** Parses power's flags into PowerOptions (checked by powerAnalysis). */
export function powerOptions(opts: Record<string, unknown>): PowerOptions {
  return {
    n: numberFlag(opts.n, '--n'),
    k: numberFlag(opts.k ?? '0', '--k')!,
    r: numberFlag(opts.r, '--r'),
    power: numberFlag(opts.power, '--power'),
    alpha: numberFlag(opts.alpha ?? '0.05', '--alpha')!,
    alternative: (opts.alternative as Alternative | undefined) ?? 'two-sided',
  };
}

async function runPower(opts: Record<string, unknown>, ctx: Context): Promise<void> {
  const options = powerOptions(opts);
  const results = powerAnalysis(options);
  const out = Output.open(opts.out as string | undefined, null, ctx);
  await out.complete(async () => {
    out.write(renderPower(options, results, opts.format as string, ctx.color));
  });
}
