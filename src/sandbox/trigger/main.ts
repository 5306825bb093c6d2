// `npm run trigger -- <event type> [flags]`: makes a running sandbox produce a Stripe event, as Stripe CLI's
// `stripe trigger` does, and prints the event's id and the objects touched (src/sandbox/README.md, "Triggering events").
import { ApiError, SandboxClient } from './client';
import { RECIPES, type TriggerFlags, type Touched } from './recipes';

const USAGE = `Usage: npm run trigger -- <event type> [--account fca_…] [--payment-intent pi_…] [--customer cus_…]
                           [--failure-code code] [--sandbox URL] [--api-key sk_test_…] [--timeout ms] [--json]
       npm run trigger -- --list`;

interface Options extends TriggerFlags {
  type?: string;
  list: boolean;
  json: boolean;
  sandbox: string;
  apiKey: string;
  timeoutMs: number;
}

const FLAGS: Record<string, keyof Options> = {
  '--account': 'account',
  '--payment-intent': 'paymentIntent',
  '--customer': 'customer',
  '--failure-code': 'failureCode',
  '--sandbox': 'sandbox',
  '--api-key': 'apiKey',
  '--timeout': 'timeoutMs',
};

/** @throws {Error} with the usage line on an unknown flag or a flag without its value. */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): Options {
  const o: Options = {
    list: false,
    json: false,
    sandbox: env.SANDBOX_URL ?? 'http://127.0.0.1:12111',
    apiKey: env.STRIPE_API_KEY ?? 'sk_test_sandbox',
    timeoutMs: 30_000,
  };
  for (let i = 0; i < argv.length; i++) {
    const [arg, inline] = argv[i].split(/=(.*)/s, 2);
    if (arg === '--list') o.list = true;
    else if (arg === '--json') o.json = true;
    else if (FLAGS[arg]) {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith('--')) throw new Error(`${arg} needs a value\n${USAGE}`);
      if (FLAGS[arg] === 'timeoutMs') o.timeoutMs = Number(value);
      else (o as unknown as Record<string, string>)[FLAGS[arg]] = value;
    } else if (!arg.startsWith('--') && !o.type) o.type = arg;
    else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  return o;
}

export interface TriggerResult {
  event: { id: string; type: string };
  objects: Touched;
}

/** Runs the recipe of `o.type` against the sandbox and waits until its event is in /v1/events. */
export async function trigger(o: Options): Promise<TriggerResult> {
  const recipe = o.type ? RECIPES[o.type] : undefined;
  if (!recipe) throw new Error(`unsupported event type ${o.type ?? '(none)'}; see --list`);
  const api = new SandboxClient(o.sandbox, o.apiKey);
  const seen = await api.eventIds(o.type!);
  const touched: Touched = {};
  const objectId = await recipe.run({ api, flags: o, touched });
  const event = await api.waitForEvent(o.type!, seen, objectId, o.timeoutMs);
  return { event: { id: event.id as string, type: event.type as string }, objects: touched };
}

export async function main(argv: string[], out = process.stdout, err = process.stderr): Promise<number> {
  let o: Options;
  try {
    o = parseArgs(argv);
  } catch (e) {
    err.write(`${(e as Error).message}\n`);
    return 2;
  }
  if (o.list) {
    const width = Math.max(...Object.keys(RECIPES).map((t) => t.length));
    for (const [type, r] of Object.entries(RECIPES)) out.write(`${type.padEnd(width)}  ${r.describe}\n`);
    return 0;
  }
  if (!o.type) {
    err.write(`${USAGE}\n`);
    return 2;
  }
  try {
    const result = await trigger(o);
    if (o.json) out.write(`${JSON.stringify(result)}\n`);
    else {
      out.write(`Triggered ${result.event.type}: ${result.event.id}\n`);
      for (const [kind, id] of Object.entries(result.objects)) out.write(`  ${kind.padEnd(15)} ${id}\n`);
    }
    return 0;
  } catch (e) {
    const message = e instanceof ApiError ? `the sandbox answered ${e.message}` : (e as Error).message;
    err.write(`trigger ${o.type} failed: ${message}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
