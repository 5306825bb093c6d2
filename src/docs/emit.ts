// `npm run docs` rewrites the generated blocks of every page (src/docs/pages.ts); `npm run docs:check` writes
// nothing and exits 1 naming each page that differs from what the code renders.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderPages, stalePages } from './pages';

const root = path.resolve(__dirname, '../../..');
if (process.argv.includes('--check')) {
  const stale = stalePages(root);
  if (stale.length) {
    console.error(`${stale.join(', ')}: not what the code renders; run npm run docs and commit the result`);
    process.exit(1);
  }
  console.log('generated pages agree with the code');
} else {
  for (const { file, committed, rendered } of renderPages(root)) {
    if (rendered === committed) continue;
    writeFileSync(path.join(root, file), rendered);
    console.log(`wrote ${file}`);
  }
}
