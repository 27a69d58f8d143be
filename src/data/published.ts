/**
 * Published values as data: what a paper reports (means, SDs, correlations, partial correlations, model terms) with
 * the precision each was printed at and the analysis it belongs to, and the paper's claims (sign, significance,
 * order of strata) each with the test that operationalises it. Format: schema/published.schema.json; the CanRelax
 * paper's file is examples/published/canrelax-2026.json.
 *
 *   { "published_version": 1, "source": { "title", "doi", … },
 *     "analyses": { "<id>": { "label", "where"?, "y"?, "adjust"?, "interaction"? } },
 *     "values": [ { "quantity", "statistic", "analysis", "variable" | "x" (+ "y", "term"), "published", "precision" } ],
 *     "claims": [ { "claim", "test", "estimate": <statistic>, "sign"?, "p_below"?, "p_at_least"?, "below"?, "above"? } ] }
 *
 * Statistics: rows (rows passing the analysis's `where`), mean and sd (of `variable`), r (zero-order, x with y),
 * partial_r (x with y adjusted for the analysis's covariates), coefficient (the `term`, default x, of lm(y ~ x +
 * covariates [× interaction])). Variables are roles (alliance, distress, …) or column names, as in a plan.
 *
 * Why here (data/, rank 3) and not beside the instruments (rank 2): the file is definitions as data, as an
 * instrument is, but it speaks the data layer's language — `where` filters in the --where grammar (parsed here, so
 * a bad filter is reported on load) and roles — and both the simulator (data/) and the reanalysis (analyses/)
 * read it. Checking is by hand (ajv is a development dependency); a test checks that the schema agrees.
 * Every problem is a DataError naming the file and the key by its path, e.g. `values[3].precision`.
 */
import { DataError, UsageError, type GivenIn } from '../errors';
import { readRecordedFile, type RecordedFile } from '../io/recorded-file';
import { parseWhere } from './where';
import { isExpression } from './expression';
import { parseJson } from '../io/json';

export const STATISTICS = ['rows', 'mean', 'sd', 'r', 'partial_r', 'coefficient'] as const;
export type Statistic = (typeof STATISTICS)[number];

export interface PublishedAnalysis {
  id: string;
  /** How the report names it, e.g. "App arm, adjusted for baseline distress, sex, age and expectation". */
  label: string;
  /** Row filter (--where grammar), or null for every row. */
  where: string | null;
  /** Outcome of r, partial_r and coefficient (a statistic's own y overrides it). */
  y: string | null;
  /** Covariates of partial_r and coefficient. */
  adjust: string[];
  /** Column the coefficient's x interacts with (lm's x * g), or null. */
  interaction: string | null;
}

/** One statistic of one analysis. */
export interface StatisticSpec {
  statistic: Statistic;
  analysis: PublishedAnalysis;
  /** mean and sd. */
  variable: string | null;
  /** r, partial_r and coefficient. */
  x: string | null;
  /** r, partial_r and coefficient: the statistic's y or the analysis's. */
  y: string | null;
  /** coefficient: the model term as R names it (default: x). */
  term: string | null;
}

export interface PublishedValue extends StatisticSpec {
  quantity: string;
  published: number;
  /** Decimals printed (4.04 → 2). */
  precision: number;
}

export interface PublishedClaim {
  claim: string;
  /** Our operationalisation, in words. */
  test: string;
  estimate: StatisticSpec;
  sign: 'positive' | 'negative' | null;
  /** Supported only when p < p_below. */
  pBelow: number | null;
  /** Supported only when p ≥ p_at_least (no significant association). */
  pAtLeast: number | null;
  /** The estimate must be below each of these (stratum order), or above. */
  below: StatisticSpec[];
  above: StatisticSpec[];
}

export interface PublishedSource {
  title: string;
  doi: string | null;
  authors: string | null;
  year: number | null;
  journal: string | null;
}

