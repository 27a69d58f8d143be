/** correlate's options, declared once (options.ts): the command line's flags and the report's plan keys come from here. */
import { option, words } from '../../errors';
import { CANRELAX } from '../../data/canrelax';
import { choice, columns, declaredDefaults, flag, restated, type DeclaredValues } from '../../options';
import type { CorrelateOptions } from './types';
import { P_ADJUST_METHODS } from '../../stats/padjust';
import { ADJUST, BOOTSTRAP, BY, CATEGORICAL, CI, ID, REF, canrelaxText, referenceLevels } from '../options';

export const CORRELATE_OPTIONS = {
  x: columns('x', { placeholder: 'cols', description: `x variables, comma-separated (default on a CanRelax export: ${canrelaxText(CANRELAX.x)})`, report: { plan: 'x', default: CANRELAX.x, description: "the x of every partial correlation (the first the moderation model's predictor)" } }),
  y: columns('y', { placeholder: 'cols', description: `y variables (default on a CanRelax export: ${CANRELAX.y})` }),
  adjust: ADJUST,
  method: choice('method', ['pearson', 'spearman'], { placeholder: 'method', description: 'correlation', default: 'pearson' }),
  by: restated(BY, { description: 'analyse each level of this column on its own rows and compare them' }),
  ci: CI,
  alternative: choice('alternative', ['two-sided', 'less', 'greater'], { placeholder: 'h1', description: 'alternative hypothesis', default: 'two-sided' }),
  pAdjust: choice('pAdjust', P_ADJUST_METHODS, { placeholder: 'method', description: 'multiple-testing correction over all reported p', default: 'none', report: { plan: 'p_adjust' } }),
  semi: choice('semi', ['x', 'y'], { placeholder: 'var', description: 'also the semi-partial r, covariates removed from x only or y only' }),
  bootstrap: BOOTSTRAP,
  ref: REF,
  categorical: CATEGORICAL,
  listExcluded: flag('listExcluded', { description: 'list the ids of rows each analysis leaves out' }),
  id: restated(ID, { description: words`id column for ${option('listExcluded')}` }),
  bayes: flag('bayes', { description: 'add the JZS Bayes factor BF10 (Wetzels & Wagenmakers 2012, rscale 1)', report: { plan: 'bayes', default: true } }),
};

export type CorrelateValues = DeclaredValues<typeof CORRELATE_OPTIONS>;

/** correlate's options at their defaults. */
export const CORRELATE_DEFAULTS: Readonly<CorrelateValues> = declaredDefaults(CORRELATE_OPTIONS);

/**
 * correlate's option values as CorrelateOptions (the Bayes factor apart), x and y null when not given or empty (the
 * defaults need the file). `seed`: the bootstrap's (on the command line --seed, declared with the missing-data options).
 */
export function correlateOptionsOf(values: CorrelateValues, seed: number): Omit<CorrelateOptions, 'x' | 'y' | 'bayes'> & { x: string[] | null; y: string[] | null } {
  return {
    x: values.x?.length ? values.x : null,
    y: values.y?.length ? values.y : null,
    adjust: values.adjust ?? [],
    method: values.method,
    by: values.by ?? null,
    ciLevel: values.ci,
    alternative: values.alternative,
    pAdjust: values.pAdjust,
    semi: values.semi ?? null,
    bootstrap: values.bootstrap ?? null,
    seed,
    ref: referenceLevels(values.ref),
    categorical: new Set(values.categorical ?? []),
    listExcluded: values.listExcluded,
    idColumn: values.id,
  };
}
