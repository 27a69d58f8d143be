/** model — linear regression as R's `lm(y ~ x * group + covariates)`, optionally one model per stratum. */
import { flagName } from './flag-name';
import { UsageError } from '../errors';
import { Dataset } from '../data/dataset';
import { Output } from '../io/output';
import { model, type ModelOptions } from '../analyses/model';
import { renderModel } from '../render/model';
import { choice, defineCommand, flag, repeated, text, type OptionValues } from './command';
import { imputationWriter } from './imputations';
import { ADJUST_OPTION, CI_OPTION, DATA_OPTIONS, INPUT_FILE, list, MISSING_OPTIONS, missingOptions, OUT_OPTION, parseCiLevel, parseRef, noteScores, readPaths } from './common';

const options = {
  y: text('--y <col>', 'outcome (numeric), e.g. distress'),
  x: text('--x <cols>', 'predictors (numeric), comma-separated, e.g. alliance or bond,task,goal'),
  adjust: ADJUST_OPTION,
  interaction: text('--interaction <col>', 'interact every x with this column (a group, or a numeric moderator): y ~ x * col'),
  by: text('--by <col>', 'fit one model per level of this column'),
  categorical: text('--categorical <cols>', 'numeric columns to treat as categorical (factors)'),
  ref: repeated('--ref <col=level>', 'reference level of a categorical covariate or interaction column (repeatable)'),
  robust: choice('--robust <type>', 'heteroskedasticity-consistent SEs (sandwich::vcovHC), tests as lmtest::coeftest', ['hc3']),
  standardize: flag('--standardize', 'add standardized coefficients β (model-matrix columns as coded, as lm.beta)'),
  ci: CI_OPTION,
  id: text('--id <column>', "id column naming rows in Cook's distance diagnostics (default: id, else line numbers)"),
  format: choice('--format <format>', 'output', ['table', 'json', 'csv', 'tsv', 'ndjson', 'markdown'], 'table'),
  out: OUT_OPTION,
};

export const modelCommand = defineCommand({
  name: 'model',
  summary: "linear model y ~ x * group + covariates as R's lm: robust SEs, simple slopes, diagnostics",
  arguments: [INPUT_FILE],
  options,
  groups: { data: DATA_OPTIONS, missing: MISSING_OPTIONS },
  notes: `Columns may be roles (alliance, bond, task, goal, distress, baseline, expectation, sex, age) or column names,
score columns included. With --interaction g every x interacts with g: y ~ (x1 + x2) * g + covariates, and the
simple slope of each x in each level of g is reported. Text columns (and --categorical ones) enter as
treatment-coded factors, the first level in sort order the reference unless --ref. Terms are named and ordered
as R names and orders them: (Intercept), x, sexmale, covariates, x:sexmale.`,
  examples: [
    'canrelax-analyze model data.csv --where arm=app --y distress --x alliance --interaction sex --adjust baseline,age,expectation',
    'canrelax-analyze model data.csv --where arm=app --y distress --x bond,task,goal --adjust baseline --robust hc3 --standardize',
    'canrelax-analyze model data.csv --y distress --x alliance --adjust baseline,sex --by arm --format csv',
  ],
  async run({ file }, opts, ctx) {
    const options = { ...modelOptions(opts), missing: missingOptions(opts.missing) };
    if (options.missing.mnarDelta.length > 0) throw new UsageError('--mnar-delta is a correlate option (pooled r against δ), drop it here');
    const dataset = await Dataset.open(file, { ...opts.data, hash: opts.format === 'json' }, ctx);
    const out = Output.open(opts.out, readPaths(file, opts.data), ctx);
    const imputing = imputationWriter(options.missing, ctx, readPaths(file, opts.data));
    await out.complete(async () => {
      const result = await imputing.run(() => model(dataset, { ...options, imputationSink: imputing.sink }));
      noteScores(dataset, result.notes, ctx);
      out.write(renderModel(result, dataset, options, opts.format, ctx, flagName));
    });
  },
});

/** model's flags as ModelOptions. */
function modelOptions(opts: OptionValues<typeof options>): ModelOptions {
  if (opts.y === undefined || opts.y.trim() === '') throw new UsageError('--y is needed: name the outcome column or role, e.g. --y distress');
  const y = opts.y.trim();
  if (y.includes(',')) throw new UsageError(`--y takes one outcome, got "${opts.y}", fit one model per outcome`);
  const x = opts.x ? list(opts.x) : [];
  if (x.length === 0) throw new UsageError('--x is needed: name the predictor columns or roles, e.g. --x alliance');
  const ci = parseCiLevel(opts.ci);
  const ref = parseRef(opts.ref);
  const interaction = opts.interaction === undefined ? null : opts.interaction.trim();
  if (interaction !== null && (interaction === '' || interaction.includes(','))) {
    throw new UsageError(`--interaction takes one column, got "${opts.interaction}", e.g. --interaction sex`);
  }
  return {
    y,
    x,
    adjust: opts.adjust ? list(opts.adjust) : [],
    interaction,
    by: opts.by ?? null,
    categorical: new Set(opts.categorical ? list(opts.categorical) : []),
    ref,
    robust: opts.robust ?? null,
    standardize: opts.standardize,
    ciLevel: ci,
    idColumn: opts.id ?? 'id',
    idExplicit: opts.id !== undefined,
  };
}
