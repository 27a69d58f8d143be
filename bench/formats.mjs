// npm run bench:formats — reading SPSS and Excel: the same 10⁵-row export (`simulate --n 100000 --seed 1`) as CSV,
// .sav (haven::write_sav, bytecode-compressed as SPSS writes it), .zsav and .xlsx (openpyxl), each scored and
// correlated; wall time (median of 3) and peak RSS (bench/peak-rss.cjs), written to bench/FORMATS.md.
// Needs Rscript with haven and python3 with openpyxl to make the files (made once, kept in bench/data/).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure as measureIn } from './measure.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const data = join(root, 'bench', 'data');
const bin = join(root, 'bin', 'canrelax-analyze');
const log = (message) => process.stderr.write(`bench: ${message}\n`);
mkdirSync(data, { recursive: true });

const rows = 100_000;
const csv = join(data, `canrelax-${rows}.csv`);
if (!existsSync(csv)) execFileSync(process.execPath, [bin, 'simulate', '--n', String(rows), '--seed', '1', '--out', csv], { cwd: root, stdio: 'inherit' });
const sav = join(data, `canrelax-${rows}.sav`);
const zsav = join(data, `canrelax-${rows}.zsav`);
if (!existsSync(zsav)) {
  log('writing .sav and .zsav with haven');
  execFileSync('Rscript', ['-e', `library(haven); d <- read.csv("${csv}", stringsAsFactors = FALSE, na.strings = ""); write_sav(d, "${sav}"); write_sav(d, "${zsav}", compress = "zsav")`], { stdio: 'inherit' });
}
const xlsx = join(data, `canrelax-${rows}.xlsx`);
if (!existsSync(xlsx)) {
  log('writing .xlsx with openpyxl (about a minute)');
  const script = `
import csv, sys, openpyxl
wb = openpyxl.Workbook(write_only=True)
ws = wb.create_sheet('data')
def typed(c):
    if c == '': return None
    for kind in (int, float):
        try: return kind(c)
        except ValueError: pass
    return c
with open(sys.argv[1], newline='') as f:
    r = csv.reader(f)
    ws.append(next(r))
    for row in r: ws.append([typed(c) for c in row])
wb.save(sys.argv[2])`;
  execFileSync(existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3', ['-c', script, csv, xlsx], { stdio: 'inherit' });
}

const measure = (args) => measureIn(args, data);
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const fmt = (x, d = 2) => x.toFixed(d);

const out = join(data, 'formats-out.csv');
// The machine's load when the runs begin: on a shared machine it decides the wall times more than the code does.
const load = loadavg()[0].toFixed(1);
const table = [];
for (const [label, file] of [['CSV', csv], ['.sav', sav], ['.zsav', zsav], ['.xlsx', xlsx]]) {
  const mb = statSync(file).size / 1e6;
  const result = {};
  for (const [name, args] of [
    ['score', ['score', file, '--out', out]],
    ['correlate', ['correlate', file, '--x', 'alliance,bond,task,goal', '--y', 'distress', '--adjust', 'age,sex,baseline,expectation', '--where', 'arm=app']],
  ]) {
    log(`${label} ${name}`);
    const runs = [0, 1, 2].map(() => measure(args));
    result[name] = { seconds: median(runs.map((r) => r.seconds)), mb: Math.max(...runs.map((r) => r.mb)) };
  }
  table.push(`| ${label} | ${fmt(mb, 1)} | ${fmt(result.score.seconds)} s, ${fmt(result.score.mb, 0)} MB | ${fmt(result.correlate.seconds)} s, ${fmt(result.correlate.mb, 0)} MB |`);
}
rmSync(out, { force: true });
writeFileSync(
  join(root, 'bench', 'FORMATS.md'),
  [
    '# Reading SPSS and Excel files',
    '',
    `\`npm run bench:formats\` on ${process.version}: the same ${rows.toLocaleString('en')}-row export (49 columns) in each format;`,
    'median wall time of 3 runs (the whole command, start-up included) and the highest peak RSS.',
    `Load average when the runs began: ${load} on ${cpus().length} cores (wall times grow with it, most for a reader on one thread).`,
    '',
    '| format | file MB | score (read, score, write CSV) | correlate (4 x’s, 4 covariates, app arm) |',
    '| --- | ---: | --- | --- |',
    ...table,
    '',
    'Memory: a .sav or .zsav is held whole in memory (its bytes; a .zsav inflated one zlib block at a time) and',
    'decoded a batch of 2,048 cases at a time, so the peak grows with the file size, not with anything else. An .xlsx',
    'is held whole too (the zip needs random access); its sheet is inflated and parsed as XML 4 KB of deflate at a time',
    '(src/io/zip.ts, src/io/xlsx.ts), and only the shared strings (joined in blocks) and one batch of rows are kept.',
    '',
  ].join('\n'),
);
log('wrote bench/FORMATS.md');
