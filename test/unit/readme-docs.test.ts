// The README is a front door: short, the two commands CI runs, a link to every page of docs/; and the hand-written
// pages cannot rot silently: every src/, test/ and bench/ path they name exists, and the sandbox page names every
// variable the sandbox reads.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const readme = read('README.md');

/** Repository paths a page names (`src/x/`, `test/y.ts`, `bench/RESULTS.md`), file or folder. */
function namedPaths(page: string): string[] {
  const found = page.match(/(?<![\w/.-])(?:src|test|bench)\/[\w./-]*[\w/]/g) ?? [];
  return [...new Set(found.map((p) => p.replace(/\.$/, '')))];
}

describe('README.md', () => {
  it('should be at most 200 lines', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(200);
  });

  it('should give exactly the two commands, the second being what CI runs', () => {
    const commands = [...readme.matchAll(/```sh\n(npm ci && npm \w+)\n```/g)].map((m) => m[1]);
    expect(commands).toEqual(['npm ci && npm start', 'npm ci && npm test']);
    expect(read('.ci/run')).toMatch(/^npm ci$[\s\S]*^npm test$/m);
  });

  it('should link every page of docs/', () => {
    const pages = readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md'));
    expect(pages.length).toBeGreaterThan(10);
    expect(pages.filter((page) => !readme.includes(`](docs/${page})`))).toEqual([]);
  });

  it('should catch a page of docs/ it does not link', () => {
    const pages = ['errors.md', 'planted-page.md'];
    expect(pages.filter((page) => !readme.includes(`](docs/${page})`))).toEqual(['planted-page.md']);
  });
});

describe('hand-written pages', () => {
  const pages = [
    'README.md',
    'docs/architecture.md',
    'docs/configuration.md',
    'docs/observability.md',
    'docs/performance.md',
    'docs/real-stripe.md',
    'docs/redis.md',
    'docs/sandbox.md',
    'docs/tracing.md',
  ];

  it.each(pages)('%s should name only paths that exist', (page) => {
    const named = namedPaths(read(page));
    expect(named.filter((p) => !existsSync(path.join(ROOT, p)))).toEqual([]);
  });

  it('docs/architecture.md should name every folder of src/ (so a new one is placed in a layer)', () => {
    const page = read('docs/architecture.md');
    const folders = (dir: string): string[] =>
      readdirSync(path.join(ROOT, dir), { withFileTypes: true })
        .filter((e) => e.isDirectory() && !(dir === 'src/demo' || dir.startsWith('src/sandbox/')))
        .flatMap((e) => [`${dir}/${e.name}`, ...folders(`${dir}/${e.name}`)]);
    const all = folders('src').filter((f) => !f.startsWith('src/demo/') && !f.startsWith('src/sandbox/'));
    expect(all.length).toBeGreaterThan(10);
    expect(all.filter((f) => !page.includes(`${f}/`))).toEqual([]);
  });

  it('should catch a path that does not exist', () => {
    expect(
      namedPaths('see `src/services/gone/` and src/app.ts.').filter((p) => !existsSync(path.join(ROOT, p))),
    ).toEqual(['src/services/gone/']);
  });

  it('docs/sandbox.md should list every variable `npm run sandbox` reads', () => {
    const source = read('src/sandbox/main.ts');
    const names = [
      ...new Set([...source.matchAll(/(?:process\.env\.|intEnv\(')(SANDBOX_[A-Z_]+)/g)].map((m) => m[1])),
    ];
    expect(names.length).toBeGreaterThan(8);
    const page = read('docs/sandbox.md');
    expect(names.filter((n) => !page.includes(`| \`${n}\` |`))).toEqual([]);
  });
});