export interface Published {
  /** The file it was read from (for messages). */
  origin: string;
  source: PublishedSource;
  analyses: PublishedAnalysis[];
  values: PublishedValue[];
  claims: PublishedClaim[];
}

/**
 * The interval of values that print as `published` at `precision` decimals, rounding half up: 4.04 at 2 decimals
 * is met by 4.035 ≤ m < 4.045. The bounds are rounded to precision + 1 decimals so that 4.04 − 0.005 is 4.035,
 * not 4.034999….
 */
export function printedInterval(published: number, precision: number): [number, number] {
  const half = 0.5 * 10 ** -precision;
  const tidy = (v: number) => Number(v.toFixed(precision + 1));
  return [tidy(published - half), tidy(published + half)];
}

/** Whether `value` prints as `published` at `precision` decimals (half up, as printedInterval). */
export function matchesPrinted(value: number, published: number, precision: number): boolean {
  const [lo, hi] = printedInterval(published, precision);
  return value >= lo && value < hi;
}

const TOP_KEYS = ['$schema', 'published_version', 'source', 'analyses', 'values', 'claims'];
const SOURCE_KEYS = ['title', 'doi', 'authors', 'year', 'journal'];
const ANALYSIS_KEYS = ['label', 'where', 'y', 'adjust', 'interaction'];
const SPEC_KEYS = ['statistic', 'analysis', 'variable', 'x', 'y', 'term'];
const VALUE_KEYS = ['quantity', ...SPEC_KEYS, 'published', 'precision'];
const CLAIM_KEYS = ['claim', 'test', 'estimate', 'sign', 'p_below', 'p_at_least', 'below', 'above'];

type Json = Record<string, unknown>;

