/**
 * report.html printed (issue 21): every column of every table must reach the paper. Headless Chromium prints the
 * page to PDF, pdftotext reads it back in drawing order (-raw: a wrapped header cell's words stay together), and
 * every table's header row, its cells in order, must be in that text. A clipped column loses its header and fails:
 * printed with the screen stylesheet alone (before the print rules), the specification curve's table loses
 * "share significant", "p (share significant)", "Stouffer Z" and "p (Stouffer Z)" (tried when the rules were made). Printed twice: the committed example report (every default
 * step) on Letter, and a report with the specification curve's 13-column table on A4, the narrower page.
 *
 * Needs `chromium` and `pdftotext` (Debian's chromium and poppler-utils; .ci/run installs both). Without them the
 * test is skipped and says so on the console.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, runCli } from '../helpers/cli';

const CHROMIUM = ['chromium', 'chromium-browser', 'google-chrome'].find((name) => spawnSync(name, ['--version'], { encoding: 'utf8' }).status === 0);
const PDFTOTEXT = spawnSync('pdftotext', ['-v'], { encoding: 'utf8' }).status === 0;
const missing = [CHROMIUM === undefined ? 'chromium' : null, PDFTOTEXT ? null : 'pdftotext (poppler-utils)'].filter((m) => m !== null);
if (missing.length) {
  // Visible in every run's output, not a silent pass.
  console.warn(`print test SKIPPED: ${missing.join(' and ')} not installed (apt-get install chromium poppler-utils; .ci/run does)`);
}
const printing = missing.length ? test.skip : test;

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'canrelax-print-'));
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

/** Hyphens and spaces as plain ones (html.ts writes U+2011 in instrument names; pdftotext may keep it, and U+00A0). */
const plainText = (text: string) => text.replace(/[\u2010\u2011]/g, '-').replace(/[\s\u00a0]+/g, ' ').trim();

/** A cell's HTML as text: tags dropped, the entities html.ts writes back to characters. */
const cellText = (html: string) =>
  plainText(
    html
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&'),
  );

/** Each table's header row: its cells' text joined by single spaces. */
function headerRows(html: string): string[] {
  return [...html.matchAll(/<thead>([\s\S]*?)<\/thead>/g)].map((m) => [...m[1].matchAll(/<th\b[^>]*>([\s\S]*?)<\/th>/g)].map((c) => cellText(c[1])).join(' '));
}

/** The page printed to PDF by headless Chromium, as text in drawing order. */
function printed(html: string, name: string, page: 'Letter' | 'A4'): string {
  const file = path.join(TMP, `${name}.html`);
  // The paper size as a user's print dialog would choose it; the report's own @page sets only the margins.
  fs.writeFileSync(file, html.replace('</style>', `@page { size: ${page}; }\n</style>`));
  const pdf = path.join(TMP, `${name}.pdf`);
  const chromium = spawnSync(CHROMIUM!, ['--headless', '--no-sandbox', '--disable-gpu', '--no-pdf-header-footer', `--print-to-pdf=${pdf}`, `file://${file}`], { encoding: 'utf8' });
  if (!fs.existsSync(pdf)) throw new Error(`chromium did not print: ${chromium.stderr}`);
  const text = spawnSync('pdftotext', ['-raw', '-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (text.status !== 0) throw new Error(text.stderr);
  return plainText(text.stdout);
}

function expectEveryHeader(html: string, text: string): void {
  const headers = headerRows(html);
  expect(headers.length).toBeGreaterThan(0);
  expect(headers.filter((h) => !text.includes(h))).toEqual([]);
}

describe('report.html prints every column', () => {
  printing('the example report (every default step), Letter', () => {
    const html = fs.readFileSync(path.join(ROOT, 'docs/example-report/report.html'), 'utf8');
    expectEveryHeader(html, printed(html, 'example', 'Letter'));
  });

  printing('the specification curve’s 13-column table, A4', async () => {
    const plan = path.join(TMP, 'plan.json');
    // One x: the same 13 columns, at a quarter of the four curves' time.
    fs.writeFileSync(plan, JSON.stringify({ steps: ['robustness'], x: ['alliance'] }));
    const out = path.join(TMP, 'robustness');
    const r = await runCli(['report', path.join(ROOT, 'examples/canrelax-synthetic.csv'), '--plan', plan, '--out-dir', out, '--formats', 'html']);
    expect(r.stderr).toBe('');
    const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(headerRows(html)[0]).toBe('x y specs primary r median r p (median r) range sign same sign share significant p (share significant) Stouffer Z p (Stouffer Z)');
    expectEveryHeader(html, printed(html, 'robustness', 'A4'));
  });
});
