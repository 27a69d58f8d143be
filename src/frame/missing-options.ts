/**
 * The missing-data options, declared once (options.ts): the command line's --missing group (correlate, model,
 * mediate, describe) and the report's plan key "missing" both come from these declarations, and both read their
 * values into MissingOptions by `missingOptions`.
 */
import { option, UsageError, words } from '../errors';
import { choice, column, columns, DEFAULT_SEED, list, SEED_RULE, shownJson, text, whole, type OptionDeclaration } from '../options';
import type { MissingOptions, MnarDelta } from './missing';

/** --mnar-delta: numbers in SD units, or with a `raw:` prefix in the outcome's units; a plan's: a list of SDs. */
const mnarDelta: OptionDeclaration<MnarDelta[]> = {
  key: 'mnarDelta',
  kind: 'numbers',
  placeholder: 'deltas',
  description: 'correlate: add δ × SD of the observed outcome to every imputed outcome value, e.g. -0.5,0.5 (raw:-2,2 for raw units)',
  report: { plan: 'missing.mnar_delta', default: [-1, -0.5, 0.5, 1], description: "the missing step's δ's, in SDs of the observed outcome" },
  fromText(value) {
    const raw = value.trim().startsWith('raw:');
    const body = raw ? value.trim().slice(4) : value;
    const deltas = list(body).map((text) => {
      const d = Number(text);
      if (!Number.isFinite(d)) throw new UsageError(words`${option('mnarDelta')} takes numbers, e.g. -0.5,0.5 or raw:-2,2, got "${text}"`);
      return { value: d, raw };
    });
    if (deltas.length === 0) throw new UsageError(words`${option('mnarDelta')} needs at least one δ, e.g. -0.5,0.5`);
    return deltas;
  },
  fromJson(value) {
    if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new UsageError(words`${option('mnarDelta')} must be a list of numbers (SDs of the observed outcome), got ${shownJson(value)}`);
    }
    return value.map((v: number) => ({ value: v, raw: false }));
  },
};

export const MISSING_OPTIONS = {
  missing: choice('missing', ['listwise', 'mi'], {
    placeholder: 'how',
    description: 'missing values: listwise deletion, or multiple imputation',
    default: 'listwise',
    report: { plan: 'missing.method', description: 'listwise: every step as it is; mi: the correlation, moderation and mediation steps pooled over imputations' },
    rule: 'must be "listwise" or "mi"',
  }),
  imputations: whole(
    'imputations',
    { min: 2, max: 100_000, check: (n) => (n === 1 ? "Rubin's rules need at least 2 imputations (a between-imputation variance), give 2 or more" : undefined) },
    { placeholder: 'm', description: 'imputations (at least 2)', default: 20, report: { plan: 'missing.imputations' } },
  ),
  iterations: whole('iterations', { min: 1, max: 10_000 }, { placeholder: 't', description: 'chained-equation iterations per imputation', default: 10, report: { plan: 'missing.iterations' } }),
  seed: whole('seed', SEED_RULE, {
    placeholder: 'seed',
    description: words`random seed of the imputations and of correlate's and mediate's ${option('bootstrap')} (as every random procedure's)`,
    default: DEFAULT_SEED,
    report: { plan: 'missing.seed', default: 2026, description: 'seed of the imputations' },
  }),
  auxiliary: columns('auxiliary', { placeholder: 'cols', description: 'extra predictors used only in the imputation model', empty: true, report: { plan: 'missing.auxiliary', default: [] } }),
  imputeBy: column('imputeBy', {
    placeholder: 'col',
    description: 'impute within each level of this column (default: arm when it has more than one level; none: off)',
    report: { plan: 'missing.impute_by', default: 'auto', description: 'impute within each level of this column ("auto": arm when it has more than one level; null: no grouping)' },
  }),
  mnarDelta,
  writeImputations: text('writeImputations', {
    placeholder: 'dir',
    description: 'correlate, model, mediate: write DIR/imputations.csv, the completed data sets in mice::complete(imp, "long") layout',
  }),
};

/** The missing-data options' values as declared: the numbers parsed, the rest as given (undefined: not given). */
export interface MissingValues {
  missing: 'listwise' | 'mi';
  imputations: number;
  iterations: number;
  seed: number;
  auxiliary?: string[];
  /** A column, "none" or null for no grouping, undefined for the default (arm when it has more than one level). */
  imputeBy?: string | null;
  mnarDelta?: MnarDelta[];
  writeImputations?: string;
}

/** The missing-data options' values as MissingOptions: the options that only imputation takes need "missing" mi. */
export function missingOptions(values: MissingValues): MissingOptions {
  if (values.missing !== 'mi') {
    const given = (['auxiliary', 'imputeBy', 'mnarDelta', 'writeImputations'] as const).find((k) => values[k] !== undefined);
    if (given) throw new UsageError(words`${option(given)} needs ${option('missing')} mi`);
  }
  const imputeBy = values.imputeBy === undefined ? undefined : values.imputeBy === null || values.imputeBy.trim() === 'none' ? null : values.imputeBy.trim();
  return {
    missing: values.missing,
    imputations: values.imputations,
    iterations: values.iterations,
    seed: values.seed,
    auxiliary: values.auxiliary ?? [],
    imputeBy,
    mnarDelta: values.mnarDelta ?? [],
    writeImputations: values.writeImputations ?? null,
  };
}
