/**
 * `score --summary`: per score column n, mean, SD, min, max, and for item-based scores Cronbach's alpha on the
 * rows with every item answered (`alpha_n`), corrected item–total correlations and alpha if item deleted.
 * One pass, constant memory: running moments per score, item co-moments per subscale.
 */
import type { ScoreColumn, ScoringPlan } from '../instruments/scorer';
import { CoMoments } from '../stats/moments';
import { RunningStats } from '../stats/descriptive';
import { cronbachAlpha } from '../stats/reliability';
import type { RowReader } from '../data/row';

export interface ItemSummary {
  item: string;
  column: string;
  reversed: boolean;
  item_total_r: number | null;
  alpha_if_deleted: number | null;
}

export interface SubscaleSummary {
  id: string;
  column: string;
  timepoint: string | null;
  n: number;
  mean: number | null;
  sd: number | null;
  min: number | null;
  max: number | null;
  alpha: number | null;
  alpha_n: number;
  items: ItemSummary[];
}

export interface InstrumentSummary {
  id: string;
  timepoint: string | null;
  subscales: SubscaleSummary[];
}

export class ScoreSummary {
  private readonly stats: RunningStats[];
  private readonly items: (CoMoments | null)[];
  private readonly buffer: Float64Array[];

  constructor(
    private readonly plan: ScoringPlan,
    private readonly columnNames: readonly string[],
    private readonly scoreOffset: number,
  ) {
    this.stats = plan.columns.map(() => new RunningStats());
    // A total of subscales lists its items too: its alpha is over all of them (PHQ-ADS total, 16 items).
    this.items = plan.columns.map((c) => (c.items.length > 0 ? new CoMoments(c.items.length) : null));
    this.buffer = plan.columns.map((c) => new Float64Array(c.items.length));
  }

  add(row: RowReader): void {
    const columns = this.plan.columns;
    for (let c = 0; c < columns.length; c++) {
      const value = row.values[this.scoreOffset + c];
      if (value === value) this.stats[c].add(value);
      const moments = this.items[c];
      if (moments === null) continue;
      const col = columns[c];
      const buf = this.buffer[c];
      let complete = true;
      for (let i = 0; i < col.items.length && complete; i++) {
        const v = row.num(col.items[i]);
        if (v !== v) complete = false;
        else buf[i] = col.reverse[i] === 1 ? col.min + col.max - v : v;
      }
      if (complete) moments.add(buf);
    }
  }

  result(): InstrumentSummary[] {
    const groups = new Map<string, InstrumentSummary>();
    this.plan.columns.forEach((col: ScoreColumn, c) => {
      const key = `${col.instrument}\u0000${col.timepoint}`;
      let group = groups.get(key);
      if (!group) {
        group = { id: col.instrument, timepoint: col.timepoint || null, subscales: [] };
        groups.set(key, group);
      }
      const s = this.stats[c];
      const moments = this.items[c];
      const reliability = moments && moments.n >= 2 ? cronbachAlpha(moments.m2, moments.p) : null;
      group.subscales.push({
        id: col.subscale,
        column: col.name,
        timepoint: col.timepoint || null,
        n: s.n,
        mean: s.n > 0 ? s.mean : null,
        sd: s.sd(),
        min: s.n > 0 ? s.min : null,
        max: s.n > 0 ? s.max : null,
        alpha: reliability?.alpha ?? null,
        alpha_n: moments?.n ?? 0,
        items: col.itemNames.map((item, i) => ({
          item,
          column: this.columnNames[col.items[i]],
          reversed: col.reverse[i] === 1,
          item_total_r: reliability?.itemTotal[i] ?? null,
          alpha_if_deleted: reliability?.alphaIfDeleted[i] ?? null,
        })),
      });
    });
    return [...groups.values()];
  }
}
