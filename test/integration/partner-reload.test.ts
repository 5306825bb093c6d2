// A partner removed from PARTNER_KEYS_FILE (re-read on SIGHUP: src/app.ts reloadPartners): its open WebSockets, its
// key's and its customers' tokens', are closed with 4401 at once; every other partner's stay open.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { PARTNER_A, PARTNER_B, startGateway, type StartedGateway } from '../helpers/gateway';
import { createCustomer, customerToken } from '../helpers/linking';
import { startSandbox, type StartedSandbox } from '../helpers/sandbox';

const pairs = (...partners: { partnerId: string; apiKey: string }[]) =>
  partners.map((p) => `${p.partnerId}:${p.apiKey}`).join('\n');

/** A graphql-ws connection acknowledged for `credential`; `closed` resolves with its close code. */
async function acknowledged(gw: StartedGateway, credential: string) {
  const socket = new WebSocket(gw.wsUrl, 'graphql-transport-ws');
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () =>
      socket.send(
        JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${credential}` } }),
      ),
    );
    socket.on('message', (data) => {
      if ((JSON.parse(String(data)) as { type: string }).type === 'connection_ack') resolve();
    });
    void closed.then((code) => reject(new Error(`closed with ${code} before its ack`)));
  });
  return { socket, closed };
}

describe('PARTNER_KEYS_FILE reload', () => {
  let sb: StartedSandbox;
  let gw: StartedGateway;
  let dir: string;
  let file: string;

  beforeAll(async () => {
    sb = await startSandbox();
    dir = mkdtempSync(path.join(os.tmpdir(), 'partner-keys-'));
    file = path.join(dir, 'partners');
    writeFileSync(file, pairs(PARTNER_A, PARTNER_B));
    gw = await startGateway({
      STRIPE_API_BASE: sb.url,
      STRIPE_SECRET_KEY: sb.secretKey,
      PARTNER_KEYS: undefined,
      PARTNER_KEYS_FILE: file,
    });
  });
  afterAll(async () => {
    await gw.close();
    await sb.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("closes a removed partner's sockets with 4401, its customers' too, and leaves the others open", async () => {
    const customer = await createCustomer(gw, PARTNER_B.apiKey, 'CUSTOMER');
    const token = await customerToken(gw, PARTNER_B.apiKey, customer.id);
    const [a, b, bCustomer] = await Promise.all([
      acknowledged(gw, PARTNER_A.apiKey),
      acknowledged(gw, PARTNER_B.apiKey),
      acknowledged(gw, token),
    ]);

    writeFileSync(file, pairs(PARTNER_A));
    expect(gw.gateway.reloadPartners()).toEqual([PARTNER_A.partnerId]);

    expect(await b.closed).toBe(4401);
    expect(await bCustomer.closed).toBe(4401);
    expect(a.socket.readyState).toBe(WebSocket.OPEN);
    expect(gw.logs.some((l) => l.includes('"closedSockets":2'))).toBe(true);
    // And the removed key no longer connects.
    await expect(acknowledged(gw, PARTNER_B.apiKey)).rejects.toThrow(/closed with 44/);
    a.socket.close();
    await a.closed;
  });
});
