/**
 * The report's words: variable labels (a role's name in a sentence and in a table), lists, and the APA phrases of
 * numbers that every step's text uses.
 *
 * Wording rules: strength of |r| after Cohen (1988): < .10 negligible, < .30 weak, < .50 moderate, else strong;
 * BF10 after Lee & Wagenmakers (2013): 1–3 anecdotal, 3–10 moderate, 10–30 strong, > 30 very strong evidence (for an
 * association when BF10 > 1, for none when BF10 < 1, graded by 1/BF10).
 */
import type { CorrelateResult } from '../analyses/correlate';
import { bounded, ciText, coefficientDigits, fixed, pPhrase } from '../render/apa';
import type { PlanVariable } from './plan-types';

/** Role → [in a sentence, in a table]. */
const ROLE_TEXT: Record<string, [string, string]> = {
  alliance: ['alliance', 'Alliance (WAI-I total)'],
  bond: ['bond', 'Bond'],
  task: ['task', 'Task'],
  goal: ['goal', 'Goal'],
  distress: ['week-10 distress', 'Week-10 distress (PHQ-ADS)'],
  baseline: ['baseline distress', 'Baseline distress (PHQ-ADS)'],
  expectation: ['treatment expectation', 'Treatment expectation'],
  sex: ['sex', 'Sex'],
  age: ['age', 'Age'],
};

export class Labels {
  private readonly byColumn = new Map<string, PlanVariable>();
  constructor(private readonly variables: Map<string, PlanVariable>) {
    for (const v of variables.values()) if (!this.byColumn.has(v.column) || v.role !== null) this.byColumn.set(v.column, v);
  }
  private variable(name: string): PlanVariable | undefined {
    return this.variables.get(name) ?? this.byColumn.get(name);
  }
  /** In a sentence: "week-10 distress"; a column without a role by its SPSS variable label, else its name. */
  text(name: string): string {
    const v = this.variable(name);
    return v?.role && ROLE_TEXT[v.role] ? ROLE_TEXT[v.role][0] : v?.label ?? v?.column ?? name;
  }
  /** In a table: "Week-10 distress (PHQ-ADS)"; a column without a role by its SPSS variable label, else its name. */
  table(name: string): string {
    const v = this.variable(name);
    return v?.role && ROLE_TEXT[v.role] ? ROLE_TEXT[v.role][1] : v?.label ?? v?.column ?? name;
  }
  column(name: string): string {
    return this.variable(name)?.column ?? name;
  }
  /** "week-10 distress (phqads_total_w10)", or the column alone when that is its label. Plain text. */
  withColumn(name: string): string {
    const text = this.text(name);
    const column = this.column(name);
    return text === column ? column : `${text} (${column})`;
  }
  /** "alliance (`wai_total`)" when the role names another column. */
  described(name: string): string {
    const text = this.text(name);
    const column = this.column(name);
    if (text !== column) return `${text} (\`${column}\`)`;
    return this.variable(name)?.role ? text : `\`${column}\``;
  }
}

export const nameOf = (r: CorrelateResult, side: 'x' | 'y') => (side === 'x' ? r.x_role ?? r.x : r.y_role ?? r.y);

export function joinAnd(items: string[]): string {
  if (items.length <= 1) return items.join('');
  if (items.length === 2) return `${items[0]} and ${items[1]}`;
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** p.adjust methods by name. */
export const P_ADJUST_NAMES: Record<string, string> = { holm: 'Holm', bonferroni: 'Bonferroni', bh: 'Benjamini–Hochberg', by: 'Benjamini–Yekutieli', none: 'none' };

export const levelText = (ci: number) => `${Math.round(ci * 1000) / 10}%`;

export function strength(r: number): string {
  const a = Math.abs(r);
  return a < 0.1 ? 'negligibly' : a < 0.3 ? 'weakly' : a < 0.5 ? 'moderately' : 'strongly';
}

/** BF10 for people: two decimals, one from 10, bounds beyond 1000 and below 0.001. */
export function bfText(bf: number | null | undefined): string {
  if (bf === null || bf === undefined || !Number.isFinite(bf)) return '–';
  if (bf > 1000) return '> 1000';
  if (bf < 0.001) return '< 0.001';
  if (bf < 0.1) return fixed(bf, 3);
  return fixed(bf, bf >= 10 ? 1 : 2);
}

function bfPhrase(bf: number): string {
  const text = bfText(bf);
  return text.startsWith('>') || text.startsWith('<') ? `BF₁₀ ${text}` : `BF₁₀ = ${text}`;
}

/** Evidence wording for BF10. */
export function bfEvidence(bf: number): string {
  const toward = bf >= 1 ? 'an association' : 'no association';
  const b = bf >= 1 ? bf : 1 / bf;
  const grade = b < 3 ? 'anecdotal' : b < 10 ? 'moderate' : b < 30 ? 'strong' : 'very strong';
  return `${grade} evidence for ${toward}`;
}

/** "r = −.18, 95% CI [−.35, .01], p = .056, BF₁₀ = 0.61" (the numbers a result has). */
export function rNumbers(r: CorrelateResult, ci: number, pAdjust: string, symbol = '*r*'): string {
  const parts = [`${symbol} = ${bounded(r.r)}`, `${levelText(ci)} CI ${ciText(r.ci)}`, pPhrase(r.p).replace(/^p/, '*p*')];
  if (pAdjust !== 'none') parts.push(`${P_ADJUST_NAMES[pAdjust]}-adjusted ${pPhrase(r.p_adjusted).replace(/^p/, '*p*')}`);
  if (r.bf10 !== undefined && r.bf10 !== null) parts.push(bfPhrase(r.bf10));
  return parts.join(', ');
}

export function covariatePhrase(names: string[], labels: Labels): string {
  return names.length ? joinAnd(names.map((n) => labels.text(n))) : 'nothing';
}

/** "Adjusting for age and sex" (or "Without adjustment"), to open a sentence. */
export function adjusting(covariates: string): string {
  return covariates === 'nothing' ? 'Without adjustment' : `Adjusting for ${covariates}`;
}


export function coefficient(estimate: number | null, se: number | null): string {
  return fixed(estimate, coefficientDigits(se ?? estimate));
}

export function stratumPhrase(level: string, stratifier: string | null, labels: Labels, n?: number): string {
  const column = stratifier !== null ? labels.column(stratifier) : null;
  const count = n === undefined ? '' : ` (*n* = ${n})`;
  if (stratifier !== null && (stratifier === 'sex' || column === 'sex')) return `in ${level} participants${count}`;
  return `where \`${column}\` = ${level}${count}`;
}
