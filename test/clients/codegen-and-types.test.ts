// docs/clients.md as code: every TypeScript block is a marked snippet some test runs; codegen.client.example.yml is
// the page's block and GraphQL Code Generator types the scalars with it (not `unknown`); every snippet, React
// Native's included, type-checks against the clients' published types (@stripe/stripe-react-native, Apollo, urql…).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { buildSchema, isScalarType, specifiedScalarTypes } from 'graphql';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { docsSnippets, fencedBlocks } from '../helpers/docs-snippets';

const ROOT = path.join(__dirname, '../..');
const SCHEMA = path.join(ROOT, 'schema/schema.graphql');
const EXAMPLE = path.join(ROOT, 'codegen.client.example.yml');

/** The snippets the client suite runs, and where. */
const RUN_BY: Record<string, string> = {
  'partner-backend': 'test/helpers/docs-snippets.ts (startPartnerBackend), every client test',
  token: 'every client test (freshToken, authorizedFetch)',
  operations: 'every client test, and codegen below',
  'graphql-ws': 'graphql-request-and-ws.test.ts, apollo-client.test.ts, urql.test.ts',
  'apollo-client': 'apollo-client.test.ts',
  urql: 'urql.test.ts',
  'graphql-request': 'graphql-request-and-ws.test.ts',
  'react-native': 'type-checked below (it needs a phone to run)',
  'codegen-config': 'codegen below (equal to codegen.client.example.yml)',
};

/** A stand-in for the reader's `./config` and `./auth` modules, so the snippets type-check as an app would. */
const STUBS: Record<string, string> = {
  'config.ts': [
    "export const GATEWAY_URL = 'https://gateway.example.com/graphql';",
    "export const GATEWAY_WS_URL = 'wss://gateway.example.com/graphql';",
    "export const BACKEND_URL = 'https://app.example.com';",
  ].join('\n'),
  'auth.ts': [
    "import type { IncomingMessage } from 'node:http';",
    'export async function currentUser(_req: IncomingMessage): Promise<{ gatewayCustomerId: string } | null> {',
    '  return null;',
    '}',
  ].join('\n'),
};

/** Code that uses the generated types: a `string` DateTime and a `number` SafeInt, neither `unknown` nor `any`. */
const CONSUMER = `import type { DashboardQuery, TransactionsQuery } from './gql/graphql';
declare const dashboard: DashboardQuery;
declare const page: TransactionsQuery;
const balance = dashboard.viewer.customer!.financialAccounts.edges[0].node.balance!;
export const asOf: string = balance.asOf;
export const amount: number = balance.current[0].amount;
export const transactedAt: string = page.financialAccount!.transactions.edges[0].node.transactedAt;
// @ts-expect-error DateTime is a string: were it \`any\`, this would compile
export const notANumber: number = balance.asOf;
`;

