// Builds the browser bundles (src/demo/web/dist) unless they are newer than every source (`--force`: always).
// npm run build:web forces; jest's globalSetup builds only when stale.
/* global process, console */
// Run it under a lock (test/e2e/global-setup.ts does): several jest runs may start at once.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const webDir = path.dirname(fileURLToPath(import.meta.url));
const projectDir = path.resolve(webDir, '..', '..', '..');
const distDir = path.join(webDir, 'dist');
const stamp = path.join(distDir, '.built');

/** Newest modification time among the bundle's inputs: its sources, and the installed packages (lockfile). */
function newestInput() {
  let newest = fs.statSync(path.join(projectDir, 'package-lock.json')).mtimeMs;
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'dist' || entry.name === 'node_modules') continue;
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  walk(webDir);
  return newest;
}

const builtAt = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
if (!process.argv.includes('--force') && builtAt > newestInput()) {
  console.log('web bundles are up to date');
} else {
  await build({ configFile: path.join(webDir, 'vite.config.mts') });
  fs.writeFileSync(stamp, new Date().toISOString());
  console.log(`web bundles built in ${path.relative(projectDir, distDir)}`);
}
