/**
 * Provenance a report can be rebuilt from (issue 9.4): the config file found in the working directory is recorded
 * (path, SHA-256, text) and applied; `report --replay old/report.json` rebuilds every file byte for byte from the
 * provenance alone (plan and config from their recorded text, the input found at its recorded path and checked
 * against its SHA-256), and refuses a changed or missing input (exit 1) and options beside --replay (exit 2).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { EXAMPLE, ROOT, expectOneLineError, runCli, type CliResult } from '../helpers/cli';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'canrelax-replay-test-'));
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));
const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** Runs the CLI in `dir` (relative paths in the provenance are relative to the folder a report is made in). */
async function runIn(dir: string, args: string[], stdin?: Buffer): Promise<CliResult> {
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    return await runCli(args, { stdin });
  } finally {
    process.chdir(cwd);
  }
}

async function ok(dir: string, args: string[], stdin?: Buffer): Promise<void> {
  const r = await runIn(dir, args, stdin);
  if (r.code !== 0) throw new Error(r.stderr);
}

const readJson = (file: string): Doc => JSON.parse(fs.readFileSync(file, 'utf8'));

/** Every file of two report folders, name for name and byte for byte. */
function expectSameFiles(a: string, b: string): void {
  const files = fs.readdirSync(a).sort();
  expect(files).toContain('report.json');
  expect(fs.readdirSync(b).sort()).toEqual(files);
  for (const file of files) {
    const same = fs.readFileSync(path.join(a, file)).equals(fs.readFileSync(path.join(b, file)));
    expect({ file, same }).toEqual({ file, same: true });
  }
}

// The example with the first 5 app-arm ages coded -99 (data.csv), and the same rows with the age left blank (blank.csv).
const lines = fs.readFileSync(EXAMPLE, 'utf8').split('\n');
const header = lines[0].split(',');
const AGE = header.indexOf('age');
const ARM = header.indexOf('arm');
function recode(value: string): string {
  let left = 5;
  return lines
    .map((line, i) => {
      const cells = line.split(',');
      if (i === 0 || left === 0 || cells[ARM] !== 'app' || cells[AGE] === '') return line;
      left--;
      cells[AGE] = value;
      return cells.join(',');
    })
    .join('\n');
}
const WORK = path.join(TMP, 'work');
fs.mkdirSync(WORK);
fs.writeFileSync(path.join(WORK, 'data.csv'), recode('-99'));
fs.writeFileSync(path.join(WORK, 'blank.csv'), recode(''));
const CONFIG = '{ "na": ["-99"] }\n';
fs.writeFileSync(path.join(WORK, 'canrelax.config.json'), CONFIG);
const PLAN = JSON.stringify({ steps: ['sample', 'reliability', 'correlations', 'stratified', 'sensitivity'], bootstrap: { resamples: 200, seed: 7 } });
fs.writeFileSync(path.join(WORK, 'plan.json'), PLAN);
const WAI = fs.readFileSync(path.join(ROOT, 'examples/instruments/wai.json'), 'utf8');
fs.writeFileSync(path.join(WORK, 'wai.json'), WAI);
const FIRST = ['report', 'data.csv', '--plan', 'plan.json', '--na', '-98', '--instrument', 'wai.json', '--instrument', 'phqads', '--out-dir', 'first'];
const CORRELATE = ['--where', 'arm=app', '--x', 'alliance', '--y', 'distress', '--adjust', 'age,sex', '--format', 'json'];

test('a config found in the working directory is applied once and recorded: path, SHA-256, text', async () => {
  // -99 read as missing by the config's "na" gives the numbers of the same rows with a blank age.
  const coded = await runIn(WORK, ['correlate', 'data.csv', ...CORRELATE]);
  const blank = await runIn(WORK, ['correlate', 'blank.csv', ...CORRELATE]);
  const c = JSON.parse(coded.stdout);
  expect(c.results).toEqual(JSON.parse(blank.stdout).results);
  expect(c.input.config).toEqual({ path: 'canrelax.config.json', sha256: sha256(CONFIG), content: CONFIG });

  await ok(WORK, FIRST);
  const p = readJson(path.join(WORK, 'first', 'report.json')).provenance;
  expect(p.config).toEqual({ path: 'canrelax.config.json', sha256: sha256(CONFIG), content: CONFIG });
  expect(p.plan_file).toEqual({ path: 'plan.json', sha256: sha256(PLAN), content: PLAN });
  expect(p.options).toEqual({ na: '-98', instrument: ['wai.json', 'phqads'] });
  expect(p.instrument_files).toEqual([{ path: 'wai.json', sha256: sha256(WAI), content: WAI }]);
  expect(p.input).toMatchObject({ path: 'data.csv', sha256: sha256(fs.readFileSync(path.join(WORK, 'data.csv'))) });
  // The report's correlations are correlate's on the rows with those ages blank: the config reached every pass.
  const report = readJson(path.join(WORK, 'first', 'report.json')).steps.find((s: Doc) => s.id === 'correlations');
  const same = await runIn(WORK, ['correlate', 'blank.csv', '--where', 'arm=app', '--x', 'alliance,bond,task,goal', '--y', 'distress', '--adjust', 'age,sex,baseline,expectation', '--bayes', '--format', 'json']);
  expect(report.results).toEqual(JSON.parse(same.stdout).results);
  expect(report.results[0].n).toBeLessThan(130); // the example's n: some of the coded rows were complete
});