/** Type errors of `files` (paths in `dir`), each as "file: message"; the libraries' own .d.ts are not checked. */
function typeErrors(dir: string, files: string[]): string[] {
  const program = ts.createProgram({
    rootNames: files.map((f) => path.join(dir, f)),
    options: {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      jsx: ts.JsxEmit.ReactJSX,
      esModuleInterop: true,
      skipLibCheck: true,
      types: ['node'],
      typeRoots: [path.join(ROOT, 'node_modules/@types')],
    },
  });
  const ours = new Set(files.map((f) => path.join(dir, f)));
  return program
    .getSourceFiles()
    .filter((sf) => ours.has(sf.fileName))
    .flatMap((sf) => [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)])
    .map(
      (d) =>
        `${path.basename(d.file?.fileName ?? '?')}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
    );
}

describe('docs/clients.md snippets', () => {
  const snippets = docsSnippets();
  let dir: string;

  beforeAll(() => {
    // Inside the repository, so the snippets' imports resolve to its node_modules (test-output/ is git-ignored).
    mkdirSync(path.join(ROOT, 'test-output'), { recursive: true });
    dir = mkdtempSync(path.join(ROOT, 'test-output', 'clients-snippets-'));
    for (const [file, text] of Object.entries(STUBS)) writeFileSync(path.join(dir, file), text);
    for (const s of snippets.values())
      if (s.lang === 'ts' || s.lang === 'tsx') writeFileSync(path.join(dir, `${s.name}.${s.lang}`), s.code);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe('coverage', () => {
    it('should mark every JavaScript and TypeScript block of the page as a snippet', () => {
      const blocks = fencedBlocks();
      expect(
        blocks.filter((b) => /^(js|jsx|ts|tsx|javascript|typescript)$/.test(b.lang) && !b.marked),
      ).toEqual([]);
      expect(blocks.filter((b) => b.marked).length).toBe(snippets.size);
    });

    it('should have the suite run every snippet of the page, and no snippet it does not know', () => {
      expect([...snippets.keys()].sort()).toEqual(Object.keys(RUN_BY).sort());
    });
  });

  describe('GraphQL Code Generator', () => {
    it('should ship codegen.client.example.yml exactly as the page shows it', () => {
      expect(readFileSync(EXAMPLE, 'utf8')).toBe(snippets.get('codegen-config')?.code);
    });

    it("should map every custom scalar of the schema in the example's config", () => {
      const schema = buildSchema(readFileSync(SCHEMA, 'utf8'));
      const builtIn = new Set(specifiedScalarTypes.map((t) => t.name));
      const custom = Object.values(schema.getTypeMap())
        .filter((t) => isScalarType(t) && !builtIn.has(t.name))
        .map((t) => t.name)
        .sort();
      const config = parseYaml(readFileSync(EXAMPLE, 'utf8'));
      const [output] = Object.values(config.generates) as { config: { scalars: Record<string, string> } }[];
      expect(custom).toEqual(['DateTime', 'SafeInt']);
      expect(Object.keys(output.config.scalars).sort()).toEqual(custom);
    });

    it('should generate types with the scalars mapped, which code reading them type-checks against', async () => {
      // The example with its paths pointed at this checkout and the page's operations, run by the codegen CLI as an
      // app runs it (in a child process: in jest's module sandbox the CLI loads no preset and generates nothing).
      const config = parseYaml(readFileSync(EXAMPLE, 'utf8'));
      const [output] = Object.values(config.generates);
      const run = {
        ...config,
        schema: SCHEMA,
        documents: [path.join(dir, 'operations.ts')],
        generates: { [path.join(dir, 'gql') + path.sep]: output },
      };
      writeFileSync(path.join(dir, 'codegen.yml'), stringifyYaml(run));
      await promisify(execFile)(
        process.execPath,
        [
          path.join(ROOT, 'node_modules/@graphql-codegen/cli/cjs/bin.js'),
          '--config',
          path.join(dir, 'codegen.yml'),
          '--silent',
        ],
        { cwd: ROOT },
      );
      const generated = readFileSync(path.join(dir, 'gql/graphql.ts'), 'utf8');
      // client-preset inlines scalars into the operation types: `asOf: string`, not `asOf: unknown`.
      expect(generated).toMatch(/\basOf: string\b/);
      expect(generated).toMatch(/\bamount: number\b/);
      expect(generated).not.toMatch(/\b(asOf|transactedAt|lastAttemptedAt|amount): unknown\b/);
      writeFileSync(path.join(dir, 'consumer.ts'), CONSUMER);
      expect(typeErrors(dir, ['consumer.ts'])).toEqual([]);
    });
  });

  describe('type-check', () => {
    it("should type-check every TypeScript snippet, React Native's against @stripe/stripe-react-native's types", () => {
      const files = [...snippets.values()]
        .filter((s) => s.lang === 'ts' || s.lang === 'tsx')
        .map((s) => `${s.name}.${s.lang}`);
      expect(files).toContain('react-native.tsx');
      expect(typeErrors(dir, files)).toEqual([]);
    });

    it('should fail on a type error planted in the React Native snippet (the check reads the real types)', () => {
      const code = snippets.get('react-native')!.code;
      expect(code).toContain('session.accounts.length');
      writeFileSync(
        path.join(dir, 'planted.tsx'),
        code.replace('session.accounts.length', 'session.acounts.length'),
      );
      const errors = typeErrors(dir, ['planted.tsx']);
      expect(errors).toEqual([
        expect.stringMatching(/^planted\.tsx: Property 'acounts' does not exist on type 'Session'/),
      ]);
    });
  });
});
