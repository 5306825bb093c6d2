// Jest globalSetup: builds the demo and IDE bundles once before the tests (a fresh clone has none; dist is ignored).
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

export default function globalSetup(): void {
  const script = path.resolve(__dirname, '..', '..', 'src', 'demo', 'web', 'build-if-stale.mjs');
  // flock: concurrent jest runs in one working tree must not build into the same folder at once.
  execFileSync('flock', [path.join(os.tmpdir(), 'fc-gateway-web-build.lock'), process.execPath, script], {
    stdio: 'inherit',
  });
}
