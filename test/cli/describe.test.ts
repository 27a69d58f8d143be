/**
 * `describe` ("Table 1") through the CLI: numbers against R (test/reference/describe.R → describe.json: mean, sd,
 * median, quantile(type = 7), min, max, table and prop.table, per group and overall) to 1e-10, and a small file whose
 * every number is worked by hand below.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLE, REFERENCE, ROOT, expectOneLineError, runCli, runJson } from '../helpers/cli';
import { expectClose } from '../helpers/reference';

const SAT = path.join(REFERENCE, 'sat_act.csv');
const ref = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/reference/describe.json'), 'utf8'));

type Doc = any;

const json = (args: string[], stdin?: string) => runJson(args, { stdin });

interface RNumeric {
  n: number;
  missing: number;
  mean?: number;
  sd?: number | null;
  median?: number;
  q1?: number;
  q3?: number;
  min?: number;
  max?: number;
}
interface RCategorical {
  n: number;
  missing: number;
  levels: Array<{ level: string; count: number; percent: number }>;
}

const STATS = ['mean', 'sd', 'median', 'q1', 'q3', 'min', 'max'] as const;

function expectNumeric(got: Doc, want: RNumeric, what: string): void {
  try {
    expect(got.n).toBe(want.n);
    expect(got.missing).toBe(want.missing);
    for (const s of STATS) {
      const w = want[s];
      if (w === undefined || w === null) expect(got[s]).toBeNull();
      else expectClose(got[s], w);
    }
  } catch (error) {
    throw new Error(`${what}: ${(error as Error).message}`);
  }
}

/** R's table() lists the levels present; ours lists every level seen in any group, the others with count 0. */
function expectCategorical(got: Doc, want: RCategorical, what: string): void {
  try {
    expect(got.n).toBe(want.n);
    expect(got.missing).toBe(want.missing);
    const byLevel = new Map(got.levels.map((l: { level: string }) => [l.level, l]));
    for (const w of want.levels) {
      const g = byLevel.get(w.level) as { count: number; percent: number };
      expect(g).toBeDefined();
      expect(g.count).toBe(w.count);
      expectClose(g.percent, w.percent);
    }
    const present = new Set(want.levels.map((l) => l.level));
    for (const g of got.levels) if (!present.has(g.level)) expect(g.count).toBe(0);
  } catch (error) {
    throw new Error(`${what}: ${(error as Error).message}`);
  }
}

function expectVariable(variable: Doc, group: string, want: RNumeric | RCategorical): void {
  const got = group === 'all' ? variable.overall : variable.by_group[group];
  if (variable.kind === 'categorical') expectCategorical(got, want as RCategorical, `${variable.name} / ${group}`);
  else expectNumeric(got, want as RNumeric, `${variable.name} / ${group}`);
}

const SCORES = [
  'wai_task',
  'wai_bond',
  'wai_goal',
  'wai_total',
  'phqads_phq9_t0',
  'phqads_gad7_t0',
  'phqads_total_t0',
  'phqads_phq9_w10',
  'phqads_gad7_w10',
  'phqads_total_w10',
];

