/** `score --summary` as a table, Markdown, CSV or JSON. */
import type { InstrumentSummary } from '../analyses/score-summary';
import type { Dataset } from '../data/dataset';
import { bounded, fixed } from './apa';
import { csvLine, formatNumber } from './format';
import { renderMarkdown, renderTable, TableSpec, Terminal } from './table';
import { jsonText } from '../text';

const COLUMNS = ['instrument', 'timepoint', 'subscale', 'column', 'n', 'mean', 'sd', 'min', 'max', 'alpha', 'alpha_n'];

export function renderScoreSummary(result: InstrumentSummary[], format: string, terminal: Terminal, dataset: Dataset): string {
  if (format === 'json') return `${jsonText({ instruments: result }, 2)}\n`;
  const rows = result.flatMap((inst) => inst.subscales.map((s) => ({ inst, s })));
  if (format === 'csv') {
    return (
      csvLine(COLUMNS, ',') +
      rows
        .map(({ inst, s }) =>
          csvLine(
            [inst.id, inst.timepoint ?? '', s.id, s.column, String(s.n), ...[s.mean, s.sd, s.min, s.max, s.alpha].map(formatNumber), String(s.alpha_n)],
            ',',
          ),
        )
        .join('')
    );
  }
  const filter = dataset.whereText ? `; rows where ${dataset.whereText}` : '';
  const spec: TableSpec = {
    title: 'Scores',
    head: ['Scale', 'n', 'M', 'SD', 'Min', 'Max', 'α', 'α n', 'Lowest item–total r'],
    numeric: [false, true, true, true, true, true, true, true, false],
    rows: rows.map(({ s }) => {
      const worst = s.items.reduce<{ item: string; r: number } | null>(
        (acc, it) => (it.item_total_r !== null && (acc === null || it.item_total_r < acc.r) ? { item: it.item, r: it.item_total_r } : acc),
        null,
      );
      return [
        s.column,
        String(s.n),
        fixed(s.mean),
        fixed(s.sd),
        fixed(s.min),
        fixed(s.max),
        bounded(s.alpha),
        s.alpha === null ? '–' : String(s.alpha_n),
        worst ? `${worst.item} ${bounded(worst.r)}` : '–',
      ];
    }),
    footer: [
      `${dataset.counts.kept} of ${dataset.counts.read} rows${filter}. SD with n − 1; α raw, on rows with every item answered (α n); item–total r corrected.`,
    ],
  };
  return format === 'markdown' ? renderMarkdown(spec) : renderTable(spec, terminal);
}
