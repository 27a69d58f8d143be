/** robustness — a specification curve of partial correlations with its joint test (Simonsohn et al. 2020). */
import { flagName } from './flag-name';
import { option, UsageError, words } from '../errors';
import { Dataset } from '../data/dataset';
import { Progress } from '../data/progress';
import { Output } from '../io/output';
import { readRecordedFile } from '../io/recorded-file';
import { robustness, type RobustnessOptions } from '../analyses/robustness';
import { renderRobustness } from '../render/robustness';
import { renderSvg } from '../report/figures';
import { specificationCurveSpec } from '../report/spec-curve';
import { covariateSubsets, ROBUSTNESS_OPTIONS, type InfluentialRule, type SpecDimensions, type SpecMethod } from '../analyses/specifications';
import { choice, declaredOptions, defineCommand, text } from './command';
import { CANRELAX_X, CANRELAX_Y, columnsOrDefault, DATA_OPTIONS, INPUT_FILE, OUT_OPTION, noteScores, readPaths } from './common';
import { missingOptions } from '../frame/missing-options';
import { CANRELAX } from '../data/canrelax';
import { referenceLevels } from '../analyses/options';
import { parseJson } from '../io/json';

const METHODS: readonly SpecMethod[] = ['pearson', 'spearman'];
const RULES: readonly InfluentialRule[] = ['kept', 'removed'];

const options = {
  ...declaredOptions(ROBUSTNESS_OPTIONS),
  figure: text('--figure <file.svg>', 'also draw the specification curve as an SVG (several x: two to a row; up to four fit 7.2 × 9 in)'),
  format: choice('--format <format>', 'output', ['table', 'json', 'csv', 'markdown'], 'table'),
  out: OUT_OPTION,
};

export const robustnessCommand = defineCommand({
  name: 'robustness',
  summary: 'specification curve: every covariate set × method × influential-row rule, with a joint test',
  arguments: [INPUT_FILE],
  options,
  groups: { data: DATA_OPTIONS },
  notes: `Specifications per x: every subset of --adjust (the full set is the primary) × Pearson, Spearman × influential
rows kept or removed (Cook's distance > 4/n in the primary model); each r, CI and p as correlate gives them.
Joint test (Simonsohn, Simmons & Nelson 2020): null data y − b·x per specification, --null-samples bootstrap
resamples; p of the median r, of the share significant in the dominant sign and of Stouffer's Z, each against
that bootstrap null (Stouffer's Z too: not against N(0, 1)).
--with-mi adds each covariate set × method by multiple imputation (correlate --missing mi, 10 iterations, the
--seed), listed and drawn; the summary and the joint test stay over the listwise specifications.`,
  examples: [
    'canrelax-analyze robustness data.csv --where arm=app',
    'canrelax-analyze robustness data.csv --where arm=app --x alliance --figure curve.svg --format json',
    'canrelax-analyze robustness data.csv --where arm=app --specs specs.json --null-samples 2000 --seed 7',
  ],
  async run({ file }, opts, ctx) {
    const { maxSpecs, nullSamples, seed, ci: ciLevel } = opts;
    const specFile = opts.specs === undefined ? null : await readSpecs(opts.specs);
    const dataset = await Dataset.open(file, { ...opts.data, hash: opts.format === 'json' }, ctx);
    // An empty --adjust "" takes the default, as when not given.
    const adjust = opts.adjust?.length ? opts.adjust : (CANRELAX.covariates.every((name) => dataset.has(name)) ? [...CANRELAX.covariates] : []);
    const dimensions = dimensionsOf(specFile, adjust, maxSpecs);
    // Covariate names are checked here, so that an unknown one in a spec file is reported against the file.
    for (const name of new Set(dimensions.covariates.flat())) dataset.resolve(name, opts.specs === undefined ? option('adjust') : words`${option('specs')} ${opts.specs}`);
    const options: RobustnessOptions = {
      x: columnsOrDefault(dataset, opts.x?.length ? opts.x : null, CANRELAX_X, '--x'),
      y: columnsOrDefault(dataset, opts.y?.length ? opts.y : null, CANRELAX_Y, '--y'),
      dimensions,
      nullSamples,
      seed,
      ciLevel,
      alpha: 0.05,
      maxSpecs,
      ref: referenceLevels(opts.ref),
      categorical: new Set(opts.categorical ?? []),
      idColumn: opts.id,
      phase: (label) => Progress.forPhase(label, ctx),
    };
    if (opts.withMi) {
      if (file === '-') throw new UsageError('--with-mi reads the input once per covariate set and method, give a file, not - (stdin)');
      // correlate's reading of its missing-data options (the same checks and messages), the --seed given here.
      const missing = missingOptions({ missing: 'mi', imputations: opts.imputations, iterations: 10, seed });
      options.mi = { missing, open: () => Dataset.open(file, { ...opts.data }, ctx) };
    }
    const out = Output.open(opts.out, readPaths(file, opts.data, opts.specs), ctx);
    const figure = opts.figure === undefined ? null : Output.open(opts.figure, readPaths(file, opts.data, opts.specs), ctx, option('figure'));
    await out.complete(async () => {
      const result = await robustness(dataset, options);
      noteScores(dataset, result.notes, ctx);
      out.write(renderRobustness(result, dataset, options, opts.format, ctx, flagName));
      if (figure !== null) {
        await figure.complete(async () => {
          figure.write(await renderSvg(specificationCurveSpec(result.curves, { alpha: options.alpha, title: 'Specification curve', subtitle: [figureSubtitle(options)] })));
        });
      }
    });
  },
});

