/**
 * Every documentation file the code cites (in help text, error messages and comments: a path under docs/) exists.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sources(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

const cited = new Map<string, string[]>();
for (const file of sources(path.join(ROOT, 'src'))) {
  // A path ends at whitespace, a quote, a bracket or a comma; a sentence's full stop is not part of it.
  for (const match of fs.readFileSync(file, 'utf8').matchAll(/\bdocs\/[A-Za-z0-9_./-]*[A-Za-z0-9_/-]/g)) {
    cited.set(match[0], [...(cited.get(match[0]) ?? []), path.relative(ROOT, file)]);
  }
}

test('the code cites docs/report.md (so this test reads what it should)', () => {
  expect(cited.has('docs/report.md')).toBe(true);
});

test.each([...cited.keys()].sort())('%s exists', (doc) => {
  expect({ doc, citedBy: cited.get(doc), exists: fs.existsSync(path.join(ROOT, doc)) }).toEqual({ doc, citedBy: cited.get(doc), exists: true });
});
