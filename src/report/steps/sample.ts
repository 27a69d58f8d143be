/**
 * Step "sample": describe --by <stratifier> over the analysis variables (Table 1).
 */
import { describe, describeOptionsOf, DESCRIBE_OPTIONS, type DescribeOutput, type NumericSummary, type CategoricalSummary } from '../../analyses/describe';
import { declaredDefaults } from '../../options';
import { describeDocument } from '../../render/describe';
import { fixed } from '../../render/apa';
import type { Block } from '../blocks';
import { body, nextTable, type ReportStep } from '../step';
import { joinAnd } from '../wording';

export interface SampleResult {
  output: DescribeOutput;
  vars: string[];
}

export const sample: ReportStep<SampleResult> = {
  id: 'sample',
  title: 'Sample and descriptives',

  async run(ctx) {
    const { plan, columnOf } = ctx;
    // The analysis variables, each column once: covariates, expectation, x, y (the stratifier is the grouping).
    const vars: string[] = [];
    const columns = new Set<string>(plan.stratifier !== null ? [columnOf(plan.stratifier)] : []);
    for (const name of [...plan.covariates, ...(plan.expectation ? [plan.expectation.variable] : []), ...plan.x, plan.y]) {
      if (!columns.has(columnOf(name))) vars.push(name);
      columns.add(columnOf(name));
    }
    const dataset = await ctx.open();
    const output = await describe(dataset, describeOptionsOf({ ...declaredDefaults(DESCRIBE_OPTIONS), vars, by: plan.stratifier ?? undefined }));
    return { result: { output, vars }, entry: { vars, ...body(describeDocument(output, dataset)) } };
  },

  write({ output }, ctx): Block[] {
    const { run, labels } = ctx;
    const plan = run.plan;
    // "66 female and 51 male"; a level that is a bare code (no `levels` named it) with its column: "51 with Geschlecht = 1".
    const coded = (g: string) => g.trim() !== '' && Number.isFinite(Number(g));
    const groups = output.groups.map((g) => (coded(g) ? `${output.group_rows[g]} with ${labels.column(plan.stratifier!)} = ${g}` : `${output.group_rows[g]} ${g}`));
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
      `M (SD): mean (sample SD, n − 1)${output.variables.some((v) => v.kind !== 'numeric') ? '; n (%): count (percent of non-missing values)' : ''}.`,
      `Columns: ${output.variables.map((v) => `${labels.table(v.role ?? v.name)} = ${v.name}`).join('; ')}.`,
      ...output.notes.map((n) => `Note: ${n}.`),
    ];
    return [
      { kind: 'paragraph', text },
      { kind: 'table', spec: { title: nextTable(ctx, `Sample characteristics${output.by ? ` by ${labels.text(plan.stratifier!)}` : ''}`), head: ['Variable', ...columns.map((c) => c.head)], rows, numeric: [false, ...columns.map(() => true)], footer } },
    ];
  },
};
