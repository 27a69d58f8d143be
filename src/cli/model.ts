/** model — linear regression as R's `lm(y ~ x * group + covariates)`, optionally one model per stratum. */
import { flagName } from './flag-name';
import { UsageError } from '../errors';
import { Dataset } from '../data/dataset';
import { Output } from '../io/output';
import { model, MODEL_OPTIONS, modelOptionsOf } from '../analyses/model';
import { renderModel } from '../render/model';
import { choice, declaredOptions, defineCommand } from './command';
import { imputationWriter } from './imputations';
import { DATA_OPTIONS, INPUT_FILE, MISSING_OPTIONS, OUT_OPTION, noteScores, readPaths } from './common';
import { missingOptions } from '../frame/missing-options';

const options = {
  ...declaredOptions(MODEL_OPTIONS),
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
    const options = { ...modelOptionsOf(opts), missing: missingOptions(opts.missing) };
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
