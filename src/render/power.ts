/**
 * `power` output: the JSON document (shape in src/cli/power.ts) and a small table (terminal or Markdown) with the
 * exact values and, labelled, the Fisher z approximation beside them.
 */
import type { PowerOptions, PowerResults } from '../analyses/power';
import { VERSION } from '../version';
import { bounded, boundedSignificant, fixed, percent as percentOf } from './apa';
import { renderMarkdown, renderTable, TableSpec, Terminal } from './table';
import { jsonText } from '../text';

/** Power as a percentage with one decimal. */
const percent = (p: number | null | undefined) => percentOf(p, 1);

export function powerDocument(options: PowerOptions, results: PowerResults) {
  return {
    tool: { name: 'canrelax-analyze', version: VERSION },
    input: { n: options.n, k: options.k, r: options.r, power: options.power, alpha: options.alpha, alternative: options.alternative },
    results,
  };
}

function tableSpec(options: PowerOptions, results: PowerResults): TableSpec {
  const alpha = bounded(options.alpha, 3).replace(/0+$/, '').replace(/\.$/, '');
  const setting = `k = ${options.k} covariate${options.k === 1 ? '' : 's'}, α = ${alpha}, ${options.alternative}`;
  const testLine = `t test of the partial r: df = n − 2 − k = ${results.df}; reject when ${options.alternative === 'two-sided' ? '|r|' : 'r'} ${options.alternative === 'less' ? '≤' : '≥'} ${boundedSignificant(results.critical_r, 4)} (n = ${results.n}).`;
  const notes = [
    'Exact: the sample partial r with k covariates is distributed as a zero-order r of n − k bivariate-normal observations (Fisher 1924; Hotelling 1953 density).',
    'Fisher z approximation: pwr::pwr.r.test with n − k observations, for comparison only.',
  ];
  if (results.mode === 'minimum_r') {
    return {
      title: `Smallest detectable partial correlation: n = ${results.n}, ${setting}`,
      head: ['Power', 'r (exact)', 'r (Fisher z approx.)'],
      numeric: [true, true, true],
      rows: results.minimum_r!.map((m) => [percent(m.power), boundedSignificant(m.r, 3), boundedSignificant(m.approximate_r, 3)]),
      footer: [testLine, ...notes],
    };
  }
  if (results.mode === 'power') {
    return {
      title: `Power: n = ${results.n}, r = ${boundedSignificant(options.r, 3)}, ${setting}`,
      head: ['n', 'r', 'Power (exact)', 'Power (Fisher z approx.)'],
      numeric: [true, true, true, true],
      rows: [[String(results.n), boundedSignificant(options.r, 3), percent(results.power), percent(results.approximation.power)]],
      footer: [testLine, ...notes],
    };
  }
  return {
    title: `Sample size: r = ${boundedSignificant(options.r, 3)}, power ${percent(options.power)}, ${setting}`,
    head: ['n needed (exact)', 'Power at n', 'Power at n − 1', 'n (Fisher z approx.)'],
    numeric: [true, true, true, true],
    rows: [[String(results.n), percent(results.power), percent(results.power_at_n_minus_1), `${results.approximation.n_ceiling} (${fixed(results.approximation.n, 2)})`]],
    footer: [testLine, 'n counts rows with x, y and every covariate present.', ...notes],
  };
}

export function renderPower(options: PowerOptions, results: PowerResults, format: string, terminal: Terminal): string {
  if (format === 'json') return `${jsonText(powerDocument(options, results), 2)}\n`;
  const spec = tableSpec(options, results);
  return format === 'markdown' ? renderMarkdown(spec) : renderTable(spec, terminal);
}
