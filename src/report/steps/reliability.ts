/**
 * Step "reliability": score --summary — Cronbach's alpha, item–total correlations, subscale means and SDs.
 */
import { ScoreSummary, type InstrumentSummary } from '../../analyses/score-summary';
import { bounded, fixed } from '../../render/apa';
import type { Block } from '../blocks';
import { nextTable, type ReportStep } from '../step';
import { measurement, unitScoring } from './measurement';
import { interpretable } from '../../render/measure';

export interface ReliabilityResult {
  instruments: InstrumentSummary[];
  /** Rows analysed (kept by the plan's filter). */
  rows: number;
  /** Instrument id → its label. */
  labels: Record<string, string>;
}

export const reliability: ReportStep<ReliabilityResult> = {
  id: 'reliability',
  title: 'Scoring and reliability',

  async run(ctx) {
    const dataset = await ctx.open();
    const summary = new ScoreSummary(dataset.scoring, dataset.columns, dataset.inputWidth);
    await dataset.forEach((row) => summary.add(row));
    const instruments = summary.result();
    const labels = Object.fromEntries(dataset.instruments.map((d) => [d.id, d.label ?? d.id]));
    return { result: { instruments, rows: dataset.counts.kept, labels }, entry: { rows: dataset.counts.kept, instruments } };
  },

  write({ instruments, rows: rowCount, labels: names }, ctx): Block[] {
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
    // McDonald's ω of the subscale's factor, when the measurement step ran and its solution is proper.
    const measured = ctx.resultOf(measurement)?.result;
    const omegaOf = (column: string, subscale: string): string => {
      const unit = measured === undefined ? undefined : unitScoring(measured, column);
      return unit !== undefined && interpretable(unit) ? bounded(unit.omega.find((o) => o.factor === subscale)?.omega) : '–';
    };
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
          ...(measured ? [omegaOf(s.column, s.id)] : []),
          s.alpha === null ? '–' : String(s.alpha_n),
          r.length ? `${bounded(Math.min(...r))} to ${bounded(Math.max(...r))}` : '–',
        ]);
      }
    }
    blocks.push({
      kind: 'table',
      spec: {
        title: nextTable(ctx, 'Scores and reliability'),
        head: ['Scale', 'n', 'M', 'SD', 'Range', 'α', ...(measured ? ['ω'] : []), 'α n', 'Item–total r'],
        rows,
        numeric: [false, true, true, true, true, true, ...(measured ? [true] : []), true, true],
        footer: [
          'n: rows with a score; SD with n − 1; α: Cronbach\'s alpha (raw) on the rows with every item answered (α n); item–total r corrected (item left out of the total).',
          ...(measured ? ['ω: McDonald\'s omega of the subscale\'s factor in the confirmatory factor analysis (see the measurement section; – where the solution is improper or the scale is not a factor).'] : []),
        ],
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
  },
};