describe('CanRelax synthetic export against R (describe.R, scores computed there from the items)', () => {
  test('the example is the one describe.json was computed on (else rerun Rscript test/reference/describe.R)', async () => {
    const doc = await json(['describe', EXAMPLE, '--vars', 'age']);
    expect(doc.input.sha256).toBe(ref.example_sha256);
  });

  test('--where arm=app --by sex: default variables, arm left out, every statistic per group and overall', async () => {
    const doc = await json(['describe', EXAMPLE, '--where', 'arm=app', '--by', 'sex']);
    const want = ref.canrelax_app_by_sex;
    expect(doc.input.rows).toBe(want.rows);
    expect(doc.input.rows_kept).toBe(want.rows_kept);
    expect(doc.by).toBe('sex');
    expect(doc.groups).toEqual(['female', 'male']);
    expect(doc.missing_by).toBe(0);
    expect(doc.quantiles).toBe('R type 7');
    // sex makes the groups; arm has one level after the filter.
    expect(doc.variables.map((v: Doc) => v.name)).toEqual(want.variables);
    expect(doc.notes).toEqual(['arm left out: a single level (app) in the rows described']);
    const roles = Object.fromEntries(doc.variables.filter((v: Doc) => v.role).map((v: Doc) => [v.name, v.role]));
    expect(roles).toEqual({ wai_task: 'task', wai_bond: 'bond', wai_goal: 'goal', wai_total: 'alliance', phqads_total_t0: 'baseline', phqads_total_w10: 'distress' });
    for (const v of doc.variables) {
      expect(v.kind).toBe('numeric');
      for (const group of ['all', 'female', 'male']) expectVariable(v, group, want.groups[group][v.name]);
    }
    // group sizes are the R subsets' sizes: n + missing of any variable
    const age = want.groups;
    expect(doc.group_rows).toEqual({ female: age.female.age.n + age.female.age.missing, male: age.male.age.n + age.male.age.missing });
  });

  test('all rows, no --by: arm and sex as categories (table, prop.table), then the numbers', async () => {
    const doc = await json(['describe', EXAMPLE]);
    const want = ref.canrelax_all;
    expect(doc.variables.map((v: Doc) => v.name)).toEqual(want.variables);
    expect(doc.variables.map((v: Doc) => v.kind)).toEqual(want.variables.map((n: string) => (n === 'arm' || n === 'sex' ? 'categorical' : 'numeric')));
    expect(doc.by).toBeNull();
    expect(doc.groups).toEqual([]);
    expect(doc.variables[0].by_group).toBeUndefined();
    for (const v of doc.variables) expectVariable(v, 'all', want.all[v.name]);
  });

  test('--by arm with roles in --vars: alliance and distress resolve to their score columns', async () => {
    const doc = await json(['describe', EXAMPLE, '--by', 'arm', '--vars', 'sex,age,expectation,alliance,distress']);
    const want = ref.canrelax_by_arm;
    expect(doc.variables.map((v: Doc) => v.name)).toEqual(want.variables);
    expect(doc.variables[3].role).toBe('alliance');
    expect(doc.groups).toEqual(['app', 'waitlist']);
    for (const v of doc.variables) for (const group of ['all', 'app', 'waitlist']) expectVariable(v, group, want.groups[group][v.name]);
    // The waitlist answered no WAI-I: n = 0, every statistic null (R: no values).
    expect(doc.variables[3].by_group.waitlist).toEqual({ n: 0, missing: 117, mean: null, sd: null, median: null, q1: null, q3: null, min: null, max: null });
  });
});

describe('sat_act.csv (not a CanRelax export: every column but id) against R', () => {
  test('overall: sex categorical (text), the rest numeric, SATQ with 13 missing', async () => {
    const doc = await json(['describe', SAT]);
    expect(doc.variables.map((v: Doc) => v.name)).toEqual(['sex', 'gender', 'education', 'age', 'ACT', 'SATV', 'SATQ']);
    for (const v of doc.variables) expectVariable(v, 'all', ref.sat_act_all[v.name]);
    expect(doc.variables[6].overall.missing).toBe(13);
  });

  test('--by sex', async () => {
    const doc = await json(['describe', SAT, '--by', 'sex']);
    expect(doc.groups).toEqual(['female', 'male']);
    expect(doc.variables.map((v: Doc) => v.name)).toEqual(['gender', 'education', 'age', 'ACT', 'SATV', 'SATQ']);
    for (const v of doc.variables) for (const group of ['all', 'female', 'male']) expectVariable(v, group, ref.sat_act_by_sex[group][v.name]);
  });

  test('--categorical education --by gender (numeric levels sorted numerically)', async () => {
    const doc = await json(['describe', SAT, '--vars', 'education,SATQ', '--categorical', 'education', '--by', 'gender']);
    expect(doc.groups).toEqual(['1', '2']);
    expect(doc.variables[0].kind).toBe('categorical');
    expect(doc.variables[0].overall.levels.map((l: Doc) => l.level)).toEqual(['0', '1', '2', '3', '4', '5']);
    const want = ref.sat_act_education_by_gender;
    for (const v of doc.variables) for (const group of ['all', '1', '2']) expectVariable(v, group, want[group][v.name]);
  });

  test('results do not depend on the reader chunk size or CRLF', async () => {
    const text = fs.readFileSync(SAT, 'utf8').replace(/\n/g, '\r\n');
    const whole = await json(['describe', SAT, '--by', 'sex']);
    for (const chunk of [7, 100, 4096]) {
      const doc = await json(['describe', '-', '--by', 'sex', '--chunk-size', String(chunk)], text);
      expect(doc.variables).toEqual(whole.variables);
    }
  });
});

