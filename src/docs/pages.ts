// Every page with generated blocks and what renders them: `npm run docs` rewrites them, `npm run docs:check`
// (run by .ci/run) fails when one differs from what the code renders.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderBlocks as renderDeployBlocks } from '../deploy-docs';
import { renderErrorDocs } from '../platform/error-docs';
import { renderBenchBlocks, renderReadmeBenchBlocks } from './bench-docs';
import { renderConfigBlocks } from './configuration-docs';
import { fillBlocks, type Blocks } from './generated-blocks';
import { renderMetricsTable } from './metrics-docs';

/** A page of the repository and the blocks the code renders into it. */
export interface GeneratedPage {
  file: string;
  /** `root` is the repository's root, for renderers that read a file (bench/RESULTS.md). */
  blocks: (root: string) => Blocks;
}

export const GENERATED_PAGES: readonly GeneratedPage[] = [
  {
    file: 'README.md',
    blocks: (root) => renderReadmeBenchBlocks(readFileSync(path.join(root, 'bench/RESULTS.md'), 'utf8')),
  },
  { file: 'docs/configuration.md', blocks: () => renderConfigBlocks() },
  { file: 'docs/deploying.md', blocks: () => renderDeployBlocks() },
  { file: 'docs/errors.md', blocks: () => ({ errors: renderErrorDocs() }) },
  { file: 'docs/observability.md', blocks: () => ({ metrics: renderMetricsTable() }) },
  {
    file: 'docs/performance.md',
    blocks: (root) => renderBenchBlocks(readFileSync(path.join(root, 'bench/RESULTS.md'), 'utf8')),
  },
];

/** Each page as committed and as the code renders it. */
export function renderPages(root: string, pages: readonly GeneratedPage[] = GENERATED_PAGES) {
  return pages.map(({ file, blocks }) => {
    const committed = readFileSync(path.join(root, file), 'utf8');
    return { file, committed, rendered: fillBlocks(committed, blocks(root), file) };
  });
}

/** The pages whose committed text differs from what the code renders (what `npm run docs:check` reports). */
export function stalePages(root: string, pages: readonly GeneratedPage[] = GENERATED_PAGES): string[] {
  return renderPages(root, pages)
    .filter((p) => p.rendered !== p.committed)
    .map((p) => p.file);
}
