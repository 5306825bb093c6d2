// Which webhook URLs and resolved addresses the gateway may deliver to (no SSRF into private networks).
import { BlockList, isIP } from 'node:net';

/**
 * Everything that is not the public internet, IPv4 and IPv6: loopback, private, carrier-grade NAT,
 * link-local (cloud metadata at 169.254.169.254 and fd00:ec2::254 included), multicast, reserved,
 * documentation and benchmarking ranges, and IPv6 forms that embed an IPv4 address (mapped, NAT64, 6to4).
 */
const FORBIDDEN = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  FORBIDDEN.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['::', 96], // IPv4-compatible (deprecated)
  ['64:ff9b::', 96], // NAT64
  ['64:ff9b:1::', 48],
  ['100::', 64], // discard
  ['2001::', 23], // IETF protocol assignments (Teredo, benchmarking…)
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4
  ['fc00::', 7], // unique local (fd00:ec2::254 is AWS metadata)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  FORBIDDEN.addSubnet(net, bits, 'ipv6');
}

/** `::ffff:a.b.c.d` and `::ffff:7f00:1` → `a.b.c.d`; anything else unchanged. */
function unmapIpv4(address: string): string {
  const lower = address.toLowerCase();
  const dotted = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^(?:0{0,4}:){0,5}:?ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const hi = parseInt(hex[1], 16);
    const lo = parseInt(hex[2], 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return address;
}

/** True when `address` (an IP literal) is on the public internet. Not an IP → false. */
export function isPublicAddress(address: string): boolean {
  const plain = unmapIpv4(address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  const family = isIP(plain);
  if (family === 0) return false;
  return !FORBIDDEN.check(plain, family === 4 ? 'ipv4' : 'ipv6');
}

export interface UrlPolicy {
  /** Production: only https. */
  requireHttps: boolean;
  /** WEBHOOK_ALLOW_PRIVATE_URLS=true: any address (development and tests). */
  allowPrivate: boolean;
}

/** Why a URL cannot be an endpoint, or null when it may be (before DNS: see checkAddresses). */
export function urlProblem(raw: string, policy: UrlPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'url must be an absolute http(s) URL';
  }
  if (raw.length > 2048) return 'url must be at most 2048 characters';
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'url must be an http(s) URL';
  if (policy.requireHttps && url.protocol !== 'https:') return 'url must use https';
  if (url.username || url.password) return 'url must not contain credentials';
  if (url.hash) return 'url must not contain a fragment';
  return null;
}

/** Resolves a host to every address it has (A and AAAA), as at delivery time. */
export type HostResolver = (host: string) => Promise<string[]>;

/**
 * Every address `host` resolves to, refused unless all are public (a name with one private answer
 * among public ones is refused: the connection could land on either).
 * @returns the addresses to connect to, in order.
 * @throws {ForbiddenAddressError} naming the first forbidden address kind, never the URL's path or query.
 */
export async function allowedAddresses(
  host: string,
  policy: UrlPolicy,
  resolve: HostResolver,
): Promise<string[]> {
  const bare = host.replace(/^\[|\]$/g, '');
  const addresses = isIP(bare) ? [bare] : await resolve(bare);
  if (addresses.length === 0) throw new ForbiddenAddressError(`${host} did not resolve`);
  if (!policy.allowPrivate) {
    const bad = addresses.find((a) => !isPublicAddress(a));
    if (bad) throw new ForbiddenAddressError(`${host} resolves to a non-public address (${bad})`);
  }
  return addresses;
}

export class ForbiddenAddressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenAddressError';
  }
}