/** Checks a parsed JSON value against the published-values format; `origin` names it in messages. */
export function validatePublished(raw: unknown, origin: string): Published {
  const fail = (path: string, what: string): never => {
    throw new DataError(`published values ${origin}: ${path ? `${path} ` : ''}${what}, fix the file (format in schema/published.schema.json)`);
  };
  const object = (value: unknown, path: string, keys: string[]): Json => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(path, 'must be a JSON object');
    for (const key of Object.keys(value as Json)) {
      if (!keys.includes(key)) fail(path, `has unknown key "${key}" (known: ${keys.join(', ')})`);
    }
    return value as Json;
  };
  const text = (value: unknown, path: string): string => {
    if (typeof value !== 'string' || value.trim() === '') fail(path, 'must be non-empty text');
    return value as string;
  };
  const optionalText = (value: unknown, path: string): string | null => (value === undefined || value === null ? null : text(value, path));
  const names = (value: unknown, path: string): string[] => {
    if (value === undefined) return [];
    if (!Array.isArray(value)) fail(path, 'must be a list of roles or column names');
    const list = (value as unknown[]).map((v, i) => text(v, `${path}[${i}]`));
    if (new Set(list).size !== list.length) fail(path, 'names a variable twice');
    return list;
  };
  const probability = (value: unknown, path: string): number | null => {
    if (value === undefined) return null;
    if (typeof value !== 'number' || !(value > 0 && value < 1)) fail(path, `must be a probability strictly between 0 and 1, got ${JSON.stringify(value)}`);
    return value as number;
  };

  const top = object(raw, '', TOP_KEYS);
  if (top.published_version !== 1) fail('published_version', `must be 1, got ${JSON.stringify(top.published_version)}`);
  const src = object(top.source, 'source', SOURCE_KEYS);
  if (src.year !== undefined && !(Number.isInteger(src.year) && (src.year as number) > 0)) fail('source.year', 'must be a whole number');
  const source: PublishedSource = {
    title: text(src.title, 'source.title'),
    doi: optionalText(src.doi, 'source.doi'),
    authors: optionalText(src.authors, 'source.authors'),
    year: (src.year as number | undefined) ?? null,
    journal: optionalText(src.journal, 'source.journal'),
  };

  const analysesRaw = object(top.analyses, 'analyses', Object.keys((top.analyses as Json | null) ?? {}));
  const analyses = new Map<string, PublishedAnalysis>();
  for (const [id, value] of Object.entries(analysesRaw)) {
    const path = `analyses.${id}`;
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(id)) fail(path, 'must be named with letters, digits, _ and -, starting with a letter');
    const a = object(value, path, ANALYSIS_KEYS);
    const where = a.where === undefined || a.where === null || a.where === '' ? null : text(a.where, `${path}.where`);
    if (where !== null) {
      try {
        // An expression (data/expression.ts) is checked against the columns when its analysis runs.
        if (!isExpression(where)) parseWhere(where);
      } catch (error) {
        if (error instanceof UsageError) fail(`${path}.where`, `is not a row filter: ${error.message}`);
        throw error;
      }
    }
    analyses.set(id, {
      id,
      label: text(a.label, `${path}.label`),
      where,
      y: optionalText(a.y, `${path}.y`),
      adjust: names(a.adjust, `${path}.adjust`),
      interaction: optionalText(a.interaction, `${path}.interaction`),
    });
  }
  if (analyses.size === 0) fail('analyses', 'must define at least one analysis');

  const spec = (s: Json, path: string): StatisticSpec => {
    const statistic = s.statistic as Statistic;
    if (!STATISTICS.includes(statistic)) fail(`${path}.statistic`, `must be one of ${STATISTICS.join(', ')}, got ${JSON.stringify(s.statistic)}`);
    const analysisId = text(s.analysis, `${path}.analysis`);
    const analysis = analyses.get(analysisId);
    if (analysis === undefined) fail(`${path}.analysis`, `names no analysis ("${analysisId}"; defined: ${[...analyses.keys()].join(', ')})`);
    const variable = optionalText(s.variable, `${path}.variable`);
    const x = optionalText(s.x, `${path}.x`);
    const y = optionalText(s.y, `${path}.y`) ?? analysis!.y;
    const term = optionalText(s.term, `${path}.term`);
    const needsVariable = statistic === 'mean' || statistic === 'sd';
    if (needsVariable && variable === null) fail(path, `(${statistic}) needs "variable"`);
    if (!needsVariable && variable !== null) fail(`${path}.variable`, `is for mean and sd only, not ${statistic}`);
    if (statistic === 'r' || statistic === 'partial_r' || statistic === 'coefficient') {
      if (x === null) fail(path, `(${statistic}) needs "x"`);
      if (y === null) fail(path, `(${statistic}) needs "y", in the statistic or its analysis "${analysisId}"`);
      if (x === y) fail(`${path}.x`, 'is also its y');
    } else if (x !== null || s.y !== undefined) fail(path, `(${statistic}) takes no "x" or "y"`);
    if (term !== null && statistic !== 'coefficient') fail(`${path}.term`, 'is for coefficient only');
    if (statistic === 'partial_r' && analysis!.adjust.length === 0) fail(path, `(partial_r) needs covariates: analysis "${analysisId}" has no "adjust"`);
    return { statistic, analysis: analysis!, variable, x, y: statistic === 'r' || statistic === 'partial_r' || statistic === 'coefficient' ? y : null, term };
  };
  const list = (value: unknown, path: string): unknown[] => {
    if (!Array.isArray(value)) fail(path, 'must be a list');
    return value as unknown[];
  };

  const values = list(top.values, 'values').map((value, i): PublishedValue => {
    const path = `values[${i}]`;
    const v = object(value, path, VALUE_KEYS);
    const precision = v.precision;
    if (!(Number.isInteger(precision) && (precision as number) >= 0 && (precision as number) <= 10)) {
      fail(`${path}.precision`, `must be the number of decimals printed, a whole number 0–10, got ${JSON.stringify(precision)}`);
    }
    if (typeof v.published !== 'number' || !Number.isFinite(v.published)) fail(`${path}.published`, 'must be a number');
    const published = v.published as number;
    if (Number(published.toFixed(precision as number)) !== published) {
      fail(`${path}.published`, `(${published}) has more decimals than its precision (${precision})`);
    }
    const s = spec(v, path);
    if (s.statistic === 'rows' && (precision !== 0 || !Number.isInteger(published) || published < 0)) fail(path, '(rows) must be a whole number with precision 0');
    if ((s.statistic === 'r' || s.statistic === 'partial_r') && Math.abs(published) > 1) fail(`${path}.published`, `is a correlation, it must lie in [-1, 1], got ${published}`);
    if (s.statistic === 'sd' && published < 0) fail(`${path}.published`, 'is an SD, it cannot be negative');
    return { quantity: text(v.quantity, `${path}.quantity`), ...s, published, precision: precision as number };
  });

  const claims = list(top.claims ?? [], 'claims').map((value, i): PublishedClaim => {
    const path = `claims[${i}]`;
    const c = object(value, path, CLAIM_KEYS);
    const estimate = spec(object(c.estimate, `${path}.estimate`, SPEC_KEYS), `${path}.estimate`);
    if (estimate.statistic === 'rows') fail(`${path}.estimate.statistic`, 'cannot be rows (a claim is about an estimate)');
    if (c.sign !== undefined && c.sign !== 'positive' && c.sign !== 'negative') fail(`${path}.sign`, `must be "positive" or "negative", got ${JSON.stringify(c.sign)}`);
    const tested = estimate.statistic !== 'mean' && estimate.statistic !== 'sd';
    const pBelow = probability(c.p_below, `${path}.p_below`);
    const pAtLeast = probability(c.p_at_least, `${path}.p_at_least`);
    if ((pBelow !== null || pAtLeast !== null) && !tested) fail(path, `has a p condition, but a ${estimate.statistic} has no test here`);
    if (pBelow !== null && pAtLeast !== null) fail(path, 'has both p_below and p_at_least');
    const compared = (key: 'below' | 'above'): StatisticSpec[] =>
      c[key] === undefined
        ? []
        : list(c[key], `${path}.${key}`).map((s, j) => {
            const other = spec(object(s, `${path}.${key}[${j}]`, SPEC_KEYS), `${path}.${key}[${j}]`);
            if (other.statistic !== estimate.statistic) fail(`${path}.${key}[${j}].statistic`, `must be the estimate's (${estimate.statistic}) to be compared with it`);
            return other;
          });
    const below = compared('below');
    const above = compared('above');
    const claim: PublishedClaim = {
      claim: text(c.claim, `${path}.claim`),
      test: text(c.test, `${path}.test`),
      estimate,
      sign: (c.sign as PublishedClaim['sign'] | undefined) ?? null,
      pBelow,
      pAtLeast,
      below,
      above,
    };
    if (claim.sign === null && pBelow === null && pAtLeast === null && below.length === 0 && above.length === 0) {
      fail(path, 'states no condition: give sign, p_below, p_at_least, below or above');
    }
    return claim;
  });
  if (values.length === 0 && claims.length === 0) fail('values', 'and claims are both empty');
  return { origin, source, analyses: [...analyses.values()], values, claims };
}

/** Checks a published-values file's text (exit 1 when it is not in the format). */
export function parsePublished(file: RecordedFile): Published {
  let raw: unknown;
  try {
    raw = parseJson(file.content);
  } catch (error) {
    throw new DataError(`published values ${file.path} is not valid JSON (${(error as Error).message}), fix the file`);
  }
  return validatePublished(raw, file.path);
}

/** Reads and checks a published-values file given by `flag` (e.g. the option `match`). */
export async function loadPublished(path: string, flag: GivenIn): Promise<Published> {
  return parsePublished(await readRecordedFile(path, flag));
}
