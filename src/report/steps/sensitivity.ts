/**
 * Step "sensitivity": correlate --method spearman; correlate --bootstrap N --seed S (percentile and BCa intervals);
 * power at the first x's n and k (the detectable r) and at each observed r.
 */
import type { CorrelateOutput, CorrelateResult } from '../../analyses/correlate';
import { powerAnalysis, type PowerOptions, type PowerResults } from '../../analyses/power';
import { UsageError, type Wording } from '../../errors';
import { bounded, ciText, percent } from '../../render/apa';
import { powerDocument } from '../../render/power';
import type { Block } from '../blocks';
import { compactList, correlationTable, excludedNote } from '../correlation-text';
import type { Plan } from '../plan-types';
import { nextTable, type CorrelateRun, type ReportStep, type WriteContext } from '../step';
import { levelText, nameOf } from '../wording';

export interface PowerStep {
  alpha: number;
  /** The x whose n and k the detectable r is for (the first x). */
  x: string;
  n: number | null;
  k: number | null;
  detectable: { options: PowerOptions; results: PowerResults } | null;
  observed: Array<{ x: string; r: number | null; options: PowerOptions | null; results: PowerResults | null; reason?: Wording }>;
  reason?: Wording;
}

export interface SensitivityResult {
  spearman: CorrelateRun;
  bootstrap: CorrelateRun;
  power: PowerStep;
}

export const sensitivity: ReportStep<SensitivityResult> = {
  id: 'sensitivity',
  title: 'Sensitivity analyses',

  async run(ctx) {
    const spearman = await ctx.correlate(ctx.correlateOptions({ method: 'spearman', bayes: undefined, missing: undefined }));
    const bootstrap = await ctx.correlate(ctx.correlateOptions({ bootstrap: ctx.plan.bootstrap.resamples, bayes: undefined, missing: undefined }));
    const power = powerStep(bootstrap.run.output, ctx.plan);
    return {
      result: { spearman: spearman.run, bootstrap: bootstrap.run, power },
      entry: { spearman: spearman.entry, bootstrap: bootstrap.entry, power: powerEntry(power) },
    };
  },

  write(result, ctx): Block[] {
    const { run, labels } = ctx;
    const plan = run.plan;
    const blocks: Block[] = [];
    const spearman = result.spearman.output.results;
    const pearson = result.bootstrap.output.results;
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
          `Spearman partial correlations: Pearson partial correlations of the ranks (average ranks for ties) of x, y and the numeric covariates, adjusted for ${result.spearman.output.adjust.map((c) => labels.withColumn(c)).join(', ') || 'nothing'}; CI by Fisher z, p by the t test, as for Pearson.`,
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
    blocks.push(...powerBlocks(result.power, ctx));
    return blocks;
  },
};

function powerBlocks(power: PowerStep, ctx: WriteContext): Block[] {
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

/** power's document without its tool (its `input` is the power question, kept). */
function withoutTool<T extends { tool: unknown }>(document: T): Omit<T, 'tool'> {
  const { tool: _tool, ...rest } = document;
  return rest;
}

/** Detectable r for the first x's n and k, and the power at each x's observed r (Pearson, bootstrap pass rows). */
function powerStep(output: CorrelateOutput, plan: Plan): PowerStep {
  // 1 − 0.95 is 0.050000000000000044 in binary: round to the level as typed.
  const alpha = Number((1 - plan.ci).toPrecision(12));
  const first = output.results[0];
  const step: PowerStep = { alpha, x: first.x_role ?? first.x, n: first.n, k: first.k, detectable: null, observed: [] };
  const options = (n: number, k: number, r: number | null): PowerOptions => ({ n, k, r, power: null, alpha, alternative: 'two-sided' });
  const attempt = (o: PowerOptions): { results: PowerResults | null; reason?: Wording } => {
    try {
      return { results: powerAnalysis(o) };
    } catch (error) {
      if (error instanceof UsageError) return { results: null, reason: error.wording };
      throw error;
    }
  };
  const detectable = attempt(options(first.n, first.k, null));
  if (detectable.results) step.detectable = { options: options(first.n, first.k, null), results: detectable.results };
  else step.reason = detectable.reason;
  for (const r of output.results) {
    const x = r.x_role ?? r.x;
    if (r.r === null) {
      step.observed.push({ x, r: null, options: null, results: null, reason: r.reason ?? 'no partial r' });
      continue;
    }
    const o = options(r.n, r.k, r.r);
    const got = attempt(o);
    step.observed.push({ x, r: r.r, options: o, results: got.results, ...(got.reason ? { reason: got.reason } : {}) });
  }
  return step;
}

function powerEntry(power: PowerStep) {
  return {
    alpha: power.alpha,
    x: power.x,
    n: power.n,
    k: power.k,
    detectable: power.detectable ? withoutTool(powerDocument(power.detectable.options, power.detectable.results)) : null,
    observed: power.observed.map((o) => ({
      x: o.x,
      r: o.r,
      ...(o.options && o.results ? withoutTool(powerDocument(o.options, o.results)) : { input: null, results: null }),
      ...(o.reason ? { reason: o.reason } : {}),
    })),
    ...(power.reason ? { reason: power.reason } : {}),
  };
}
