// docs/security-catalogue.md against the tests: every row is cited by one, by its id (a row of the attack table, a
// test title or a test's comment naming it) or by the test files and titles the row names, and every title it names
// exists in that file.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const CATALOGUE = readFileSync(join(ROOT, 'docs', 'security-catalogue.md'), 'utf8');

/** Every test source under test/ (generated code aside), by path relative to the repository. */
function testSources(dir = join(ROOT, 'test')): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'generated' && entry.name !== 'fixtures')
        for (const [k, v] of testSources(path)) out.set(k, v);
    } else if (entry.name.endsWith('.ts')) out.set(relative(ROOT, path), readFileSync(path, 'utf8'));
  }
  return out;
}

interface Row {
  id: string;
  /** The attack and the expected outcome. */
  text: string;
}
const ROWS: Row[] = CATALOGUE.split('\n')
  .map((line) => /^\| ([A-Z]{2}\d+) \| (.*) \|$/.exec(line))
  .filter((m): m is RegExpExecArray => m !== null)
  .map((m) => ({ id: m[1], text: m[2] }));

/** `test/….ts "title", "title"` citations in a row's expected outcome. */
function citations(text: string): { file: string; titles: string[] }[] {
  const out: { file: string; titles: string[] }[] = [];
  const re = /(test\/[\w./-]+\.ts)((?:,? "[^"]+")*)/g;
  for (const m of text.matchAll(re)) {
    out.push({ file: m[1], titles: [...m[2].matchAll(/"([^"]+)"/g)].map((t) => t[1]) });
  }
  return out;
}

describe('docs/security-catalogue.md', () => {
  const sources = testSources();
  // This file names row ids in its own comments: it cites nothing.
  const all = [...sources]
    .filter(([path]) => path !== relative(ROOT, __filename))
    .map(([, text]) => text)
    .join('\n');
  /** The id, or one of its sub-rows (`AU2a-P`, `IN11c`), named in a test source. */
  const citedById = (id: string) => new RegExp(`(?<![A-Za-z0-9])${id}(?![0-9])`).test(all);

  it('should have rows', () => {
    expect(ROWS.length).toBeGreaterThan(60);
  });

  it.each(ROWS.map((r) => [r.id, r] as const))('should cite row %s in a test', (_id, row) => {
    const named = citations(row.text);
    for (const c of named) {
      expect({ row: row.id, file: c.file, exists: existsSync(join(ROOT, c.file)) }).toEqual({
        row: row.id,
        file: c.file,
        exists: true,
      });
      for (const title of c.titles) {
        expect({ row: row.id, file: c.file, title, found: sources.get(c.file)?.includes(title) }).toEqual({
          row: row.id,
          file: c.file,
          title,
          found: true,
        });
      }
    }
    // Rows it names (PA2: AU5h, …) count when they are in the table.
    const others = [...row.text.matchAll(/\b([A-Z]{2}\d+[a-z]?)\b/g)].map((m) => m[1]);
    const cited =
      citedById(row.id) || named.some((c) => c.titles.length > 0) || others.some((o) => citedById(o));
    expect({ row: row.id, cited }).toEqual({ row: row.id, cited: true });
  });
});
