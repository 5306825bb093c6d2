// src/ as CommonJS in a folder of its own, for tests that run the gateway as a real process (`node src/main.js`).
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { transformSync } from '@swc/core';

/** src/ as CommonJS with decorator metadata (as jest.config.js compiles it); the browser bundles are not needed. */
export function transpileDir(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    const src = path.join(from, name);
    if (statSync(src).isDirectory()) {
      if (name !== 'web') transpileDir(src, path.join(to, name));
    } else if (name.endsWith('.ts')) {
      const out = transformSync(readFileSync(src, 'utf8'), {
        filename: src,
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      });
      writeFileSync(path.join(to, name.replace(/\.ts$/, '.js')), out.code);
    }
  }
}
