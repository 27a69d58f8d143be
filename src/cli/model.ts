/**
 * model — linear regression as R's `lm(y ~ x * group + covariates)`, optionally one model per stratum.
 *
 * Usage: canrelax-analyze model <file|-> --y col --x cols [--adjust cols] [--interaction col] [--by col]
 *          [--categorical cols] [--ref col=level] [--robust hc3] [--standardize] [--ci 0.95] [--id col]
 *          [--format table|json|csv|tsv|ndjson|markdown] [--out FILE]
 *
 * Columns may be roles (alliance, bond, task, goal, distress, baseline, expectation, sex, age) or column names,
 * score columns included. With --interaction g every x interacts with g: `y ~ (x1 + x2) * g + covariates`, and the
 * simple slope of each x in each level of g is reported. Text columns (and --categorical ones) enter as
 * treatment-coded factors, the first level in sort order the reference unless --ref. Terms are named and ordered
 * as R names and orders them: (Intercept), x, sexmale, covariates, x:sexmale.
 *
 * Examples:
 *   canrelax-analyze model data.csv --where arm=app --y distress --x alliance --interaction sex --adjust baseline,age,expectation
 *   canrelax-analyze model data.csv --where arm=app --y distress --x bond,task,goal --adjust baseline --robust hc3 --standardize
 *   canrelax-analyze model data.csv --y distress --x alliance --adjust baseline,sex --by arm --format csv
 */
import { Command, Option } from 'commander';
import type { Register } from './main';
import { addDataOptions, addGlobalOptions, collect, dataOptions, DATA_OPTIONS_HELP, list, parseCiLevel, parseRef } from './common';
import { Dataset } from '../data/dataset';
import { Output } from '../io/output';
import { UsageError } from '../errors';
import type { Context } from './context';
import { model, type ModelOptions } from '../analyses/model';
import { renderModel } from '../render/model';


export const registerModel: Register = (program, setContext) => {
  const command = new Command('model')
    .description("linear model y ~ x * group + covariates as R's lm: robust SEs, simple slopes, diagnostics")
    .argument('<file>', 'CSV export, or - for stdin')
    .option('--y <col>', 'outcome (numeric), e.g. distress')
    .option('--x <cols>', 'predictors (numeric), comma-separated, e.g. alliance or bond,task,goal')
    .option('--adjust <cols>', 'covariates (numeric, or categorical: text columns and --categorical ones)')
    .option('--interaction <col>', 'interact every x with this column (a group, or a numeric moderator): y ~ x * col')
    .option('--by <col>', 'fit one model per level of this column')
    .option('--categorical <cols>', 'numeric columns to treat as categorical (factors)')
    .option('--ref <col=level>', 'reference level of a categorical covariate or interaction column (repeatable)', collect, [])
    .addOption(new Option('--robust <type>', 'heteroskedasticity-consistent SEs (sandwich::vcovHC), tests as lmtest::coeftest').choices(['hc3']))
    .option('--standardize', 'add standardized coefficients β (model-matrix columns as coded, as lm.beta)')
    .option('--ci <level>', 'confidence level', '0.95')
    .option('--id <column>', "id column naming rows in Cook's distance diagnostics (default: id, else line numbers)")
    .addOption(new Option('--format <format>', 'output').choices(['table', 'json', 'csv', 'tsv', 'ndjson', 'markdown']).default('table'))
    .option('--out <file>', 'write to FILE atomically instead of stdout')
    .addHelpText('after', `${DATA_OPTIONS_HELP}

Examples:
  canrelax-analyze model data.csv --where arm=app --y distress --x alliance --interaction sex --adjust baseline,age,expectation
  canrelax-analyze model data.csv --where arm=app --y distress --x bond,task,goal --adjust baseline --robust hc3 --standardize
  canrelax-analyze model data.csv --y distress --x alliance --adjust baseline,sex --by arm --format csv`)
    .action(async (file: string, opts: Record<string, unknown>) => {
      const ctx = setContext({ color: opts.color as boolean, debug: opts.debug as boolean });
      await runModel(file, opts, ctx);
    });
  addGlobalOptions(addDataOptions(command));
  program.addCommand(command);
};


/** Parses the model flags into ModelOptions (for `model`, and for `report` when it fits the same model). */
export function modelOptions(opts: Record<string, unknown>): ModelOptions {
  if (opts.y === undefined || String(opts.y).trim() === '') throw new UsageError('--y is needed: name the outcome column or role, e.g. --y distress');
  const y = String(opts.y).trim();
  if (y.includes(',')) throw new UsageError(`--y takes one outcome, got "${opts.y}", fit one model per outcome`);
  const x = opts.x ? list(opts.x as string) : [];
  if (x.length === 0) throw new UsageError('--x is needed: name the predictor columns or roles, e.g. --x alliance');
  const ci = parseCiLevel(opts.ci);
  const ref = parseRef(opts.ref as string[] | undefined);
  const interaction = opts.interaction === undefined ? null : String(opts.interaction).trim();
  if (interaction !== null && (interaction === '' || interaction.includes(','))) {
    throw new UsageError(`--interaction takes one column, got "${opts.interaction}", e.g. --interaction sex`);
  }
  return {
    y,
    x,
    adjust: opts.adjust ? list(opts.adjust as string) : [],
    interaction,
    by: (opts.by as string | undefined) ?? null,
    categorical: new Set(opts.categorical ? list(opts.categorical as string) : []),
    ref,
    robust: (opts.robust as 'hc3' | undefined) ?? null,
    standardize: opts.standardize === true,
    ciLevel: ci,
    idColumn: (opts.id as string | undefined) ?? 'id',
    idExplicit: opts.id !== undefined,
  };
}

async function runModel(file: string, opts: Record<string, unknown>, ctx: Context): Promise<void> {
  const options = modelOptions(opts);
  const dataset = await Dataset.open(file, { ...dataOptions(opts), hash: opts.format === 'json' }, ctx);
  const out = Output.open(opts.out as string | undefined, file, ctx);
  await out.complete(async () => {
    const result = await model(dataset, options);
    out.write(renderModel(result, dataset, options, opts.format as string, ctx.color));
  });
}
