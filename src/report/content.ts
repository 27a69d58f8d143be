/**
 * What the report says: per step, a plain-language paragraph with APA numbers, manuscript tables (TableSpec, as
 * the commands' tables) and figures; then the provenance. Numbers come from the step results as computed; here
 * they are only rounded and put into words (render/apa.ts).
 *
 * Wording rules: strength of |r| after Cohen (1988): < .10 negligible, < .30 weak, < .50 moderate, else strong;
 * BF10 after Lee & Wagenmakers (2013): 1–3 anecdotal, 3–10 moderate, 10–30 strong, > 30 very strong evidence (for an
 * association when BF10 > 1, for none when BF10 < 1, graded by 1/BF10).
 */
import type { CorrelateResult } from '../analyses/correlate';
import type { DescribeOutput, NumericSummary, CategoricalSummary } from '../analyses/describe';
import type { ModelResult } from '../analyses/model';
import type { PowerStep, ReportRun, StepRun, Variable } from '../analyses/report';
import { addedVariableFile } from '../analyses/report';
import { compareLevels } from '../data/levels';
import type { InstrumentSummary } from '../analyses/score-summary';
import { bounded, ciText, coefficientDigits, fixed, pPhrase, pValue } from '../render/apa';
import type { TableSpec } from '../render/table';
import type { Block, FigureRef, Provenance } from './document';
import { addedVariableSpec, forestSpec, type ForestRow } from './figures';
import { STEP_TITLES, type StepId } from './plan';

export interface FigurePlan extends FigureRef {
  step: StepId;
  title: string;
  spec: Record<string, any>;
}

export interface ReportContent {
  title: string;
  blocks: Block[];
  provenance: Block[];
  figures: FigurePlan[];
}

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

