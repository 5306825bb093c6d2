// The client's address for mandates, the failed-authentication budget, rate limits and logs: the socket's peer,
// or, behind proxies TRUST_PROXY names, the address they forwarded in X-Forwarded-For.
import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';
import type { TrustProxy } from '../../platform/config';

/** `(address, hop) => trusted?` as @fastify/proxy-addr (and Fastify's own `trustProxy`) take it. */
export type ProxyTrust = (address: string, hop: number) => boolean;

/**
 * Which hops of X-Forwarded-For are believed. `false` believes none (the socket's peer is the client),
 * `true` every hop (the left-most address wins), a number that many hops from the socket, a list only
 * peers in those addresses/CIDRs.
 */
export function proxyTrust(setting: TrustProxy): ProxyTrust {
  if (setting === false) return () => false;
  if (setting === true) return () => true;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return proxyAddr.compile(setting);
}

const compiled = new WeakMap<object, ProxyTrust>();

function trustOf(setting: TrustProxy): ProxyTrust {
  if (typeof setting !== 'object') return proxyTrust(setting);
  let trust = compiled.get(setting);
  if (!trust) compiled.set(setting, (trust = proxyTrust(setting)));
  return trust;
}

/**
 * The address of the client that sent `req` (HTTP request or WebSocket upgrade), IPv4-mapped IPv6 shown as IPv4.
 * Empty when the socket is already gone.
 */
export function clientAddress(req: IncomingMessage, trustProxy: TrustProxy): string {
  if (!req.socket?.remoteAddress) return '';
  const address = proxyAddr(req, trustOf(trustProxy));
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
