// The gateway as a real process, as `npm start` runs it: src/ transpiled into a folder of its own and src/main.js
// started there, with its own start-up output and its own signal handling.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { transpileDir } from './transpile';

const root = path.resolve(__dirname, '../..');

export interface MainProcess {
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  out: string;
  /** Resolves with the gateway's URL once it printed its endpoint, or rejects with its output when it exits. */
  ready: Promise<string>;
  /** Resolves with the exit code and everything printed. */
  exited: Promise<{ code: number | null; out: string }>;
}

export interface MainProcesses {
  /** The folder (a test may keep its own files there too); removed by close(). */
  readonly dir: string;
  /** Starts main.js in development mode on a free loopback port, LOG_LEVEL=warn, with `env` added. */
  start(env: Record<string, string>): MainProcess;
  /** Stops every process still running (SIGTERM, waiting for its exit) and removes the folder. */
  close(): Promise<void>;
}

/** src/ transpiled into a new temporary folder named `prefix…`, ready to start processes from. */
export function transpiledMain(prefix: string): MainProcesses {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  transpileDir(path.join(root, 'src'), path.join(dir, 'src'));
  const started: MainProcess[] = [];
  return {
    dir,
    start(env) {
      const child = spawn(process.execPath, [path.join(dir, 'src', 'main.js')], {
        env: {
          PATH: process.env.PATH,
          NODE_PATH: path.join(root, 'node_modules'),
          NODE_ENV: 'development',
          PORT: '0',
          HOST: '127.0.0.1',
          LOG_LEVEL: 'warn',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const run = { child, out: '' } as MainProcess;
      child.stdout!.on('data', (c: Buffer) => (run.out += c.toString()));
      child.stderr!.on('data', (c: Buffer) => (run.out += c.toString()));
      run.exited = new Promise((resolve) => child.on('exit', (code) => resolve({ code, out: run.out })));
      run.ready = new Promise((resolve, reject) => {
        child.stdout!.on('data', () => {
          const url = /GraphQL endpoint:\s+(http:\/\/[^\s]+)\/graphql/.exec(run.out)?.[1];
          if (url) resolve(url);
        });
        void run.exited.then(({ code, out }) => reject(new Error(`gateway exited with ${code}: ${out}`)));
      });
      run.ready.catch(() => undefined); // a run expected to exit never awaits `ready`
      started.push(run);
      return run;
    },
    async close() {
      for (const run of started) {
        if (run.child.exitCode === null && run.child.signalCode === null) {
          run.child.kill('SIGTERM');
          await run.exited;
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
