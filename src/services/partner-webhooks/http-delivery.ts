// One delivery attempt: POST the signed body to an endpoint, pinned to the addresses checked just before.
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { allowedAddresses, ForbiddenAddressError, type HostResolver, type UrlPolicy } from './address-policy';

/**
 * Kept-alive connections, reused per host and port. A pooled socket stays connected to the address
 * that was checked when it was opened; a new one connects only to the addresses checked for this attempt.
 */
const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 16, timeout: 30_000 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 16, timeout: 30_000 }),
};

/** How much of a partner's response is read (and then thrown away): enough to end the exchange cleanly. */
const MAX_RESPONSE_BYTES = 4096;

export type AttemptResult =
  { ok: true; status: number } | { ok: false; status: number | null; error: string; permanent?: boolean };

export interface AttemptOptions {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  policy: UrlPolicy;
  resolve: HostResolver;
}

/**
 * 2xx is delivered; anything else (3xx included: redirects are never followed) is a failure to retry.
 * The address check runs here, at delivery time, and the socket connects only to the checked
 * addresses (a DNS answer that changes after the check cannot redirect the connection).
 */
export async function attemptDelivery(o: AttemptOptions): Promise<AttemptResult> {
  const url = new URL(o.url);
  let addresses: string[];
  try {
    addresses = await allowedAddresses(url.hostname, o.policy, o.resolve);
  } catch (e) {
    const message = e instanceof ForbiddenAddressError ? e.message : 'DNS lookup failed';
    return { ok: false, status: null, error: message };
  }
  const pinned: LookupFunction = (_host, options, callback) => {
    const all = addresses.map((address) => ({ address, family: isIP(address) }));
    if ((options as { all?: boolean }).all) (callback as (e: null, a: typeof all) => void)(null, all);
    else callback(null, all[0].address, all[0].family);
  };
  const secure = url.protocol === 'https:';
  const client = secure ? https : http;
  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    const done = (r: AttemptResult) => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: { ...o.headers, 'content-length': String(Buffer.byteLength(o.body)) },
        lookup: pinned,
        timeout: o.timeoutMs,
        agent: secure ? agents.https : agents.http,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) res.destroy();
        });
        const finish = () =>
          done(
            status >= 200 && status < 300
              ? { ok: true, status }
              : { ok: false, status, error: `HTTP ${status}` },
          );
        res.on('end', finish);
        res.on('close', finish);
        res.on('error', finish);
      },
    );
    // The whole attempt is bounded, not only socket idleness.
    const timer = setTimeout(() => {
      req.destroy();
      done({ ok: false, status: null, error: `timed out after ${o.timeoutMs} ms` });
    }, o.timeoutMs);
    timer.unref();
    req.on('timeout', () => req.destroy(new Error(`timed out after ${o.timeoutMs} ms`)));
    req.on('error', (e: NodeJS.ErrnoException) =>
      done({ ok: false, status: null, error: e.code ?? e.message.slice(0, 120) }),
    );
    req.on('close', () => clearTimeout(timer));
    req.end(o.body);
  });
}
