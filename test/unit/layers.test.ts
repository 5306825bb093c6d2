// The layer rules `npm run lint` enforces (.dependency-cruiser.cjs): they pass on this tree and fail on each
// planted violation, run through the same depcruise command the lint script uses.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = path.resolve(__dirname, '..', '..');
const depcruise = path.join(repo, 'node_modules', '.bin', 'depcruise');
const config = path.join(repo, '.dependency-cruiser.cjs');

/** Runs depcruise over `src` in `cwd`; resolves with its exit code and report. */
async function cruise(cwd: string): Promise<{ code: number; report: string }> {
  try {
    const { stdout } = await run(depcruise, ['src', '--config', config, '--output-type', 'err'], { cwd });
    return { code: 0, report: stdout };
  } catch (e) {
    const failed = e as { code: number; stdout: string };
    return { code: failed.code, report: failed.stdout };
  }
}

/** A throwaway tree of `files` (path → source) with the repository's tsconfig. */
function plant(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layers-'));
  fs.copyFileSync(path.join(repo, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
  for (const [file, source] of Object.entries(files)) {
    fs.mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), source);
  }
  return dir;
}

describe('layer rules (npm run lint:layers)', () => {
  it('pass on this repository', async () => {
    const { code, report } = await cruise(repo);
    expect(report).toContain('no dependency violations found');
    expect(code).toBe(0);
  });

  it.each([
    [
      'services-not-above',
      {
        'src/services/domain/a.service.ts':
          "import type { X } from '../../resolvers/x.type';\nexport type A = X;\n",
        'src/resolvers/x.type.ts': 'export type X = 1;\n',
      },
    ],
    [
      'services-not-above',
      {
        'src/services/domain/a.service.ts': "import type { C } from '../../context';\nexport type A = C;\n",
        'src/context.ts': 'export type C = 1;\n',
      },
    ],
    [
      'services-not-above',
      {
        'src/services/live/a.ts': "import { P } from '../../transport/p';\nexport const A = P;\n",
        'src/transport/p.ts': 'export const P = 1;\n',
      },
    ],
    [
      'resolvers-call-domain-only',
      {
        'src/resolvers/a.resolver.ts':
          "import { createLoaders } from '../services/stripe/loaders';\nexport const A = createLoaders;\n",
        'src/services/stripe/loaders.ts': 'export const createLoaders = 1;\n',
      },
    ],
    [
      'resolvers-call-domain-only',
      {
        'src/resolvers/a.resolver.ts':
          "import type { L } from '../services/live/live-subscriptions';\nexport type A = L;\n",
        'src/services/live/live-subscriptions.ts': 'export type L = 1;\n',
      },
    ],
    [
      'resolvers-call-domain-only',
      {
        'src/resolvers/a.type.ts': "import type Stripe from 'stripe';\nexport type A = Stripe;\n",
        'node_modules/stripe/package.json':
          '{ "name": "stripe", "main": "index.js", "types": "index.d.ts" }\n',
        'node_modules/stripe/index.js': 'module.exports = class Stripe {};\n',
        'node_modules/stripe/index.d.ts': 'export default class Stripe {}\n',
      },
    ],
    [
      'sandbox-stands-alone',
      {
        'src/sandbox/a.ts': "import { E } from '../platform/errors';\nexport const A = E;\n",
        'src/platform/errors.ts': 'export const E = 1;\n',
      },
    ],
    [
      'gateway-does-not-know-the-sandbox',
      {
        'src/app.ts': "import { S } from './sandbox/server';\nexport const A = S;\n",
        'src/sandbox/server.ts': 'export const S = 1;\n',
      },
    ],
    [
      'no-circular',
      {
        'src/resolvers/a.ts': "import type { B } from './b';\nexport type A = B | 1;\n",
        'src/resolvers/b.ts': "import type { A } from './a';\nexport type B = A | 2;\n",
      },
    ],
  ])('fail on a planted %s violation', async (rule, files) => {
    const { code, report } = await cruise(plant(files));
    expect(code).not.toBe(0);
    expect(report).toContain(`error ${rule}:`);
  });
});
