// The gateway as a real process (src/main.ts): a promise rejected inside a library once the gateway runs, with
// nobody to handle it, is logged scrubbed of secrets and the process goes on answering (Node would end it).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { transpiledMain, type MainProcesses } from '../helpers/main-process';

describe('a rejection nobody handles (real process)', () => {
  let main: MainProcesses;
  beforeAll(() => {
    main = transpiledMain('gateway-rejection-');
  });
  afterAll(() => main.close());

  it('is logged without the secret it carries, and the gateway goes on answering', async () => {
    // Loaded before main.js: on SIGUSR2 it rejects a promise nobody awaits, as a library's internal retry can.
    const trigger = path.join(main.dir, 'reject-on-signal.js');
    writeFileSync(
      trigger,
      "process.on('SIGUSR2', () => void Promise.reject(new Error('re-subscribe failed (sk_test_abcdefghijklmnop0123)')));\n",
    );
    const run = main.start({ LOG_LEVEL: 'error', NODE_OPTIONS: `--require ${trigger}` });
    const url = await run.ready;
    const logged = new Promise<void>((resolve) =>
      run.child.stdout!.on('data', () => {
        if (run.out.includes('unhandled promise rejection')) resolve();
      }),
    );
    run.child.kill('SIGUSR2');
    await Promise.race([
      logged,
      run.exited.then(({ code }) => Promise.reject(new Error(`the gateway exited with ${code}`))),
    ]);

    expect(run.out).toContain('re-subscribe failed');
    expect(run.out).not.toContain('sk_test_abcdefghijklmnop0123');
    expect(run.child.exitCode).toBeNull();
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });
});
