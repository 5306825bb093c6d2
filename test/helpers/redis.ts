// startRedis(): Debian's real redis-server on a free loopback port, killed when the suite ends; watchRedisCommands() (MONITOR).
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { freePort } from './ports';

export interface StartedRedis {
  url: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * @param port a port to use again (a stopped server's, to restart it); a free one by default
 * @param options.dataDir keep the data in this directory in an append-only file written on every command
 *   (`appendfsync always`), so a server killed with SIGKILL and started again on the same directory has all of it;
 *   without it nothing is persisted
 * @param options.save RDB save points (`'900 1'`); none by default
 * @param options.maxmemoryPolicy Redis's `maxmemory-policy` (its default is `noeviction`)
 * @param options.disabledCommands commands renamed away, as managed Redis services do with CONFIG
 */
export async function startRedis(
  port?: number,
  options: { dataDir?: string; save?: string; maxmemoryPolicy?: string; disabledCommands?: string[] } = {},
): Promise<StartedRedis> {
  port ??= await freePort();
  const persistence = options.dataDir
    ? ['--dir', options.dataDir, '--appendonly', 'yes', '--appendfsync', 'always']
    : ['--appendonly', 'no'];
  const tuning = [
    ...(options.maxmemoryPolicy ? ['--maxmemory-policy', options.maxmemoryPolicy] : []),
    ...(options.disabledCommands ?? []).flatMap((c) => ['--rename-command', c, '']),
  ];
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      options.save ?? '',
      ...persistence,
      ...tuning,
      '--protected-mode',
      'yes',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot run redis-server (apt-get install -y redis-server): ${e.message}`));
    });
    child.stdout!.on('data', (d) => {
      out += String(d);
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        // A SIGKILLed child has exitCode null but signalCode set: both mean it is gone.
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

export interface RedisCommandWatch {
  /**
   * Resolves with the first `count` commands (seen since the watch started, or later) that `match`
   * accepts, each as its arguments with the command name lower-cased (`['set', key, value, …]`).
   */
  seen(match: (args: string[]) => boolean, count?: number, timeoutMs?: number): Promise<string[][]>;
  /** Every command seen so far, in the order the server ran them. */
  all(): string[][];
  stop(): void;
}

/**
 * Every command the Redis server at `url` runs from now on (Redis's MONITOR), so a test can await the
 * moment another client's write or SUBSCRIBE reached the server instead of polling for it.
 * A plain socket speaks MONITOR here: each command arrives as one `+<time> [db addr] "cmd" "arg"…` line.
 */
export async function watchRedisCommands(url: string): Promise<RedisCommandWatch> {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  const commands: string[][] = [];
  const waiters = new Set<() => void>();
  let buffered = '';
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.on('data', (chunk) => {
      buffered += chunk.toString('utf8');
      let end: number;
      while ((end = buffered.indexOf('\r\n')) >= 0) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (line === '+OK') {
          resolve(); // MONITOR is on: every later command is reported
          continue;
        }
        const args = [...line.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1].replace(/\\(.)/g, '$1'));
        if (args.length === 0) continue;
        commands.push([args[0].toLowerCase(), ...args.slice(1)]);
        for (const w of [...waiters]) w();
      }
    });
    socket.write('MONITOR\r\n');
  });
  socket.on('error', () => undefined);
  return {
    seen(match, count = 1, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = commands.filter(match);
          if (found.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found.slice(0, count));
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`Redis ran ${commands.filter(match).length} of ${count} awaited commands`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    all: () => [...commands],
    stop() {
      socket.destroy();
    },
  };
}
