// `npm run sandbox` (src/sandbox/main.ts) as a real process: it prints its URL and a test secret key, and curl-style
// Basic auth with that key works. The sandbox is transpiled on its own (it imports nothing from the gateway),
// so this test does not depend on the rest of the tree compiling.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(__dirname, '../..');

function transpileDir(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    const src = path.join(from, name);
    if (statSync(src).isDirectory()) transpileDir(src, path.join(to, name));
    else if (name.endsWith('.ts')) {
      const out = ts.transpileModule(readFileSync(src, 'utf8'), {
        compilerOptions: {
          module: ts.ModuleKind.CommonJS,
          target: ts.ScriptTarget.ES2022,
          esModuleInterop: true,
        },
      });
      writeFileSync(path.join(to, name.replace(/\.ts$/, '.js')), out.outputText);
    }
  }
}

describe('npm run sandbox (src/sandbox/main.ts)', () => {
  let dir: string;
  let child: ChildProcess | undefined;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sandbox-main-'));
    transpileDir(path.join(root, 'src', 'sandbox'), path.join(dir, 'sandbox'));
  });

  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('should print its URL and a test secret key, and answer curl-style Basic auth with that key', async () => {
    child = spawn(process.execPath, [path.join(dir, 'sandbox', 'main.js')], {
      env: { PATH: process.env.PATH, NODE_PATH: path.join(root, 'node_modules'), SANDBOX_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const printed = await new Promise<string>((resolve, reject) => {
      child!.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (/Try: curl/.test(out)) resolve(out);
      });
      child!.on('exit', (code) => reject(new Error(`sandbox exited with ${code}: ${out}`)));
    });
    const url = /listening on (http:\/\/[^\s]+)/.exec(printed)?.[1];
    const key = /Test secret key: (sk_test_[A-Za-z0-9_]+)/.exec(printed)?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(key).toBe('sk_test_sandbox');
    const res = await fetch(`${url}/v1/customers`, {
      headers: { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ object: 'list', data: [], has_more: false, url: '/v1/customers' });
    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('should inject faults with SANDBOX_FAULT_SEED and print the seed', async () => {
    const seeded = spawn(process.execPath, [path.join(dir, 'sandbox', 'main.js')], {
      env: {
        PATH: process.env.PATH,
        NODE_PATH: path.join(root, 'node_modules'),
        SANDBOX_PORT: '0',
        SANDBOX_FAULT_SEED: '4242',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      const printed = await new Promise<string>((resolve, reject) => {
        seeded.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (/Try: curl/.test(out)) resolve(out);
        });
        seeded.on('exit', (code) => reject(new Error(`sandbox exited with ${code}: ${out}`)));
      });
      expect(/Fault seed: (\d+)/.exec(printed)?.[1]).toBe('4242');
      const url = /listening on (http:\/\/[^\s]+)/.exec(printed)![1];
      const res = await fetch(`${url}/v1/test_helpers/sandbox/faults`, {
        headers: { authorization: 'Bearer sk_test_sandbox' },
      });
      expect(((await res.json()) as { seed: number }).seed).toBe(4242);
    } finally {
      if (seeded.exitCode === null) {
        const exited = new Promise((r) => seeded.once('exit', r));
        seeded.kill('SIGTERM');
        await exited;
      }
    }
  });

  it('should refuse a bad SANDBOX_PORT with one line naming it', async () => {
    const bad = spawn(process.execPath, [path.join(dir, 'sandbox', 'main.js')], {
      env: { PATH: process.env.PATH, NODE_PATH: path.join(root, 'node_modules'), SANDBOX_PORT: 'abc' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    bad.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((r) => bad.once('exit', (c) => r(c)));
    expect(code).toBe(1);
    expect(err.trim()).toBe('Invalid SANDBOX_PORT: must be an integer (0-65535)');
  });
});
