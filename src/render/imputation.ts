/** How the data were imputed (--missing mi), as every command's JSON and footers say it. */
import type { ImputationSummary } from '../frame/missing';

/** analysis.missing, imputations, iterations, seed and the rest (JSON). */
export function imputationFields(i: ImputationSummary) {
  return {
    missing: i.nothing_missing ? 'listwise' : 'mi',
    imputations: i.imputations,
    iterations: i.iterations,
    seed: i.seed,
    impute_by: i.impute_by,
    auxiliary: i.auxiliary,
    passive: i.passive,
    missing_values: i.missing,
    imputed_rows: i.rows,
  };
}

/** One footer line: how many imputations, of what, within which groups; then `pooled`, how the results were pooled. */
export function imputationLine(i: ImputationSummary, by: string | null, pooled: string): string {
  if (i.nothing_missing) return '--missing mi: nothing was missing in the variables analysed; listwise (complete-data) results.';
  const missing = Object.entries(i.missing).filter(([, n]) => n > 0).map(([name, n]) => `${name} ${n}`);
  return (
    `Multiple imputation: ${i.imputations} imputations × ${i.iterations} iterations of chained equations (seed ${i.seed}; PMM, 5 donors; logistic for two-level columns)` +
    `${i.impute_by ? `, within each level of ${i.impute_by}` : ''}${by !== null ? `${i.impute_by ? ' and' : ', within'} each stratum of ${by}` : ''}; ${i.rows} rows; missing values imputed: ${missing.join(', ')}` +
    `${i.passive.length ? `; passive (recomputed from their parts): ${i.passive.join(', ')}` : ''}${i.auxiliary.length ? `; auxiliary: ${i.auxiliary.join(', ')}` : ''}. ${pooled}`
  );
}
