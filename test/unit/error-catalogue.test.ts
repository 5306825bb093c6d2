// The error catalogue is the one source of docs/errors.md: every code and reason the code emits is in it, and the
// committed page is exactly what it renders (CI's .ci/run checks every generated page with `npm run docs:check`).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  ERROR_CODES,
  ERROR_REASONS,
  EXTENSION_KEYS,
  TransportErrorCode,
  WS_CLOSE_CODES,
} from '../../src/platform/error-catalogue';
import { fillBlocks } from '../../src/docs/generated-blocks';
import { renderErrorDocs } from '../../src/platform/error-docs';
import { ErrorCode, ErrorReason } from '../../src/platform/errors';
import { TOKEN_EXPIRED_CLOSE_CODE, UNAUTHORIZED_CLOSE_CODE } from '../../src/transport/ws/ws-guard';

const ROOT = path.resolve(__dirname, '../..');
const SRC = path.join(ROOT, 'src');

/** Gateway source files (the sandbox and the demo web app answer no gateway errors). */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) {
      return ['sandbox', 'web', 'generated'].includes(name) ? [] : sourceFiles(full);
    }
    return full.endsWith('.ts') ? [full] : [];
  });
}
const sources = sourceFiles(SRC).map((file) => ({ file, text: readFileSync(file, 'utf8') }));
const matches = (re: RegExp) =>
  new Set(sources.flatMap(({ text }) => [...text.matchAll(re)].map((m) => m[1])));

describe('error catalogue', () => {
  const catalogued = new Set<string>(ERROR_CODES.map((e) => e.code));

  describe('codes', () => {
    it('should list every code once', () => {
      expect(ERROR_CODES.map((e) => e.code)).toHaveLength(catalogued.size);
    });

    it('should describe every ErrorCode and every transport code', () => {
      for (const code of [...Object.values(ErrorCode), ...Object.values(TransportErrorCode)]) {
        expect(catalogued).toContain(code);
      }
    });

    it('should describe every code written as a literal in src/ and every code the masking lets through', () => {
      const literal = matches(/code: '([A-Z][A-Z_]+)'/g);
      const masking = readFileSync(path.join(SRC, 'transport/graphql/error-masking.ts'), 'utf8');
      const passBlock = /PASS_CODES = new Set<string>\(\[([\s\S]*?)\]\);/.exec(masking)?.[1] ?? '';
      const passed = [...passBlock.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]);
      expect(passed.length).toBeGreaterThan(0);
      expect(literal.size).toBeGreaterThan(0);
      for (const code of [...literal, ...passed]) expect(catalogued).toContain(code);
    });

    it('should only name extension keys it explains', () => {
      for (const e of ERROR_CODES)
        for (const key of e.extensions) expect(Object.keys(EXTENSION_KEYS)).toContain(key);
    });
  });

  describe('reasons', () => {
    it('should describe every ErrorReason once, under a catalogued code', () => {
      expect(ERROR_REASONS.map((r) => r.reason).sort()).toEqual(Object.values(ErrorReason).sort());
      for (const r of ERROR_REASONS) expect(catalogued).toContain(r.code);
    });

    it('should know every reason written as a literal in src/', () => {
      const literal = new Set([
        ...matches(/reason: '([A-Z][A-Z_]+)'/g),
        // payment-methods.service.ts's refusal(message, field, reason) helper
        ...matches(/refusal\([\s\S]*?'[A-Za-z]+',\s*'([A-Z][A-Z_]+)',?\s*\)/g),
      ]);
      expect(literal).toContain('PAYMENT_METHOD_UNSUPPORTED');
      expect(literal).toContain('PAYMENT_METHOD_DETACHED');
      for (const reason of literal) expect(Object.values(ErrorReason)).toContain(reason);
    });
  });

  describe('WebSocket close codes', () => {
    it("should document the token close codes with what graphql-ws's client does with them", () => {
      // test/clients/token-renewal.test.ts shows the client doing it.
      const entry = (code: number) => WS_CLOSE_CODES.find((c) => c.code === code);
      expect(entry(TOKEN_EXPIRED_CLOSE_CODE)?.clientRetries).toBe(true);
      expect(entry(UNAUTHORIZED_CLOSE_CODE)?.clientRetries).toBe(false);
    });
  });

  describe('docs/errors.md', () => {
    it('should be exactly what npm run docs writes', () => {
      const page = readFileSync(path.join(ROOT, 'docs/errors.md'), 'utf8');
      expect(fillBlocks(page, { errors: renderErrorDocs() }, 'docs/errors.md')).toBe(page);
    });

    it('should name every code and reason', () => {
      const page = renderErrorDocs();
      for (const e of ERROR_CODES) expect(page).toContain(`| \`${e.code}\` |`);
      for (const r of ERROR_REASONS) expect(page).toContain(`| \`${r.reason}\` |`);
    });
  });
});