function figureSubtitle(options: RobustnessOptions): string {
  return `Partial r by specification, sorted, with ${Math.round(options.ciLevel * 1000) / 10}% CIs; below, the choices each makes; joint p from ${options.nullSamples} null resamples`;
}

/** A spec file as read: each dimension's options, absent when the file leaves it to the default. */
export interface SpecFile {
  covariates?: string[][];
  subsets_of?: string[];
  method?: SpecMethod[];
  influential?: InfluentialRule[];
}

/** Reads and checks a spec file (schema/specs.schema.json); every problem is one line, exit 2. */
export async function readSpecs(path: string): Promise<SpecFile> {
  const file = await readRecordedFile(path, option('specs'));
  let doc: unknown;
  try {
    doc = parseJson(file.content);
  } catch (error) {
    throw new UsageError(`--specs ${path} is not JSON (${(error as Error).message}), see schema/specs.schema.json`);
  }
  return parseSpecs(doc, `--specs ${path}`);
}

export function parseSpecs(doc: unknown, where: string): SpecFile {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new UsageError(`${where} must hold a JSON object, see schema/specs.schema.json`);
  const known = ['$schema', 'covariates', 'subsets_of', 'method', 'influential'];
  const record = doc as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!known.includes(key)) throw new UsageError(`${where}: unknown key "${key}", use ${known.slice(1).join(', ')}`);
  }
  const names = (value: unknown, what: string): string[] => {
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v.trim() !== '')) throw new UsageError(`${where}: ${what} must be a list of column names`);
    return value as string[];
  };
  const options = <T extends string>(key: string, allowed: readonly T[]): T[] | undefined => {
    const value = record[key];
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.length === 0) throw new UsageError(`${where}: "${key}" must be a non-empty list of ${allowed.join(', ')}`);
    for (const v of value) if (!allowed.includes(v as T)) throw new UsageError(`${where}: unknown ${key} "${String(v)}", use ${allowed.join(' or ')}`);
    if (new Set(value).size !== value.length) throw new UsageError(`${where}: "${key}" names an option twice`);
    return value as T[];
  };
  const spec: SpecFile = { method: options('method', METHODS), influential: options('influential', RULES) };
  if (record.covariates !== undefined && record.subsets_of !== undefined) throw new UsageError(`${where}: give "covariates" or "subsets_of", not both`);
  if (record.covariates !== undefined) {
    if (!Array.isArray(record.covariates) || record.covariates.length === 0) throw new UsageError(`${where}: "covariates" must be a non-empty list of covariate sets (lists of column names)`);
    spec.covariates = record.covariates.map((set, i) => names(set, `covariates[${i}]`));
  }
  if (record.subsets_of !== undefined) spec.subsets_of = names(record.subsets_of, '"subsets_of"');
  return spec;
}

/**
 * The dimensions: the spec file's, each dimension it leaves out at its default (subsets of --adjust, both methods,
 * both rules). More than `maxSpecs` specifications per curve is exit 2, checked before any subset is listed.
 */
export function dimensionsOf(file: SpecFile | null, adjust: string[], maxSpecs: number): SpecDimensions {
  const method = file?.method ?? [...METHODS];
  const influential = file?.influential ?? [...RULES];
  const subsetsOf = file?.covariates ? null : (file?.subsets_of ?? adjust);
  const sets = subsetsOf === null ? file!.covariates!.length : 2 ** subsetsOf.length;
  const count = sets * method.length * influential.length;
  if (count > maxSpecs) {
    const what = subsetsOf === null ? `${sets} covariate sets` : `${sets} subsets of ${subsetsOf.length} covariates`;
    throw new UsageError(`${count} specifications per curve (${what} × ${method.length} methods × ${influential.length} influential-row rules) exceed --max-specs ${maxSpecs}, drop options or raise --max-specs`);
  }
  return { covariates: subsetsOf === null ? file!.covariates! : covariateSubsets(subsetsOf), method, influential };
}