// Worked by hand. Groups x (a–d), y (e, f), z (h); g has no group (in "all" only).
const SMALL = ['id,group,score,colour', 'a,x,1,red', 'b,x,2,', 'c,x,4,blue', 'd,x,10,red', 'e,y,3,red', 'f,y,,blue', 'g,,5,blue', 'h,z,NA,'].join('\n') + '\n';

describe('a small file worked by hand', () => {
  test('numbers, quantiles type 7, categories, missing values, empty groups', async () => {
    const doc = await json(['describe', '-', '--by', 'group'], SMALL);
    expect(doc.groups).toEqual(['x', 'y', 'z']);
    expect(doc.group_rows).toEqual({ x: 4, y: 2, z: 1 });
    expect(doc.missing_by).toBe(1);
    expect(doc.input.rows_kept).toBe(8);
    const [score, colour] = doc.variables;
    expect(score.name).toBe('score');
    expect(colour.name).toBe('colour');
    // all: 1, 2, 3, 4, 5, 10 (f and h missing). Mean 25/6; SS = 155 − 25²/6 = 305/6, var = 61/6.
    // Type 7: median h = 5·.5 = 2.5 → 3 + .5·(4 − 3) = 3.5; Q1 h = 1.25 → 2 + .25·1 = 2.25; Q3 h = 3.75 → 4 + .75·1 = 4.75.
    expectNumeric(score.overall, { n: 6, missing: 2, mean: 25 / 6, sd: Math.sqrt(61 / 6), median: 3.5, q1: 2.25, q3: 4.75, min: 1, max: 10 }, 'all');
    // x: 1, 2, 4, 10. Mean 17/4; SS = 121 − 17²/4 = 195/4, var = 65/4. Median h = 1.5 → 2 + .5·2 = 3;
    // Q1 h = .75 → 1 + .75·1 = 1.75; Q3 h = 2.25 → 4 + .25·6 = 5.5.
    expectNumeric(score.by_group.x, { n: 4, missing: 0, mean: 17 / 4, sd: Math.sqrt(65 / 4), median: 3, q1: 1.75, q3: 5.5, min: 1, max: 10 }, 'x');
    // y: a single value: no SD.
    expectNumeric(score.by_group.y, { n: 1, missing: 1, mean: 3, sd: null, median: 3, q1: 3, q3: 3, min: 3, max: 3 }, 'y');
    // z: no value ("NA" is missing by default).
    expectNumeric(score.by_group.z, { n: 0, missing: 1 }, 'z');
    // colour: red a, d, e; blue c, f, g; missing b, h. Levels by code point: blue, red.
    expect(colour.kind).toBe('categorical');
    expect(colour.overall).toEqual({ n: 6, missing: 2, levels: [{ level: 'blue', count: 3, percent: 50 }, { level: 'red', count: 3, percent: 50 }] });
    expect(colour.by_group.x.n).toBe(3);
    expect(colour.by_group.x.missing).toBe(1);
    expectClose(colour.by_group.x.levels[0].percent, 100 / 3);
    expectClose(colour.by_group.x.levels[1].percent, 200 / 3);
    expect(colour.by_group.y.levels.map((l: Doc) => l.count)).toEqual([1, 1]);
    expect(colour.by_group.z).toEqual({ n: 0, missing: 1, levels: [{ level: 'blue', count: 0, percent: null }, { level: 'red', count: 0, percent: null }] });
  });

  test('numeric levels are keyed by value: 1 and 1.0 are one group; --id leaves that column out', async () => {
    const doc = await json(['describe', '-', '--by', 'g', '--id', 'key'], 'key,g,v\nk1,1,2\nk2,1.0,4\nk3,2,6\n');
    expect(doc.groups).toEqual(['1', '2']);
    expect(doc.group_rows).toEqual({ 1: 2, 2: 1 });
    expect(doc.variables.map((v: Doc) => v.name)).toEqual(['v']);
    expect(doc.variables[0].by_group['1'].mean).toBe(3);
  });

  test('CSV: one row per variable and group, per level for categories, "all" last', async () => {
    const r = await runCli(['describe', '-', '--by', 'group', '--format', 'csv'], { stdin: SMALL });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('variable,role,kind,group,level,n,missing,mean,sd,median,q1,q3,min,max,count,percent');
    // score: x, y, z, all (4 rows); colour: 2 levels × 4 groups (8 rows).
    expect(lines).toHaveLength(1 + 4 + 8);
    expect(lines[1]).toBe('score,,numeric,x,,4,0,4.25,4.031128874149275,3,1.75,5.5,1,10,,');
    expect(lines[3]).toBe('score,,numeric,z,,0,1,,,,,,,,,');
    expect(lines[12]).toBe('colour,,categorical,all,red,6,2,,,,,,,,3,50');
  });

  test('table and Markdown: APA cells, a column per group and one for all rows', async () => {
    const r = await runCli(['describe', '-', '--by', 'group'], { stdin: SMALL });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('x (n = 4)');
    expect(r.stdout).toContain('All (n = 8)');
    expect(r.stdout).toContain('4.25 (4.03)');
    expect(r.stdout).toContain('3.00 [1.75, 5.50]');
    expect(r.stdout).toContain('2 (66.7)');
    expect(r.stdout).toContain('1 missing group (in All only)');
    expect(r.stdout).not.toMatch(/\u001b\[/);
    const md = await runCli(['describe', '-', '--by', 'group', '--format', 'markdown'], { stdin: SMALL });
    expect(md.stdout).toContain('| Variable | x (n = 4) | y (n = 2) | z (n = 1) | All (n = 8) |');
    expect(md.stdout).toContain('| score, M (SD) | 4.25 (4.03) | 3.00 (–) | – | 4.17 (3.19) |');
  });

  test('the example table reads as a Table 1', async () => {
    const r = await runCli(['describe', EXAMPLE, '--where', 'arm=app', '--by', 'sex']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Table 1. Sample characteristics');
    expect(r.stdout).toContain('female (n = 74)'); // examples/canrelax-synthetic.csv: 74 female, 43 male in the app arm (describe.json, from R)
    expect(r.stdout).toContain('wai_total (alliance), M (SD)');
    expect(r.stdout).toContain('Note: arm left out: a single level (app) in the rows described.');
  });
});

describe('errors: one line, exit 2 for the command line, 1 for the data', () => {
  test('unknown column in --vars or --by', async () => {
    expectOneLineError(await runCli(['describe', EXAMPLE, '--vars', 'agee']), 2, /unknown column "agee" in --vars.*nearest: age/);
    expectOneLineError(await runCli(['describe', EXAMPLE, '--by', 'sexx']), 2, /unknown column "sexx" in --by/);
    expectOneLineError(await runCli(['describe', EXAMPLE, '--vars', 'age', '--categorical', 'nope']), 2, /unknown column "nope" in --categorical/);
  });
  test('the --by column in --vars, a variable twice, an unknown format', async () => {
    expectOneLineError(await runCli(['describe', EXAMPLE, '--by', 'sex', '--vars', 'age,sex']), 2, /--vars names the --by column sex/);
    expectOneLineError(await runCli(['describe', EXAMPLE, '--vars', 'alliance,wai_total']), 2, /--vars names wai_total twice/);
    expectOneLineError(await runCli(['describe', EXAMPLE, '--format', 'xml']), 2, /--format/);
  });
  test('text in a numeric column names line and column; no rows after --where', async () => {
    expectOneLineError(await runCli(['describe', '-'], { stdin: 'id,v\na,1\nb,oops\n' }), 1, /column "v" \(Table 1\) holds mostly numbers, but "oops" at line 3 is not a number \(1 of 2 values\), stdin, .*or pass --categorical v if the column really is a factor$/);
    expectOneLineError(await runCli(['describe', EXAMPLE, '--where', 'arm=none']), 1, /^canrelax-analyze: no rows where arm=none, .*canrelax-synthetic\.csv; arm has app, waitlist; check the values and their case$/);
    expectOneLineError(await runCli(['describe', '-', '--by', 'g'], { stdin: 'id,g,v\na,,1\n' }), 1, /no rows with a value of g to group by/);
  });
});
