// Every generated page (src/docs/pages.ts) is what the code renders, and the check CI runs (`npm run docs:check`,
// stalePages) fails on a planted disagreement: a hand edit inside each page's blocks, and a change on the code's
// side for each renderer that reads it (config schema, metrics registry, event list, bench results).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Counter } from 'prom-client';
import { z } from 'zod';
import { renderBlocks, STRIPE_PERMISSIONS } from '../../src/deploy-docs';
import { renderBenchBlocks, renderReadmeBenchBlocks } from '../../src/docs/bench-docs';
import { configVariables, modeRequirements, renderConfigBlocks } from '../../src/docs/configuration-docs';
import { blockNames, fillBlocks } from '../../src/docs/generated-blocks';
import { renderMetricsTable } from '../../src/docs/metrics-docs';
import { GENERATED_PAGES, stalePages, type GeneratedPage } from '../../src/docs/pages';
import { CONFIG_SCHEMA } from '../../src/platform/config';
import { ERROR_CODES } from '../../src/platform/error-catalogue';
import { renderErrorDocs } from '../../src/platform/error-docs';
import { createMetrics } from '../../src/platform/metrics';
import { SUBSCRIBED_EVENT_TYPES } from '../../src/services/live/webhook-events.service';

const ROOT = path.resolve(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
/** GENERATED_PAGES with one page's renderer replaced. */
const planted = (file: string, blocks: GeneratedPage['blocks']) =>
  GENERATED_PAGES.map((p) => (p.file === file ? { ...p, blocks } : p));

describe('generated pages', () => {
  it('should all be what `npm run docs` renders from the code', () => {
    expect(GENERATED_PAGES.map((p) => p.file)).toEqual([
      'README.md',
      'docs/configuration.md',
      'docs/deploying.md',
      'docs/errors.md',
      'docs/observability.md',
      'docs/performance.md',
    ]);
    expect(stalePages(ROOT)).toEqual([]);
  });

  describe('a hand edit inside a generated block', () => {
    let copy: string;
    beforeAll(() => {
      copy = mkdtempSync(path.join(tmpdir(), 'docs-check-'));
      for (const { file } of GENERATED_PAGES) cpSync(path.join(ROOT, file), path.join(copy, file));
      cpSync(path.join(ROOT, 'bench/RESULTS.md'), path.join(copy, 'bench/RESULTS.md'));
    });
    afterAll(() => rmSync(copy, { recursive: true, force: true }));

    // Every block of every page, not only the first: a block no plant reaches could drift unseen.
    const everyBlock = GENERATED_PAGES.flatMap(({ file }) =>
      blockNames(read(file)).map((block) => [file, block]),
    );

    it('should reach every block the renderers produce', () => {
      for (const { file, blocks } of GENERATED_PAGES)
        expect(everyBlock.filter(([f]) => f === file).map(([, b]) => b)).toEqual(
          expect.arrayContaining(Object.keys(blocks(ROOT))),
        );
      expect(everyBlock.map(([, block]) => block)).toEqual([
        'bench-headline',
        'config-modes',
        'config-variables',
        'stripe-permissions',
        'stripe-events',
        'stripe-listen',
        'errors',
        'metrics',
        'bench-run',
        'bench-targets',
      ]);
    });

    it.each(everyBlock)('should make the check name %s, and only it, for its block %s', (file, block) => {
      const page = read(file);
      // The last line of the block's content changes: what a reader "fixing" a figure by hand would do.
      const closing = `\n<!-- /generated:${block} -->`;
      const edited = page.replace(closing, ` (edited by hand)${closing}`);
      expect(edited).not.toBe(page);
      writeFileSync(path.join(copy, file), edited);
      try {
        expect(stalePages(copy)).toEqual([file]);
      } finally {
        writeFileSync(path.join(copy, file), page);
      }
      expect(stalePages(copy)).toEqual([]);
    });
  });

  describe('a change in the code', () => {
    it('should make docs/configuration.md stale when a variable is added to the schema', () => {
      const schema = { ...CONFIG_SCHEMA.shape, PLANTED_VARIABLE: z.string().optional().describe('planted') };
      const pages = planted('docs/configuration.md', () =>
        renderConfigBlocks(configVariables(schema), modeRequirements()),
      );
      expect(stalePages(ROOT, pages)).toEqual(['docs/configuration.md']);
    });

    it('should refuse a variable without a description', () => {
      const schema = { ...CONFIG_SCHEMA.shape, PLANTED_VARIABLE: z.string().optional() };
      expect(() => renderConfigBlocks(configVariables(schema))).toThrow(
        /PLANTED_VARIABLE without a \.describe\(\)/,
      );
    });

    it('should fail when parseConfig requires something a mode does not list, or a mode lists what is not required', () => {
      const production = { NODE_ENV: 'production', STRIPE_SECRET_KEY: 'sk_live_docs' };
      expect(() =>
        modeRequirements([
          { name: 'planted', selects: production, requires: { PARTNER_KEYS: 'acme:0123456789' } },
        ]),
      ).toThrow(/Mode "planted" .* refused by parseConfig: Invalid TOKEN_SECRET: required/);
      expect(() =>
        modeRequirements([{ name: 'planted', selects: {}, requires: { TOKEN_SECRET: 'x'.repeat(32) } }]),
      ).toThrow(/lists TOKEN_SECRET as required, but parseConfig starts without it/);
    });

    it('should make docs/observability.md stale when a metric is registered', () => {
      const { registry } = createMetrics();
      new Counter({ name: 'gateway_planted_total', help: 'planted', registers: [registry] });
      const pages = planted('docs/observability.md', () => ({ metrics: renderMetricsTable(registry) }));
      expect(stalePages(ROOT, pages)).toEqual(['docs/observability.md']);
    });

    it('should make docs/deploying.md stale when an event type is dropped', () => {
      const pages = planted('docs/deploying.md', () => renderBlocks(SUBSCRIBED_EVENT_TYPES.slice(1)));
      expect(stalePages(ROOT, pages)).toEqual(['docs/deploying.md']);
    });

    it('should make docs/deploying.md stale in the `stripe listen` line alone when only it disagrees', () => {
      const blocks = renderBlocks();
      const listen = blocks['stripe-listen'].replace(',mandate.updated', '');
      expect(listen).not.toBe(blocks['stripe-listen']);
      const pages = planted('docs/deploying.md', () => ({ ...blocks, 'stripe-listen': listen }));
      expect(stalePages(ROOT, pages)).toEqual(['docs/deploying.md']);
    });

    it('should make docs/deploying.md stale when a Stripe resource the code calls is added', () => {
      const permissions = [
        ...STRIPE_PERMISSIONS,
        { resource: 'Refunds', access: 'write' as const, paths: ['/v1/refunds'], why: 'planted' },
      ];
      const pages = planted('docs/deploying.md', () => renderBlocks(SUBSCRIBED_EVENT_TYPES, permissions));
      expect(stalePages(ROOT, pages)).toEqual(['docs/deploying.md']);
    });

    it('should make docs/errors.md stale when an error code changes in the catalogue', () => {
      const codes = ERROR_CODES.map((e, i) => (i === 0 ? { ...e, httpStatus: '499' } : e));
      const pages = planted('docs/errors.md', () => ({ errors: renderErrorDocs(codes) }));
      expect(stalePages(ROOT, pages)).toEqual(['docs/errors.md']);
    });

    it('should make docs/performance.md stale when bench/RESULTS.md changes', () => {
      const results = read('bench/RESULTS.md').replace(/^- Target .*$/m, '- Target "planted": reached.');
      const pages = planted('docs/performance.md', () => renderBenchBlocks(results));
      expect(stalePages(ROOT, pages)).toEqual(['docs/performance.md']);
    });

    it('should make docs/performance.md stale when the run in bench/RESULTS.md changes', () => {
      const results = read('bench/RESULTS.md').replace(/^- Date.*$/m, '- Date: planted');
      const pages = planted('docs/performance.md', () => renderBenchBlocks(results));
      expect(stalePages(ROOT, pages)).toEqual(['docs/performance.md']);
    });
  });

  describe("the README's bench figures", () => {
    it('should change with the two-instance figures of bench/RESULTS.md', () => {
      const results = read('bench/RESULTS.md').replace(
        /^- Target "with REDIS_URL, the cached dashboard.*$/m,
        '- Target "with REDIS_URL, the cached dashboard": planted.',
      );
      const block = renderReadmeBenchBlocks(results)['bench-headline'];
      expect(block).toContain('- Target "with REDIS_URL, the cached dashboard": planted.');
      expect(block).toMatch(/^- Target "cached dashboard ≥ 1\.0× Mercurius/m);
      expect(
        stalePages(
          ROOT,
          planted('README.md', () => renderReadmeBenchBlocks(results)),
        ),
      ).toEqual(['README.md']);
    });

    it('should refuse results without the two-instance section', () => {
      const results = read('bench/RESULTS.md').replace('## 2b. Two instances', '## 2c. Gone');
      expect(() => renderReadmeBenchBlocks(results)).toThrow(/no section "## 2b\. Two instances"/);
    });
  });

  describe('markers', () => {
    it('should refuse a page that lost a block, or has one nothing renders', () => {
      const page = read('docs/configuration.md');
      const blocks = renderConfigBlocks();
      expect(() => fillBlocks(page.replace('<!-- /generated:config-modes -->', ''), blocks, 'x.md')).toThrow(
        /x\.md has no <!-- generated:config-modes -->/,
      );
      const extra = `${page}\n<!-- generated:planted -->\n<!-- /generated:planted -->\n`;
      expect(() => fillBlocks(extra, blocks, 'x.md')).toThrow(/generated:planted --> that nothing renders/);
    });
  });
});

describe('docs/configuration.md', () => {
  const page = read('docs/configuration.md');

  it('should name every variable of the schema with its description', () => {
    const variables = configVariables();
    expect(variables.length).toBeGreaterThan(50);
    for (const v of variables) {
      expect(v.description).toBeTruthy();
      expect(page).toContain(`| \`${v.name}\` |`);
    }
  });

  it('should say which variables production requires, as parseConfig enforces them', () => {
    const production = modeRequirements().find((m) => m.name === 'production')!;
    expect(production.required.map((r) => r.name)).toEqual(['PARTNER_KEYS', 'TOKEN_SECRET']);
    expect(page).toMatch(/\| `TOKEN_SECRET` \| — \| production; production, several instances \(Redis\) \|/);
  });
});
