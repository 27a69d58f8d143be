/**
 * correlate — adjusted partial correlations, optionally by stratum, with stratum comparisons.
 *
 * Usage: canrelax-analyze correlate <file|-> [--x cols] [--y cols] [--adjust cols] [--method pearson|spearman]
 *          [--by col] [--ci 0.95] [--alternative two-sided|less|greater] [--p-adjust none|holm|bonferroni|bh|by]
 *          [--semi x|y] [--bootstrap N --seed S] [--ref col=level] [--categorical cols] [--list-excluded]
 *          [--bayes] [--format table|json|csv|tsv|ndjson|markdown]
 *
 * Columns may be roles (alliance, bond, task, goal, distress, baseline, expectation, sex, age) or column names,
 * score columns included (scored on the fly when their items are in the file). On a CanRelax export the
 * defaults are --x alliance,bond,task,goal --y distress. Every x is paired with every y.
 *
 * Examples:
 *   canrelax-analyze correlate data.csv --where arm=app --adjust age,sex,baseline,expectation
 *   canrelax-analyze correlate data.csv --where arm=app --adjust age,baseline,expectation --by sex
 *   canrelax-analyze score data.csv | canrelax-analyze correlate - --x wai_task --y phqads_total_w10
 */
import { Command, Option } from 'commander';
import type { Register } from './main';
import { addDataOptions, addGlobalOptions, collect, dataOptions, DATA_OPTIONS_HELP, list, parseCiLevel, parseRef } from './common';
import { Dataset } from '../data/dataset';
import { Output } from '../io/output';
import { UsageError } from '../errors';
import type { Context } from './context';
import { correlate, type CorrelateOptions } from '../analyses/correlate';
import { renderCorrelate } from '../render/correlate';
import { partialCorrelationBF } from '../stats/bayes';


export const registerCorrelate: Register = (program, setContext) => {
  const command = new Command('correlate')
    .description('partial correlations of x with y adjusted for covariates, by stratum, exact to R')
    .argument('<file>', 'CSV export, or - for stdin')
    .option('--x <cols>', 'x variables, comma-separated (default on a CanRelax export: alliance,bond,task,goal)')
    .option('--y <cols>', 'y variables (default on a CanRelax export: distress)')
    .option('--adjust <cols>', 'covariates (numeric, or categorical: text columns and --categorical ones)')
    .addOption(new Option('--method <method>', 'correlation').choices(['pearson', 'spearman']).default('pearson'))
    .option('--by <col>', 'analyse each level of this column on its own rows and compare them')
    .option('--ci <level>', 'confidence level', '0.95')
    .addOption(new Option('--alternative <h1>', 'alternative hypothesis').choices(['two-sided', 'less', 'greater']).default('two-sided'))
    .addOption(new Option('--p-adjust <method>', 'multiple-testing correction over all reported p').choices(['none', 'holm', 'bonferroni', 'bh', 'by']).default('none'))
    .addOption(new Option('--semi <var>', 'also the semi-partial r, covariates removed from x only or y only').choices(['x', 'y']))
    .option('--bootstrap <n>', 'bootstrap resamples for percentile and BCa intervals')
    .option('--seed <seed>', 'bootstrap seed', '1')
    .option('--ref <col=level>', 'reference level of a categorical covariate (repeatable)', collect, [])
    .option('--categorical <cols>', 'numeric columns to treat as categorical')
    .option('--list-excluded', 'list the ids of rows each analysis leaves out')
    .option('--id <column>', 'id column for --list-excluded', 'id')
    .option('--bayes', 'add the JZS Bayes factor BF10 (Wetzels & Wagenmakers 2012, rscale 1)')
    .addOption(new Option('--format <format>', 'output').choices(['table', 'json', 'csv', 'tsv', 'ndjson', 'markdown']).default('table'))
    .option('--out <file>', 'write to FILE atomically instead of stdout')
    .addHelpText('after', `${DATA_OPTIONS_HELP}

Examples:
  canrelax-analyze correlate data.csv --where arm=app --adjust age,sex,baseline,expectation
  canrelax-analyze correlate data.csv --where arm=app --adjust age,baseline,expectation --by sex
  canrelax-analyze correlate data.csv --x task --y distress --method spearman --bootstrap 2000 --seed 7 --format json`)
    .action(async (file: string, opts: Record<string, unknown>) => {
      const ctx = setContext({ color: opts.color as boolean, debug: opts.debug as boolean });
      await runCorrelate(file, opts, ctx);
    });
  addGlobalOptions(addDataOptions(command));
  program.addCommand(command);
};


/** Parses the flags shared by correlate and report into CorrelateOptions (x and y resolved later). */
export function correlateOptions(opts: Record<string, unknown>): Omit<CorrelateOptions, 'x' | 'y'> & { x: string[] | null; y: string[] | null } {
  const ci = parseCiLevel(opts.ci);
  let bootstrap: number | null = null;
  if (opts.bootstrap !== undefined) {
    bootstrap = Number(opts.bootstrap);
    if (!Number.isInteger(bootstrap) || bootstrap < 100 || bootstrap > 10_000_000) {
      throw new UsageError(`--bootstrap must be a whole number of resamples from 100 to 10000000, got "${opts.bootstrap}"`);
    }
  }
  const seed = Number(opts.seed ?? '1');
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new UsageError(`--seed must be a whole number from 0 to 4294967295, got "${opts.seed}"`);
  const ref = parseRef(opts.ref as string[] | undefined);
  return {
    x: opts.x ? list(opts.x as string) : null,
    y: opts.y ? list(opts.y as string) : null,
    adjust: opts.adjust ? list(opts.adjust as string) : [],
    method: (opts.method as 'pearson' | 'spearman') ?? 'pearson',
    by: (opts.by as string | undefined) ?? null,
    ciLevel: ci,
    alternative: (opts.alternative as CorrelateOptions['alternative']) ?? 'two-sided',
    pAdjust: (opts.pAdjust as CorrelateOptions['pAdjust']) ?? 'none',
    semi: (opts.semi as 'x' | 'y' | undefined) ?? null,
    bootstrap,
    seed,
    ref,
    categorical: new Set(opts.categorical ? list(opts.categorical as string) : []),
    listExcluded: opts.listExcluded === true,
    idColumn: (opts.id as string | undefined) ?? 'id',
  };
}

const DEFAULT_X = ['alliance', 'bond', 'task', 'goal'];
const DEFAULT_Y = ['distress'];

async function runCorrelate(file: string, opts: Record<string, unknown>, ctx: Context): Promise<void> {
  const parsed = correlateOptions(opts);
  const dataset = await Dataset.open(file, { ...dataOptions(opts), hash: opts.format === 'json' }, ctx);
  const defaults = (given: string[] | null, fallback: string[], flag: string): string[] => {
    if (given) return given;
    if (fallback.every((name) => dataset.has(name))) return fallback;
    throw new UsageError(`${flag} is needed: this file is not a CanRelax export (no ${fallback.find((n) => !dataset.has(n))}), name the columns`);
  };
  const options: CorrelateOptions = { ...parsed, x: defaults(parsed.x, DEFAULT_X, '--x'), y: defaults(parsed.y, DEFAULT_Y, '--y') };
  if (opts.bayes) {
    options.bayes = (n, k, r2Full, r2Reduced) => partialCorrelationBF(n, k, r2Full, r2Reduced);
  }
  const out = Output.open(opts.out as string | undefined, file, ctx);
  await out.complete(async () => {
    const result = await correlate(dataset, options);
    out.write(renderCorrelate(result, dataset, options, opts.format as string, ctx.color));
  });
}
