/**
 * `describe` output: the JSON document (shape in src/cli/describe.ts), flat CSV rows (one per variable and group,
 * and per level for categorical variables; group "all" is every row), and a manuscript-style "Table 1" for the
 * terminal and Markdown: M (SD), Mdn [Q1, Q3], min and max for numbers, n (%) for levels, one column per group
 * and one for all rows.
 */
import type { OptionNamer } from '../errors';
import { named } from './named';
import type { CategoricalSummary, DescribedVariable, DescribeOutput, NumericSummary, VariableSummary } from '../analyses/describe';
import type { Dataset } from '../data/dataset';
import { imputationFields, imputationLine } from './imputation';
import { provenance } from './provenance';
import { fixed } from './apa';
import { csvLine, formatNumber } from './format';
import { renderMarkdown, renderTable, TableSpec, Terminal } from './table';
import { jsonText } from '../text';

export function describeDocument(output: DescribeOutput, dataset: Dataset) {
  return {
    ...provenance(dataset),
    by: output.by,
    missing_by: output.missing_by,
    groups: output.groups,
    group_rows: output.group_rows,
    quantiles: 'R type 7',
    notes: output.notes,
    ...(output.imputation ? imputationFields(output.imputation) : {}),
    variables: output.variables,
  };
}

const CSV_COLUMNS = ['variable', 'role', 'kind', 'group', 'level', 'n', 'missing', 'mean', 'sd', 'median', 'q1', 'q3', 'min', 'max', 'count', 'percent'];

function csvRows(v: DescribedVariable, group: string, s: VariableSummary): string[][] {
  const head = [v.name, v.role ?? '', v.kind, group];
  if (v.kind === 'numeric') {
    const x = s as NumericSummary;
    return [[...head, '', String(x.n), String(x.missing), ...[x.mean, x.sd, x.median, x.q1, x.q3, x.min, x.max].map(formatNumber), '', '']];
  }
  const c = s as CategoricalSummary;
  return c.levels.map((l) => [...head, l.level, String(c.n), String(c.missing), '', '', '', '', '', '', '', String(l.count), formatNumber(l.percent)]);
}

const INDENT = '\u00a0\u00a0';

function label(v: DescribedVariable): string {
  return v.role ? `${v.name} (${v.role})` : v.name;
}

function tableSpec(output: DescribeOutput, dataset: Dataset): TableSpec {
  const columns: Array<{ head: string; summary: (v: DescribedVariable) => VariableSummary }> = [
    ...output.groups.map((g) => ({ head: `${g} (n = ${output.group_rows[g]})`, summary: (v: DescribedVariable) => v.by_group![g] })),
    { head: `All (n = ${output.rows})`, summary: (v: DescribedVariable) => v.overall },
  ];
  const rows: string[][] = [];
  const line = (name: string, cell: (s: VariableSummary) => string, v: DescribedVariable) => rows.push([name, ...columns.map((c) => cell(c.summary(v)))]);
  let numeric = false;
  let categorical = false;
  for (const v of output.variables) {
    const anyMissing = v.overall.missing > 0;
    if (v.kind === 'numeric') {
      numeric = true;
      const n = (s: VariableSummary) => s as NumericSummary;
      line(`${label(v)}, M (SD)`, (s) => (n(s).n === 0 ? '–' : `${fixed(n(s).mean)} (${fixed(n(s).sd)})`), v);
      line(`${INDENT}Mdn [Q1, Q3]`, (s) => (n(s).n === 0 ? '–' : `${fixed(n(s).median)} [${fixed(n(s).q1)}, ${fixed(n(s).q3)}]`), v);
      line(`${INDENT}Min, max`, (s) => (n(s).n === 0 ? '–' : `${fixed(n(s).min)}, ${fixed(n(s).max)}`), v);
      if (anyMissing) line(`${INDENT}Missing, n`, (s) => String(s.missing), v);
      if (anyMissing && n(v.overall).mi) line(`${INDENT}MI: M (SD)`, (s) => (n(s).mi ? `${fixed(n(s).mi!.mean)} (${fixed(n(s).mi!.sd)})` : '–'), v);
    } else {
      categorical = true;
      const c = (s: VariableSummary) => s as CategoricalSummary;
      line(`${label(v)}, n (%)`, () => '', v);
      (v.overall as CategoricalSummary).levels.forEach((level, i) => {
        line(`${INDENT}${level.level}`, (s) => {
          const l = c(s).levels[i];
          return l.percent === null ? String(l.count) : `${l.count} (${fixed(l.percent, 1)})`;
        }, v);
      });
      if (anyMissing) line(`${INDENT}Missing, n`, (s) => String(s.missing), v);
    }
  }
  const legend = [
    ...(numeric ? ['M (SD): mean (sample SD, n − 1); Mdn [Q1, Q3]: median and quartiles (R quantile type 7)'] : []),
    ...(categorical ? ['n (%): count (percent of non-missing values)'] : []),
  ];
  const rowsLine =
    `Rows: ${dataset.counts.read} read${dataset.whereText ? `, ${dataset.counts.kept} where ${dataset.whereText}` : ''}` +
    (output.by !== null ? `; grouped by ${dataset.labels.named(output.by)}${output.missing_by ? `, ${output.missing_by} missing ${output.by} (in All only)` : ''}` : '') +
    '.';
  return {
    title: 'Table 1. Sample characteristics',
    head: ['Variable', ...columns.map((c) => c.head)],
    rows,
    numeric: [false, ...columns.map(() => true)],
    footer: [
      ...(legend.length ? [`${legend.join('; ')}.`] : []),
      rowsLine,
      ...(output.imputation
        ? [
            imputationLine(
              output.imputation,
              output.by,
              `MI: M (SD): means pooled by Rubin's rules; SD the average of the per-imputation SDs${output.by ? `; rows without a ${output.by} value count in All only` : ''}.`,
            ),
          ]
        : []),
      ...output.notes.map((n) => `Note: ${n}.`),
    ],
  };
}

export function renderDescribe(output: DescribeOutput, dataset: Dataset, format: string, terminal: Terminal, name: OptionNamer): string {
  output = named(output, name);
  if (format === 'json') return `${jsonText(describeDocument(output, dataset), 2)}\n`;
  if (format === 'csv') {
    const lines = [csvLine(CSV_COLUMNS, ',')];
    for (const v of output.variables) {
      for (const g of output.groups) for (const row of csvRows(v, g, v.by_group![g])) lines.push(csvLine(row, ','));
      for (const row of csvRows(v, 'all', v.overall)) lines.push(csvLine(row, ','));
    }
    return lines.join('');
  }
  const spec = tableSpec(output, dataset);
  return format === 'markdown' ? renderMarkdown(spec) : renderTable(spec, terminal);
}
