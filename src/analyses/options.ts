/**
 * Options several analyses take alike (options.ts declarations): each analysis's own list (CORRELATE_OPTIONS,
 * MODEL_OPTIONS, …) takes these, restated where the analysis says what they do in its own words.
 */
import { CANRELAX } from '../data/canrelax';
import { option, UsageError, words } from '../errors';
import { column, columns, level, repeated, SEED_RULE, text, whole } from '../options';

/** "alliance,bond,task,goal": a default as the help says it. */
export const canrelaxText = (names: readonly string[]): string => names.join(',');

export const ADJUST = columns('adjust', {
  placeholder: 'cols',
  description: words`covariates (numeric, or categorical: text columns and ${option('categorical')} ones)`,
  empty: true,
  report: { plan: 'covariates', default: CANRELAX.covariates, description: 'the covariates of every analysis' },
});
export const BY = column('by', { placeholder: 'col', description: 'one analysis per level of this column', report: { plan: 'stratifier', default: CANRELAX.stratifier, description: 'the column the stratified step and the moderation model split by (null: neither step)' } });
export const CI = level('ci', { placeholder: 'level', description: 'confidence level', default: 0.95, report: { plan: 'ci' } });
export const REF = repeated('ref', { placeholder: 'col=level', description: 'reference level of a categorical covariate (repeatable)', report: { plan: 'reference', description: 'reference levels by column or role, over the config\'s: { "column": "level" }' } });
export const CATEGORICAL = columns('categorical', { placeholder: 'cols', description: 'numeric columns to treat as categorical', empty: true, report: { config: 'categorical' } });
export const ID = text('id', { placeholder: 'column', description: 'id column', default: 'id' });
/** Bootstrap resamples where some are always drawn (correlate --bootstrap, the report's "bootstrap.resamples"). */
export const BOOTSTRAP = whole('bootstrap', { min: 100, max: 10_000_000, unit: ' of resamples' }, {
  placeholder: 'n',
  description: 'bootstrap resamples for percentile and BCa intervals',
  report: { plan: 'bootstrap.resamples', default: 2000, description: 'bootstrap resamples of the sensitivity step' },
});
/** The seed of a bootstrap: the report's "bootstrap.seed" (on the command line --seed, declared with the missing-data options). */
export const BOOTSTRAP_SEED = whole('seed', SEED_RULE, { placeholder: 'seed', description: 'seed of the bootstrap resamples', report: { plan: 'bootstrap.seed', default: 2026 } });

/** The values of REF (COLUMN=LEVEL, in the order given) as a map. */
export function referenceLevels(pairs: readonly string[] | undefined): Map<string, string> {
  const ref = new Map<string, string>();
  for (const pair of pairs ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0 || at === pair.length - 1) throw new UsageError(words`${option('ref')} takes COLUMN=LEVEL, got "${pair}", e.g. ${option('ref')} sex=male`);
    ref.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
  return ref;
}