test('--replay rebuilds every file byte for byte from the provenance alone (plan, config and instrument definition as recorded)', async () => {
  const first = path.join(WORK, 'first');
  if (!fs.existsSync(path.join(first, 'report.json'))) await ok(WORK, FIRST);
  // The plan, config and instrument definition on disk change or go: the replay uses the text recorded.
  fs.writeFileSync(path.join(WORK, 'canrelax.config.json'), '{}\n');
  fs.rmSync(path.join(WORK, 'plan.json'));
  fs.writeFileSync(path.join(WORK, 'wai.json'), WAI.replace('"minAnswered": 0.75', '"minAnswered": 1'));
  try {
    const r = await runIn(WORK, ['report', '--replay', 'first/report.json', '--out-dir', 'again']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expectSameFiles(first, path.join(WORK, 'again'));
  } finally {
    fs.writeFileSync(path.join(WORK, 'canrelax.config.json'), CONFIG);
    fs.writeFileSync(path.join(WORK, 'plan.json'), PLAN);
    fs.writeFileSync(path.join(WORK, 'wai.json'), WAI);
  }
});

test('--replay writes the files the report was made with (--formats, --figures recorded), unless others are given', async () => {
  const made = ['report', 'data.csv', '--plan', 'plan.json', '--formats', 'json,md,docx', '--figures', 'svg,png', '--out-dir', 'files'];
  await ok(WORK, made);
  const files = path.join(WORK, 'files');
  expect(readJson(path.join(files, 'report.json')).provenance.files).toEqual({ formats: ['json', 'md', 'docx'], figures: ['svg', 'png'] });
  expect(fs.readdirSync(files)).toContain('report.docx');
  await ok(WORK, ['report', '--replay', 'files/report.json', '--out-dir', 'files-again']);
  expectSameFiles(files, path.join(WORK, 'files-again'));
  // Given beside --replay, other formats are written (they choose files, not numbers); --figures stays as recorded.
  await ok(WORK, ['report', '--replay', 'files/report.json', '--formats', 'json', '--out-dir', 'files-json']);
  const written = fs.readdirSync(path.join(WORK, 'files-json'));
  expect(written.filter((f) => !/\.(svg|png)$/.test(f))).toEqual(['report.json']);
  expect(written.filter((f) => f.endsWith('.png')).length).toBe(written.filter((f) => f.endsWith('.svg')).length);
});

test('--replay of a report made from stdin reads stdin and checks its SHA-256', async () => {
  const bytes = fs.readFileSync(path.join(WORK, 'data.csv'));
  await ok(WORK, ['report', '-', '--plan', 'plan.json', '--out-dir', 'piped'], bytes);
  await ok(WORK, ['report', '--replay', 'piped/report.json', '--out-dir', 'piped-again'], bytes);
  expectSameFiles(path.join(WORK, 'piped'), path.join(WORK, 'piped-again'));
  const other = await runIn(WORK, ['report', '--replay', 'piped/report.json', '--out-dir', 'piped-other'], fs.readFileSync(path.join(WORK, 'blank.csv')));
  expectOneLineError(other, 1, /the standard input is not the input piped\/report\.json was made from \(SHA-256 [0-9a-f]{12}…, recorded [0-9a-f]{12}…\)/);
});

test('the published-values file is read once and recorded; --replay checks its recorded text, not the file', async () => {
  const dir = path.join(TMP, 'published');
  fs.mkdirSync(dir);
  fs.copyFileSync(EXAMPLE, path.join(dir, 'data.csv'));
  const text = fs.readFileSync(path.join(ROOT, 'examples/published/canrelax-2026.json'), 'utf8');
  fs.writeFileSync(path.join(dir, 'paper.json'), text);
  fs.writeFileSync(path.join(dir, 'plan.json'), JSON.stringify({ steps: ['published'] }));
  await ok(dir, ['report', 'data.csv', '--plan', 'plan.json', '--published', 'paper.json', '--out-dir', 'r']);
  const doc = readJson(path.join(dir, 'r', 'report.json'));
  expect(doc.provenance.published_file).toEqual({ path: 'paper.json', sha256: sha256(text), content: text });
  expect(doc.steps[0].summary).toBe('8 of 8 values match, 5 of 5 claims supported');
  // The file on disk changes (one value no longer printed as the data give it): the replay still checks the recorded one.
  const changed = JSON.parse(text);
  changed.values[1].published = 4.5;
  fs.writeFileSync(path.join(dir, 'paper.json'), JSON.stringify(changed));
  await ok(dir, ['report', '--replay', 'r/report.json', '--out-dir', 'again']);
  expectSameFiles(path.join(dir, 'r'), path.join(dir, 'again'));
  // An edited record is refused (exit 1); a --published path that cannot be read fails before the analysis (exit 2).
  doc.provenance.published_file.content = JSON.stringify(changed);
  fs.writeFileSync(path.join(dir, 'edited.json'), JSON.stringify(doc));
  expectOneLineError(await runIn(dir, ['report', '--replay', 'edited.json', '--out-dir', 'never']), 1, /the published values file paper\.json as recorded does not match its SHA-256/);
  expectOneLineError(await runIn(dir, ['report', 'data.csv', '--published', 'none.json', '--out-dir', 'never']), 2, /^canrelax-analyze: --published none\.json not found, check the path$/);
  expect(fs.existsSync(path.join(dir, 'never'))).toBe(false);
});

describe('--replay refuses', () => {
  const made = path.join(TMP, 'made');
  beforeAll(async () => {
    fs.mkdirSync(made);
    fs.copyFileSync(path.join(WORK, 'data.csv'), path.join(made, 'data.csv'));
    fs.writeFileSync(path.join(made, 'plan.json'), JSON.stringify({ steps: ['correlations'] }));
    await ok(made, ['report', 'data.csv', '--plan', 'plan.json', '--out-dir', 'r']);
  });

  test('a changed input (exit 1), leaving no report', async () => {
    fs.appendFileSync(path.join(made, 'data.csv'), lines[1] + '\n');
    try {
      const r = await runIn(made, ['report', '--replay', 'r/report.json', '--out-dir', 'changed']);
      expectOneLineError(r, 1, /data\.csv is not the input r\/report\.json was made from .*replay needs the same bytes/);
      expect(fs.existsSync(path.join(made, 'changed'))).toBe(false);
    } finally {
      fs.copyFileSync(path.join(WORK, 'data.csv'), path.join(made, 'data.csv'));
    }
  });

  test('a missing input (exit 1): relative paths are taken from the folder the replay runs in', async () => {
    const r = await runIn(TMP, ['report', '--replay', 'made/r/report.json', '--out-dir', 'elsewhere']);
    expectOneLineError(r, 1, /^canrelax-analyze: input data\.csv \(recorded in made\/r\/report\.json\) not found, run --replay in the folder the report was made in$/);
  });

  test('options beside --replay other than --out-dir, and an input argument (exit 2)', async () => {
    expectOneLineError(await runIn(made, ['report', '--replay', 'r/report.json', '--plan', 'plan.json']), 2, /--plan cannot be given beside it \(only --out-dir, --formats, --figures\)/);
    expectOneLineError(await runIn(made, ['report', '--replay', 'r/report.json', '--where', 'sex=male', '--na', '-9']), 2, /--na, --where cannot be given/);
    expectOneLineError(await runIn(made, ['report', 'data.csv', '--replay', 'r/report.json']), 2, /--replay takes the input from r\/report\.json's provenance, drop data\.csv/);
    // The global flags (colour, debug, progress) change nothing in the files, and are not refused.
    await ok(made, ['report', '--replay', 'r/report.json', '--out-dir', 'quiet', '--no-color', '--debug', '--quiet']);
    expectSameFiles(path.join(made, 'r'), path.join(made, 'quiet'));
  });

  test('a report whose recorded plan was edited (exit 1), a file that is not a report (exit 2)', async () => {
    const doc = readJson(path.join(made, 'r', 'report.json'));
    doc.provenance.plan_file.content = JSON.stringify({ steps: ['sample'] });
    fs.writeFileSync(path.join(made, 'edited.json'), JSON.stringify(doc));
    expectOneLineError(await runIn(made, ['report', '--replay', 'edited.json']), 1, /the plan plan\.json as recorded does not match its SHA-256/);
    expectOneLineError(await runIn(made, ['report', '--replay', 'plan.json']), 2, /--replay plan\.json is not a report\.json written by canrelax-analyze report/);
    expectOneLineError(await runIn(made, ['report', '--replay', 'nothing.json']), 2, /cannot read --replay nothing\.json \(ENOENT\)/);
  });

  test('a report made by another version is replayed with a warning', async () => {
    const doc = readJson(path.join(made, 'r', 'report.json'));
    doc.provenance.tool.version = '0.0.1';
    fs.writeFileSync(path.join(made, 'old.json'), JSON.stringify(doc));
    const r = await runIn(made, ['report', '--replay', 'old.json', '--out-dir', 'from-old']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^canrelax-analyze: warning: old\.json was made by canrelax-analyze 0\.0\.1, this is \d+\.\d+\.\d+: the numbers may differ\n$/);
    expect(fs.readFileSync(path.join(made, 'from-old', 'report.md'))).toEqual(fs.readFileSync(path.join(made, 'r', 'report.md')));
  });

  test('no input and no --replay (exit 2)', async () => {
    expectOneLineError(await runIn(made, ['report']), 2, /report needs the input: a CSV file, or - for stdin \(or --replay old\/report\.json\)/);
  });
});