class Labels {
  private readonly byColumn = new Map<string, Variable>();
  constructor(private readonly variables: Map<string, Variable>) {
    for (const v of variables.values()) if (!this.byColumn.has(v.column) || v.role !== null) this.byColumn.set(v.column, v);
  }
  private variable(name: string): Variable | undefined {
    return this.variables.get(name) ?? this.byColumn.get(name);
  }
  /** In a sentence: "week-10 distress"; a column name without a role as it is. */
  text(name: string): string {
    const v = this.variable(name);
    return v?.role && ROLE_TEXT[v.role] ? ROLE_TEXT[v.role][0] : v?.column ?? name;
  }
  /** In a table: "Week-10 distress (PHQ-ADS)". */
  table(name: string): string {
    const v = this.variable(name);
    return v?.role && ROLE_TEXT[v.role] ? ROLE_TEXT[v.role][1] : v?.column ?? name;
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

const nameOf = (r: CorrelateResult, side: 'x' | 'y') => (side === 'x' ? r.x_role ?? r.x : r.y_role ?? r.y);

function joinAnd(items: string[]): string {
  if (items.length <= 1) return items.join('');
  if (items.length === 2) return `${items[0]} and ${items[1]}`;
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** p.adjust methods by name. */
const P_ADJUST_NAMES: Record<string, string> = { holm: 'Holm', bonferroni: 'Bonferroni', bh: 'Benjamini–Hochberg', by: 'Benjamini–Yekutieli', none: 'none' };

const levelText = (ci: number) => `${Math.round(ci * 1000) / 10}%`;

function strength(r: number): string {
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
function rNumbers(r: CorrelateResult, ci: number, pAdjust: string, symbol = '*r*'): string {
  const parts = [`${symbol} = ${bounded(r.r)}`, `${levelText(ci)} CI ${ciText(r.ci)}`, pPhrase(r.p).replace(/^p/, '*p*')];
  if (pAdjust !== 'none') parts.push(`${P_ADJUST_NAMES[pAdjust]}-adjusted ${pPhrase(r.p_adjusted).replace(/^p/, '*p*')}`);
  if (r.bf10 !== undefined && r.bf10 !== null) parts.push(bfPhrase(r.bf10));
  return parts.join(', ');
}

function covariatePhrase(names: string[], labels: Labels): string {
  return names.length ? joinAnd(names.map((n) => labels.text(n))) : 'nothing';
}

/** "Adjusting for age and sex" (or "Without adjustment"), to open a sentence. */
function adjusting(covariates: string): string {
  return covariates === 'nothing' ? 'Without adjustment' : `Adjusting for ${covariates}`;
}

/** Rows per table: results in x order; `by` adds the stratum column. */
function correlationTable(
  title: string,
  results: CorrelateResult[],
  side: 'x' | 'y',
  labels: Labels,
  ci: number,
  pAdjust: string,
  footer: string[],
  options: { stratum?: string; symbol?: string; bayes?: boolean; zeroOrder?: boolean } = {},
): TableSpec {
  const symbol = options.symbol ?? 'r';
  const adjusted = pAdjust !== 'none';
  const bayes = options.bayes ?? results.some((r) => r.bf10 !== undefined);
  const zero = options.zeroOrder ?? true;
  const head = ['Variable', ...(options.stratum ? [options.stratum] : []), 'n', 'df', symbol, `${levelText(ci)} CI`, 'p', ...(adjusted ? [`p (${P_ADJUST_NAMES[pAdjust]})`] : []), ...(bayes ? ['BF₁₀'] : []), ...(zero ? [`Zero-order ${symbol}`] : [])];
  const rows = results.map((r) => [
    labels.table(nameOf(r, side)),
    ...(options.stratum ? [r.stratum ?? ''] : []),
    String(r.n),
    r.df === null ? '–' : String(r.df),
    r.r === null ? `– (${r.reason ?? 'undefined'})` : bounded(r.r),
    ciText(r.ci),
    pValue(r.p),
    ...(adjusted ? [pValue(r.p_adjusted)] : []),
    ...(bayes ? [bfText(r.bf10)] : []),
    ...(zero ? [bounded(r.zero_order.r)] : []),
  ]);
  return { title, head, rows, numeric: head.map((_, i) => i >= (options.stratum ? 2 : 1)), footer };
}

function excludedNote(results: CorrelateResult[], side: 'x' | 'y', labels: Labels): string {
  return (
    'Listwise deletion per analysis, rows left out: ' +
    results
      .map((r) => {
        const reasons = Object.entries(r.excluded.by_reason).map(([why, count]) => `${why.replace(/^missing /, '')} ${count}`);
        return `${labels.table(nameOf(r, side))}${r.stratum !== null ? ` (${r.stratum})` : ''} ${r.excluded.rows}${reasons.length ? ` (missing: ${reasons.join(', ')})` : ''}`;
      })
      .join('; ') +
    '.'
  );
}

function codedNote(results: CorrelateResult[]): string | null {
  const first = results.find((r) => r.r !== null) ?? results[0];
  if (!first) return null;
  const dropped = [...new Set(results.flatMap((r) => r.dropped_covariates))];
  return `Covariate columns as coded: ${first.covariates.length ? first.covariates.join(', ') : 'none'} (k = ${first.k})${dropped.length ? `; dropped as aliased: ${dropped.join(', ')}` : ''}.`;
}

const METHOD_NOTE = (ci: number) =>
  `Pearson partial correlations; ${levelText(ci)} CI by Fisher z on n − 3 − k; p from the two-sided t test on df = n − 2 − k.`;
const BAYES_NOTE = 'BF₁₀: JZS Bayes factor of the partial correlation against none (Wetzels & Wagenmakers 2012, r scale 1); > 3 favours an association, < 1/3 none.';

/** Paragraph for one correlation with words: "Adjusting for …, alliance was weakly and negatively associated with …". */
function associationSentence(r: CorrelateResult, labels: Labels, ci: number, pAdjust: string, covariates: string, lead = true): string {
  const x = labels.text(nameOf(r, 'x'));
  const y = labels.text(nameOf(r, 'y'));
  const start = lead ? `${adjusting(covariates)}, ${x}` : capitalise(x);
  if (r.r === null) return `${start} and ${y}: the partial correlation could not be estimated (${r.reason ?? 'undefined'}, n = ${r.n}).`;
  const words = `was ${strength(r.r)} and ${r.r < 0 ? 'negatively' : 'positively'} associated with`;
  const bf = r.bf10 !== undefined && r.bf10 !== null ? ` The Bayes factor gives ${bfEvidence(r.bf10)}.` : '';
  return `${start} ${words} ${y}, ${rNumbers(r, ci, pAdjust)} (*n* = ${r.n}).${bf}`;
}

function compactList(results: CorrelateResult[], side: 'x' | 'y', labels: Labels, ci: number, pAdjust: string, symbol = '*r*'): string {
  return results.map((r) => `${labels.text(nameOf(r, side))} ${r.r === null ? `(not estimable: ${r.reason})` : rNumbers(r, ci, pAdjust, symbol)}`).join('; ');
}

function coefficient(estimate: number | null, se: number | null): string {
  return fixed(estimate, coefficientDigits(se ?? estimate));
}

function stratumPhrase(level: string, stratifier: string | null, labels: Labels, n?: number): string {
  const column = stratifier !== null ? labels.column(stratifier) : null;
  const count = n === undefined ? '' : ` (*n* = ${n})`;
  if (stratifier !== null && (stratifier === 'sex' || column === 'sex')) return `in ${level} participants${count}`;
  return `where \`${column}\` = ${level}${count}`;
}

function percent(value: number | null | undefined, digits = 0): string {
  return value === null || value === undefined ? '–' : `${fixed(100 * value, digits)}%`;
}

// ---------------------------------------------------------------------------------------------------------------

interface Context {
  run: ReportRun;
  labels: Labels;
  tables: number;
  figures: number;
  figurePlans: FigurePlan[];
  /** Forest plot rows, filled by the correlation steps; drawn in the later of the two. */
  forest: { overall: CorrelateResult[] | null; strata: CorrelateResult[] | null; lastStep: StepId | null };
}

function nextTable(ctx: Context, title: string): string {
  ctx.tables++;
  return `Table ${ctx.tables}. ${title}`;
}

export function reportContent(run: ReportRun, provenance: Provenance): ReportContent {
  const labels = new Labels(run.variables);
  const plan = run.plan;
  const ctx: Context = { run, labels, tables: 0, figures: 0, figurePlans: [], forest: { overall: null, strata: null, lastStep: null } };
  const correlationSteps = plan.steps.filter((s) => s === 'correlations' || s === 'stratified');
  ctx.forest.lastStep = correlationSteps.length ? correlationSteps[correlationSteps.length - 1] : null;

  const blocks: Block[] = [{ kind: 'heading', level: 1, text: plan.title }];
  blocks.push({ kind: 'paragraph', text: introduction(run, labels) });
  if (run.notes.length) blocks.push({ kind: 'list', items: run.notes.map((n) => `Note: ${n}.`) });

  run.steps.forEach((step, i) => {
    blocks.push({ kind: 'heading', level: 2, text: `${i + 1}. ${stepTitle(step.id, run, labels)}` });
    blocks.push(...stepBlocks(step, ctx));
  });

  return { title: plan.title, blocks, provenance: provenanceBlocks(provenance), figures: ctx.figurePlans };
}

function stepTitle(id: StepId, run: ReportRun, labels: Labels): string {
  const plan = run.plan;
  switch (id) {
    case 'correlations':
      return `Partial correlations of ${joinAnd(plan.x.map((x) => labels.text(x)))} with ${labels.text(plan.y)}`;
    case 'stratified':
      return `Partial correlations by ${labels.text(plan.stratifier!)}`;
    case 'moderation':
      return `Moderation: ${labels.text(plan.x[0])} × ${labels.text(plan.stratifier!)}`;
    case 'expectation':
      return `${capitalise(labels.text(plan.expectation!.variable))} and ${labels.text(plan.x[0])}`;
    default:
      return STEP_TITLES[id];
  }
}

function introduction(run: ReportRun, labels: Labels): string {
  const plan = run.plan;
  const input = run.input;
  const rows = `${input.rows} rows read${plan.where ? `, ${input.rows_kept} kept where ${plan.where}` : ''}`;
  const alpha = bounded(1 - plan.ci, 3).replace(/0+$/, '');
  return (
    `Reanalysis of \`${run.source.path === '-' ? 'stdin' : run.source.path}\` (${rows}). ` +
    `Outcome: ${labels.described(plan.y)}. Alliance variables: ${joinAnd(plan.x.map((x) => labels.described(x)))}. ` +
    `Covariates: ${plan.covariates.length ? joinAnd(plan.covariates.map((c) => labels.described(c))) : 'none'}` +
    `${plan.stratifier ? `; stratifier: ${labels.described(plan.stratifier)}` : ''}. ` +
    `Intervals are ${levelText(plan.ci)} confidence intervals; tests are two-sided (α = ${alpha})` +
    `${plan.p_adjust !== 'none' ? `, with *p* values also adjusted (${P_ADJUST_NAMES[plan.p_adjust]}) over each table's tests` : ''}.`
  );
}

function stepBlocks(step: StepRun, ctx: Context): Block[] {
  switch (step.id) {
    case 'sample':
      return sampleBlocks(step.output, ctx);
    case 'reliability':
      return reliabilityBlocks(step.instruments, step.rows, step.labels, ctx);
    case 'correlations':
      return correlationBlocks(step, ctx);
    case 'stratified':
      return stratifiedBlocks(step, ctx);
    case 'moderation':
      return moderationBlocks(step, ctx);
    case 'expectation':
      return expectationBlocks(step, ctx);
    case 'sensitivity':
      return sensitivityBlocks(step, ctx);
  }
}

// 1. Sample ------------------------------------------------------------------------------------------------------

function sampleBlocks(output: DescribeOutput, ctx: Context): Block[] {
  const { run, labels } = ctx;
  const plan = run.plan;
  const groups = output.groups.map((g) => `${output.group_rows[g]} ${g}`);
  const by = output.by !== null ? `: ${joinAnd(groups)}${output.missing_by ? ` and ${output.missing_by} without a value of ${labels.text(plan.stratifier!)}` : ''}` : '';
  const missing = output.variables
    .filter((v) => v.overall.missing > 0)
    .map((v) => `${labels.text(v.role ?? v.name)} ${v.overall.missing} (${fixed((100 * v.overall.missing) / output.rows, 1)}%)`);
  const text =
    `${plan.where ? `${output.rows} of the ${run.input.rows} rows met the filter ${plan.where}` : `The file holds ${output.rows} rows`}${by}. ` +
    (missing.length ? `Missing values: ${joinAnd(missing)}; each analysis below uses the rows complete for its variables.` : 'No analysis variable had missing values.');
  const columns: Array<{ head: string; summary: (v: DescribeOutput['variables'][number]) => NumericSummary | CategoricalSummary }> = [
    ...output.groups.map((g) => ({ head: `${g} (n = ${output.group_rows[g]})`, summary: (v: DescribeOutput['variables'][number]) => v.by_group![g] })),
    { head: `All (n = ${output.rows})`, summary: (v: DescribeOutput['variables'][number]) => v.overall },
  ];
  const rows: string[][] = [];
  for (const v of output.variables) {
    const label = labels.table(v.role ?? v.name);
    if (v.kind === 'numeric') {
      rows.push([`${label}, M (SD)`, ...columns.map((c) => {
        const s = c.summary(v) as NumericSummary;
        return s.n === 0 ? '–' : `${fixed(s.mean)} (${fixed(s.sd)})`;
      })]);
    } else {
      rows.push([`${label}, n (%)`, ...columns.map(() => '')]);
      (v.overall as CategoricalSummary).levels.forEach((level, i) => {
        rows.push([`\u00a0\u00a0${level.level}`, ...columns.map((c) => {
          const l = (c.summary(v) as CategoricalSummary).levels[i];
          return l.percent === null ? String(l.count) : `${l.count} (${fixed(l.percent, 1)})`;
        })]);
      });
    }
    if (v.overall.missing > 0) rows.push(['\u00a0\u00a0Missing, n', ...columns.map((c) => String(c.summary(v).missing))]);
  }
  const footer = [
    'M (SD): mean (sample SD, n − 1); n (%): count (percent of non-missing values).',
    `Columns: ${output.variables.map((v) => `${labels.table(v.role ?? v.name)} = ${v.name}`).join('; ')}.`,
    ...output.notes.map((n) => `Note: ${n}.`),
  ];
  return [
    { kind: 'paragraph', text },
    { kind: 'table', spec: { title: nextTable(ctx, `Sample characteristics${output.by ? ` by ${labels.text(plan.stratifier!)}` : ''}`), head: ['Variable', ...columns.map((c) => c.head)], rows, numeric: [false, ...columns.map(() => true)], footer } },
  ];
}

// 2. Reliability -------------------------------------------------------------------------------------------------

function reliabilityBlocks(instruments: InstrumentSummary[], rowCount: number, names: Record<string, string>, ctx: Context): Block[] {
  const { run, labels } = ctx;
  if (instruments.length === 0) {
    return [{ kind: 'paragraph', text: 'No questionnaire items were found in the file (its scores were read as they are), so there is nothing to score: reliability needs the items.' }];
  }
  const columnLabel = (column: string) => {
    const v = [...run.variables.values()].find((x) => x.column === column);
    return v && labels.text(v.name) !== column ? `${column} (${labels.text(v.name)})` : column;
  };
  const sentences = instruments.map((inst) => {
    const name = `${names[inst.id] ?? inst.id}${inst.timepoint ? `, ${inst.timepoint}` : ''}`;
    const alphas = inst.subscales.filter((s) => s.alpha !== null).map((s) => `${s.id} ${bounded(s.alpha)} (*n* = ${s.alpha_n})`);
    const itemTotals = inst.subscales.flatMap((s) => s.items.map((it) => it.item_total_r)).filter((r): r is number => r !== null);
    const range = itemTotals.length ? `; corrected item–total correlations ranged from ${bounded(Math.min(...itemTotals))} to ${bounded(Math.max(...itemTotals))}` : '';
    return alphas.length ? `${name}: Cronbach's α ${alphas.join(', ')}${range}.` : `${name}: α not estimable (too few rows with every item answered).`;
  });
  const blocks: Block[] = [
    {
      kind: 'paragraph',
      text: `Scores were computed from the items as each instrument defines them (item means or prorated sums when enough items are answered), on the ${rowCount} rows analysed. Internal consistency on the rows answering every item of a scale: ${sentences.join(' ')}`,
    },
  ];
  const rows: string[][] = [];
  for (const inst of instruments) {
    for (const s of inst.subscales) {
      const r = s.items.map((it) => it.item_total_r).filter((v): v is number => v !== null);
      rows.push([
        columnLabel(s.column),
        String(s.n),
        fixed(s.mean),
        fixed(s.sd),
        `${fixed(s.min)}–${fixed(s.max)}`,
        bounded(s.alpha),
        s.alpha === null ? '–' : String(s.alpha_n),
        r.length ? `${bounded(Math.min(...r))} to ${bounded(Math.max(...r))}` : '–',
      ]);
    }
  }
  blocks.push({
    kind: 'table',
    spec: {
      title: nextTable(ctx, 'Scores and reliability'),
      head: ['Scale', 'n', 'M', 'SD', 'Range', 'α', 'α n', 'Item–total r'],
      rows,
      numeric: [false, true, true, true, true, true, true, true],
      footer: ['n: rows with a score; SD with n − 1; α: Cronbach\'s alpha (raw) on the rows with every item answered (α n); item–total r corrected (item left out of the total).'],
    },
  });
  // Items of the alliance instrument (the one scoring the first x).
  const xColumn = labels.column(run.plan.x[0]);
  const alliance = instruments.find((inst) => inst.subscales.some((s) => s.column === xColumn));
  if (alliance) {
    const itemRows = alliance.subscales.flatMap((s) =>
      s.items.map((it) => [s.id, it.item + (it.column !== it.item ? ` (${it.column})` : '') + (it.reversed ? ' (reversed)' : ''), bounded(it.item_total_r), bounded(it.alpha_if_deleted)]),
    );
    blocks.push({
      kind: 'table',
      spec: {
        title: nextTable(ctx, `Items of ${names[alliance.id] ?? alliance.id}`),
        head: ['Scale', 'Item', 'Item–total r', 'α if deleted'],
        rows: itemRows,
        numeric: [false, false, true, true],
        footer: ['Corrected item–total correlation and Cronbach\'s α without the item, per scale, on the rows with every item of the scale answered.'],
      },
    });
  }
  return blocks;
}

// 3. Correlations ------------------------------------------------------------------------------------------------

function correlationBlocks(step: Extract<StepRun, { id: 'correlations' }>, ctx: Context): Block[] {
  const { run, labels } = ctx;
  const plan = run.plan;
  const results = step.output.results;
  const covariates = covariatePhrase(step.output.adjust, labels);
  const [first, ...rest] = results;
  const paragraphs: Block[] = [{ kind: 'paragraph', text: associationSentence(first, labels, plan.ci, plan.p_adjust, covariates) }];
  if (rest.length) {
    paragraphs.push({ kind: 'paragraph', text: `With the same adjustment: ${compactList(rest, 'x', labels, plan.ci, plan.p_adjust)}.` });
  }
  const footer = [
    `Partial correlations with ${labels.withColumn(plan.y)}, adjusted for ${step.output.adjust.join(', ') || 'nothing'}.`,
    ...[codedNote(results)].filter((n): n is string => n !== null),
    METHOD_NOTE(plan.ci),
    ...(results.some((r) => r.bf10 !== undefined) ? [BAYES_NOTE] : []),
    'Zero-order r: on the same rows, unadjusted.',
    excludedNote(results, 'x', labels),
    ...step.output.notes.map((n) => `Note: ${n}.`),
  ];
  const blocks: Block[] = [...paragraphs, { kind: 'table', spec: correlationTable(nextTable(ctx, `Partial correlations with ${labels.text(plan.y)}`), results, 'x', labels, plan.ci, plan.p_adjust, footer) }];
  ctx.forest.overall = results;
  if (ctx.forest.lastStep === 'correlations') blocks.push(forestBlock(ctx));
  // Added-variable plots: the first explained in full, the others in short.
  const refs: FigureRef[] = [];
  const sample = run.steps.find((s): s is Extract<StepRun, { id: 'sample' }> => s.id === 'sample');
  const groupTitle = plan.stratifier !== null ? labels.text(plan.stratifier) : null;
  for (const av of step.addedVariables) {
    if (av.n === 0) continue;
    const file = addedVariableFile(av.x);
    const x = labels.text(av.x);
    const title = `Added-variable plot: ${x}`;
    const groups = sample ? sample.output.groups : [...new Set(av.points.map((p) => p.group).filter((g): g is string => g !== null))].sort(compareLevels);
    const numbers = `b = ${fixed(av.slope, 2)}, partial *r* = ${bounded(av.r)}, *n* = ${av.n}`;
    ctx.figures++;
    const caption =
      refs.length === 0
        ? `*Figure ${ctx.figures}.* Added-variable plot of ${x} and ${labels.text(plan.y)}: both are residuals from regressions on the covariates (${covariates}); the line's slope is the coefficient of ${x} in the model with the covariates, and the correlation of the residuals is the partial correlation (${numbers}).${groupTitle ? ` Points are coloured by ${groupTitle}.` : ''}`
        : `*Figure ${ctx.figures}.* Added-variable plot of ${x} and ${labels.text(plan.y)}, as Figure ${ctx.figures - refs.length} (${numbers}).`;
    const ref: FigurePlan = {
      file,
      step: 'correlations',
      title: `Added-variable plot: ${x} and ${labels.text(plan.y)}`,
      alt: `Scatter plot of ${x} against ${labels.text(plan.y)}, both residualised on the covariates, with the least-squares line`,
      caption,
      spec: addedVariableSpec(av, {
        title,
        xTitle: `${capitalise(x)} (residual)`,
        yTitle: `${capitalise(labels.text(plan.y))} (residual)`,
        groupTitle,
        groups,
      }),
    };
    ctx.figurePlans.push(ref);
    refs.push(ref);
  }
  if (refs.length) blocks.push({ kind: 'figures', figures: refs });
  return blocks;
}

function forestBlock(ctx: Context): Block {
  const { run, labels } = ctx;
  const plan = run.plan;
  const rows: ForestRow[] = [];
  const overall = ctx.forest.overall ?? [];
  const strata = ctx.forest.strata ?? [];
  for (const x of plan.x) {
    const column = labels.column(x);
    for (const r of overall) if (r.x === column && r.r !== null && r.ci) rows.push({ label: labels.table(x), group: 'All', r: r.r, ci: r.ci, n: r.n });
    for (const r of strata) if (r.x === column && r.r !== null && r.ci) rows.push({ label: labels.table(x), group: r.stratum ?? '', r: r.r, ci: r.ci, n: r.n });
  }
  ctx.figures++;
  const y = labels.text(plan.y);
  const adjust = plan.covariates.map((c) => labels.text(c));
  const title = `Partial correlations with ${y}`;
  const adjusted = adjust.length ? `adjusted for ${joinAnd(adjust)}` : 'unadjusted';
  const subtitle = [`${adjust.length ? `Adjusted for ${adjust.length} covariate${adjust.length === 1 ? '' : 's'}` : 'Unadjusted'}; ${levelText(plan.ci)} CIs${strata.length ? `; by ${labels.text(plan.stratifier!)}` : ''}`];
  const ref: FigurePlan = {
    file: 'forest.svg',
    step: ctx.forest.lastStep!,
    title,
    alt: `Forest plot of the partial correlations of ${joinAnd(plan.x.map((x) => labels.text(x)))} with ${y}, with ${levelText(plan.ci)} confidence intervals${strata.length ? `, overall and by ${labels.text(plan.stratifier!)}` : ''}`,
    caption:
      `*Figure ${ctx.figures}.* ${title}${strata.length ? `, overall and by ${labels.text(plan.stratifier!)}` : ''}, ${adjusted}` +
      `${strata.length && adjust.length ? ' (within each stratum, for the other covariates)' : ''}: points are partial *r*, bars ${levelText(plan.ci)} confidence intervals (Fisher z), the dashed line *r* = 0.`,
    spec: forestSpec(rows, { title, subtitle, axisTitle: `Partial r with ${y} (${levelText(plan.ci)} CI)`, overall: overall.length ? 'All' : null }),
  };
  ctx.figurePlans.push(ref);
  return { kind: 'figures', figures: [ref] };
}

// 4. Stratified --------------------------------------------------------------------------------------------------

function stratifiedBlocks(step: Extract<StepRun, { id: 'stratified' }>, ctx: Context): Block[] {
  const { run, labels } = ctx;
  const plan = run.plan;
  const stratifier = plan.stratifier!;
  const results = step.output.results;
  const x0 = labels.column(plan.x[0]);
  const primary = results.filter((r) => r.x === x0);
  const covariates = covariatePhrase(step.output.adjust, labels);
  const parts = primary.map((r) => `${stratumPhrase(r.stratum ?? '', stratifier, labels, r.n)} ${r.r === null ? `not estimable (${r.reason})` : rNumbers(r, plan.ci, plan.p_adjust)}`);
  const comparisons = step.output.comparisons;
  const c0 = comparisons.filter((c) => c.x === x0);
  const diff = c0.map(
    (c) => `the difference (${c.strata[0]} − ${c.strata[1]}) was ${bounded(c.difference)}, ${levelText(plan.ci)} CI ${ciText(c.ci)}, *z* = ${fixed(c.z)}, ${pPhrase(c.p).replace(/^p/, '*p*')}`,
  );
  const text =
    `Within each level of ${labels.text(stratifier)}, ${adjusting(covariates).replace(/^./, (c) => c.toLowerCase())}, the partial correlation of ${labels.text(plan.x[0])} with ${labels.text(plan.y)} was: ${parts.join('; ')}. ` +
    (diff.length ? `${capitalise(diff.join('; '))} (Fisher z test of independent correlations, interval by Zou 2007).` : '');
  const others = comparisons.filter((c) => c.x !== x0);
  const blocks: Block[] = [{ kind: 'paragraph', text }];
  if (others.length) {
    blocks.push({
      kind: 'paragraph',
      text: `For the other variables, the stratum differences were: ${others.map((c) => `${labels.text(c.x)} ${bounded(c.difference)}, ${levelText(plan.ci)} CI ${ciText(c.ci)}, ${pPhrase(c.p).replace(/^p/, '*p*')}`).join('; ')}.`,
    });
  }
  const footer = [
    `Partial correlations with ${labels.withColumn(plan.y)} within each level of ${labels.column(stratifier)}, adjusted for ${step.output.adjust.join(', ') || 'nothing'}.`,
    METHOD_NOTE(plan.ci),
    ...(results.some((r) => r.bf10 !== undefined) ? [BAYES_NOTE] : []),
    `Rows without a value of ${labels.column(stratifier)}: ${step.output.missingStratum}.`,
    excludedNote(results, 'x', labels),
    ...step.output.notes.map((n) => `Note: ${n}.`),
  ];
  blocks.push({
    kind: 'table',
    spec: correlationTable(nextTable(ctx, `Partial correlations with ${labels.text(plan.y)} by ${labels.text(stratifier)}`), results, 'x', labels, plan.ci, plan.p_adjust, footer, {
      stratum: capitalise(labels.text(stratifier)),
    }),
  });
  if (comparisons.length) {
    blocks.push({
      kind: 'table',
      spec: {
        title: nextTable(ctx, `Differences between the strata`),
        head: ['Variable', 'Strata', 'r₁ − r₂', `${levelText(plan.ci)} CI`, 'z', 'p'],
        rows: comparisons.map((c) => [labels.table(c.x), `${c.strata[0]} − ${c.strata[1]}`, bounded(c.difference), ciText(c.ci), fixed(c.z), pValue(c.p)]),
        numeric: [false, false, true, true, true, true],
        footer: [
          'z: Fisher z test of two independent partial correlations (each on n − 3 − k); interval for the difference by Zou (2007).',
          ...step.output.heterogeneity.map((h) => `Heterogeneity across all strata, ${h.x}: Q(${h.df}) = ${fixed(h.q)}, p = ${pValue(h.p)}.`),
        ],
      },
    });
  }
  ctx.forest.strata = results;
  if (ctx.forest.lastStep === 'stratified') blocks.push(forestBlock(ctx));
  return blocks;
}

// 5. Moderation --------------------------------------------------------------------------------------------------

function moderationBlocks(step: Extract<StepRun, { id: 'moderation' }>, ctx: Context): Block[] {
  const { run, labels } = ctx;
  const plan = run.plan;
  const output = step.output;
  const m: ModelResult = output.models[0];
  const x = labels.text(plan.x[0]);
  const g = labels.text(plan.stratifier!);
  if (!m || m.reason) return [{ kind: 'paragraph', text: `The model \`${output.formula}\` could not be fitted${m?.reason ? `: ${m.reason}` : ''}.` }];
  const interactions = m.terms.filter((t) => t.term.includes(':'));
  const fit = `*n* = ${m.n}, *R*² = ${bounded(m.r2)}, adjusted *R*² = ${bounded(m.adj_r2)}`;
  const termText = (t: ModelResult['terms'][number]) =>
    t.aliased ? `${t.term} aliased` : `\`${t.term}\` *b* = ${coefficient(t.estimate, t.se)}, ${levelText(plan.ci)} CI ${ciText(t.ci, (v) => coefficient(v, t.se))}, ${pPhrase(t.p).replace(/^p/, '*p*')}`;
  const slopes = (m.simple_slopes ?? []).map(
    (s) => `*b* = ${coefficient(s.estimate, s.se)}, ${levelText(plan.ci)} CI ${ciText(s.ci, (v) => coefficient(v, s.se))}, ${pPhrase(s.p).replace(/^p/, '*p*')} ${stratumPhrase(s.level, plan.stratifier, labels)}`,
  );
  const dg = m.diagnostics;
  const vifs = Object.entries(dg.vif).filter(([term]) => !term.includes(':') && term !== output.x[0] && !term.startsWith(output.interaction ?? '\u0000'));
  const maxVif = vifs.reduce((a, [, v]) => (v !== null && v > a ? v : a), 0);
  const paragraphs: Block[] = [
    {
      kind: 'paragraph',
      text:
        `In the linear model \`${output.formula}\` (${fit}), the ${x} × ${g} interaction was ${interactions.map(termText).join('; ')}. ` +
        (slopes.length ? `The simple slope of ${x} was ${joinAnd(slopes)}.` : ''),
    },
    {
      kind: 'paragraph',
      text:
        `Diagnostics: the largest Cook's distance was ${fixed(dg.cooks_max, 3)} (row ${dg.cooks_max_id}); ${dg.influential.length} ${dg.influential.length === 1 ? 'row' : 'rows'} exceeded 4/*n* = ${fixed(dg.cooks_threshold, 3)}` +
        `${dg.leverage_one.length ? `; ${dg.leverage_one.length} rows had leverage 1` : ''}. ` +
        (vifs.length ? `Covariate VIFs were at most ${fixed(maxVif, 2)}; the VIFs of ${x}, ${g} and their product reflect the uncentred coding and do not affect the interaction test.` : ''),
    },
  ];
  const termRows = m.terms.map((t) => {
    if (t.aliased) return [t.term, '– (aliased)', '–', '–', '–', '–', '–'];
    const d = coefficientDigits(t.se ?? t.estimate);
    return [t.term, fixed(t.estimate, d), fixed(t.se, d), fixed(t.t), pValue(t.p), ciText(t.ci, (v) => fixed(v, d)), bounded(t.partial_r)];
  });
  const roles = [[output.y_role, output.y], ...output.x_roles.map((r, i) => [r, output.x[i]])].filter(([r]) => r);
  const blocks: Block[] = [
    ...paragraphs,
    {
      kind: 'table',
      spec: {
        title: nextTable(ctx, `Linear model: ${output.formula}`),
        head: ['Term', 'b', 'SE', 't', 'p', `${levelText(plan.ci)} CI`, 'Partial r'],
        rows: termRows,
        numeric: [false, true, true, true, true, true, true],
        footer: [
          `n = ${m.n}, R² = ${bounded(m.r2)}, adjusted R² = ${bounded(m.adj_r2)}, F(${m.f_df?.[0] ?? '–'}, ${m.f_df?.[1] ?? '–'}) = ${fixed(m.f)}, p ${pValue(m.f_p).startsWith('<') ? pValue(m.f_p) : `= ${pValue(m.f_p)}`}; residual SE = ${fixed(m.sigma, coefficientDigits(m.sigma))} on ${m.df} df.`,
          ...(roles.length ? [`Roles: ${roles.map(([r, c]) => `${r} = ${c}`).join(', ')}.`] : []),
          `Terms as R names them; ${output.interaction} treatment-coded (reference level first in sort order). OLS standard errors.`,
          `Listwise deletion: ${m.excluded.rows} rows excluded${m.excluded.rows ? ` (${Object.entries(m.excluded.by_reason).map(([r, c]) => `${r} ${c}`).join(', ')})` : ''}.`,
          ...m.notes.map((n) => `Note: ${n}.`),
          ...output.notes.map((n) => `Note: ${n}.`),
        ],
      },
    },
  ];
  if (m.simple_slopes?.length) {
    blocks.push({
      kind: 'table',
      spec: {
        title: nextTable(ctx, `Simple slopes of ${x} by ${g}`),
        head: [capitalise(g), 'b', 'SE', 't', 'p', `${levelText(plan.ci)} CI`],
        rows: m.simple_slopes.map((s) => {
          const d = coefficientDigits(s.se ?? s.estimate);
          return s.estimate === null ? [s.level, `– (${s.reason})`, '–', '–', '–', '–'] : [s.level, fixed(s.estimate, d), fixed(s.se, d), fixed(s.t), pValue(s.p), ciText(s.ci, (v) => fixed(v, d))];
        }),
        numeric: [false, true, true, true, true, true],
        footer: [`Slope of ${output.x[0]} in each level of ${output.interaction} (b of ${output.x[0]} plus its interaction term), from the model above.`],
      },
    });
  }
  return blocks;
}

// 6. Expectation -------------------------------------------------------------------------------------------------

function expectationBlocks(step: Extract<StepRun, { id: 'expectation' }>, ctx: Context): Block[] {
  const { run, labels } = ctx;
  const plan = run.plan;
  const e = plan.expectation!;
  const results = step.output.results;
  const [first, ...rest] = results;
  const covariates = covariatePhrase(step.output.adjust, labels);
  const lead = first.r === null
    ? `${adjusting(covariates)}, the partial correlation of ${labels.text(e.variable)} with ${labels.text(nameOf(first, 'y'))} could not be estimated (${first.reason}).`
    : `${adjusting(covariates)}, ${labels.text(e.variable)} was ${strength(first.r)} and ${first.r < 0 ? 'negatively' : 'positively'} associated with ${labels.text(nameOf(first, 'y'))}, ${rNumbers(first, plan.ci, plan.p_adjust)} (*n* = ${first.n}).`;
  const more = rest.length ? ` With ${joinAnd(rest.map((r) => labels.text(nameOf(r, 'y'))))}: ${compactList(rest, 'y', labels, plan.ci, plan.p_adjust)}.` : '';
  const footer = [
    `Partial correlations of ${labels.withColumn(e.variable)} with each alliance variable, adjusted for ${step.output.adjust.join(', ') || 'nothing'}.`,
    ...[codedNote(results)].filter((n): n is string => n !== null),
    METHOD_NOTE(plan.ci),
    ...(results.some((r) => r.bf10 !== undefined) ? [BAYES_NOTE] : []),
    excludedNote(results, 'y', labels),
    ...step.output.notes.map((n) => `Note: ${n}.`),
  ];
  return [
    { kind: 'paragraph', text: lead + more },
    { kind: 'table', spec: correlationTable(nextTable(ctx, `Partial correlations of ${labels.text(e.variable)} with alliance`), results, 'y', labels, plan.ci, plan.p_adjust, footer) },
  ];
}

// 7. Sensitivity -------------------------------------------------------------------------------------------------

function sensitivityBlocks(step: Extract<StepRun, { id: 'sensitivity' }>, ctx: Context): Block[] {
  const { run, labels } = ctx;
  const plan = run.plan;
  const blocks: Block[] = [];
  const spearman = step.spearman.output.results;
  const pearson = step.bootstrap.output.results;
  const differences = spearman.map((s, i) => (s.r !== null && pearson[i]?.r !== null ? Math.abs(s.r - pearson[i].r!) : null)).filter((d): d is number => d !== null);
  const largest = differences.length ? Math.max(...differences) : null;
  blocks.push({ kind: 'heading', level: 3, text: 'Rank-based (Spearman) partial correlations' });
  blocks.push({
    kind: 'paragraph',
    text:
      `With x, y and the numeric covariates replaced by their ranks, the partial correlations were: ${compactList(spearman, 'x', labels, plan.ci, plan.p_adjust, '*r*ₛ')}.` +
      (largest !== null ? ` The largest difference from the Pearson estimate was ${bounded(largest)}.` : ''),
  });
  blocks.push({
    kind: 'table',
    spec: correlationTable(
      nextTable(ctx, `Spearman partial correlations with ${labels.text(plan.y)}`),
      spearman,
      'x',
      labels,
      plan.ci,
      plan.p_adjust,
      [
        `Spearman partial correlations: Pearson partial correlations of the ranks (average ranks for ties) of x, y and the numeric covariates, adjusted for ${step.spearman.output.adjust.join(', ') || 'nothing'}; CI by Fisher z, p by the t test, as for Pearson.`,
        excludedNote(spearman, 'x', labels),
      ],
      { symbol: 'rₛ', bayes: false, zeroOrder: true },
    ),
  });

  blocks.push({ kind: 'heading', level: 3, text: 'Bootstrap intervals' });
  const first = pearson[0];
  const boot = first?.bootstrap;
  const bootText = (r: CorrelateResult) =>
    `${labels.text(nameOf(r, 'x'))} BCa ${ciText(r.bootstrap?.bca ?? null)} (percentile ${ciText(r.bootstrap?.percentile ?? null)}; Fisher z ${ciText(r.ci)})`;
  blocks.push({
    kind: 'paragraph',
    text:
      `Resampling rows with replacement (${plan.bootstrap.resamples} resamples, seed ${plan.bootstrap.seed}), the ${levelText(plan.ci)} intervals of the Pearson partial correlations were: ${pearson.map(bootText).join('; ')}.` +
      (boot && boot.failed > 0 ? ` ${boot.failed} resamples of the first analysis could not be used (a covariate without variance).` : ''),
  });
  blocks.push({
    kind: 'table',
    spec: {
      title: nextTable(ctx, `Bootstrap ${levelText(plan.ci)} intervals of the partial correlations with ${labels.text(plan.y)}`),
      head: ['Variable', 'n', 'r', `Fisher z ${levelText(plan.ci)} CI`, 'Percentile CI', 'BCa CI', 'Resamples used'],
      rows: pearson.map((r) => [
        labels.table(nameOf(r, 'x')),
        String(r.n),
        bounded(r.r),
        ciText(r.ci),
        ciText(r.bootstrap?.percentile ?? null),
        ciText(r.bootstrap?.bca ?? null),
        r.bootstrap ? String(r.bootstrap.resamples - r.bootstrap.failed) : '–',
      ]),
      numeric: [false, true, true, true, true, true, true],
      footer: [
        `Nonparametric bootstrap of the rows (${plan.bootstrap.resamples} resamples, MT19937 seed ${plan.bootstrap.seed}); percentile and bias-corrected and accelerated intervals (BCa: Efron 1987, jackknife acceleration), quantiles as R's quantile(type = 7).`,
        ...pearson.filter((r) => r.bootstrap?.reason).map((r) => `${labels.table(nameOf(r, 'x'))}: ${r.bootstrap!.reason}.`),
      ],
    },
  });

  blocks.push({ kind: 'heading', level: 3, text: 'What the sample could detect' });
  blocks.push(...powerBlocks(step.power, ctx));
  return blocks;
}

function powerBlocks(power: PowerStep, ctx: Context): Block[] {
  const { labels } = ctx;
  const alpha = bounded(power.alpha, 3).replace(/0+$/, '');
  if (!power.detectable) return [{ kind: 'paragraph', text: `Power could not be computed for ${labels.text(power.x)}: ${power.reason ?? 'too few rows'}.` }];
  const results = power.detectable.results;
  const at = (p: number) => results.minimum_r?.find((m) => m.power === p)?.r ?? null;
  const r80 = at(0.8);
  const r90 = at(0.9);
  const observed = power.observed[0];
  const observedText =
    observed && observed.r !== null && r80 !== null
      ? ` The observed partial correlation of ${labels.text(observed.x)}, |*r*| = ${bounded(Math.abs(observed.r))}, is ${Math.abs(observed.r) < r80 ? 'smaller than' : 'at least'} the correlation detectable with 80% power${observed.results?.power !== undefined ? `; the power at the observed *r* (${percent(observed.results.power)}) is only a restatement of its *p* value, listed for completeness` : ''}.`
      : '';
  const blocks: Block[] = [
    {
      kind: 'paragraph',
      text:
        `With *n* = ${power.n} and *k* = ${power.k} covariate columns (the analysis of ${labels.text(power.x)}), the two-sided test at α = ${alpha} had 80% power for a population partial correlation of |ρ| ≥ ${bounded(r80, 3)} and 90% power for |ρ| ≥ ${bounded(r90, 3)}; ` +
        `a sample partial correlation had to reach |*r*| ≥ ${bounded(Math.abs(results.critical_r), 3)} to give *p* < ${alpha}.${observedText}`,
    },
  ];
  blocks.push({
    kind: 'table',
    spec: {
      title: nextTable(ctx, `Smallest detectable partial correlation (n = ${power.n}, k = ${power.k}, α = ${alpha}, two-sided)`),
      head: ['Power', '|ρ| (exact)', '|ρ| (Fisher z approx.)'],
      rows: (results.minimum_r ?? []).map((m) => [percent(m.power), bounded(m.r, 3), bounded(m.approximate_r, 3)]),
      numeric: [true, true, true],
      footer: [
        `Critical |r| = ${bounded(Math.abs(results.critical_r), 4)} (df = ${results.df}).`,
        'Exact: the sample partial r with k covariates is distributed as a zero-order r of n − k bivariate-normal observations (Fisher 1924; Hotelling 1953). Fisher z approximation as pwr::pwr.r.test with n − k observations, for comparison.',
      ],
    },
  });
  blocks.push({
    kind: 'table',
    spec: {
      title: nextTable(ctx, 'Power at the observed partial correlations'),
      head: ['Variable', 'n', 'k', 'r', 'Power (exact)'],
      rows: power.observed.map((o) => [
        labels.table(o.x),
        o.options ? String(o.options.n) : '–',
        o.options ? String(o.options.k) : '–',
        bounded(o.r),
        o.results?.power !== undefined ? percent(o.results.power, 1) : `– (${o.reason ?? 'undefined'})`,
      ]),
      numeric: [false, true, true, true, true],
      footer: ["Power if the population partial correlation equalled the sample's: a function of the p value (post hoc power), not evidence about the effect; interpret the detectable |ρ| above instead."],
    },
  });
  return blocks;
}

// Provenance -----------------------------------------------------------------------------------------------------

function provenanceBlocks(p: Provenance): Block[] {
  const items = [
    `Tool: canrelax-analyze ${p.tool.version}, \`report\``,
    `Input: \`${p.input.source}\`, ${p.input.bytes} bytes, SHA-256 \`${p.input.sha256}\``,
    `Rows: ${p.input.rows} read, ${p.input.rows_kept} kept${p.input.where ? ` (where ${p.input.where})` : ''}`,
    `Plan: ${p.plan_file ? `\`${p.plan_file}\`` : 'the default plan'}, as used below (defaults filled in)`,
    `Options: ${Object.keys(p.options).length ? Object.entries(p.options).map(([k, v]) => `\`--${k} ${Array.isArray(v) ? v.join(' ') : v}\``).join(', ') : 'none'}`,
    `Bootstrap seed: ${p.seed}`,
    ...(p.timestamp ? [`Generated: ${p.timestamp}`] : []),
  ];
  return [
    { kind: 'heading', level: 2, text: 'Provenance' },
    { kind: 'list', items },
    { kind: 'code', language: 'json', text: JSON.stringify(p.plan, null, 2) },
  ];
}
