// Validation of a session's returnUrl: where Stripe may send the end user's browser after the bank's OAuth.
import { badInput } from '../../platform/errors';

export interface ReturnUrlPolicy {
  production: boolean;
  /** Allowed hosts (lowercase); `*.example.com` allows subdomains. Empty: any host. */
  returnUrlHosts: string[];
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Why: the returnUrl receives the user after authenticating at their bank; an attacker-chosen URL
 * (`javascript:`, another site) turns the flow into an open redirect (docs/security-catalogue.md IN6).
 * https only; http only for localhost outside production; no credentials in the URL; the host must be
 * on RETURN_URL_HOSTS when that is set. The URL is never echoed in the error (nor logged).
 * @returns the normalized URL. @throws BAD_USER_INPUT (field `returnUrl`) otherwise.
 */
export function validateReturnUrl(raw: string, policy: ReturnUrlPolicy): string {
  const reject = (why: string) => badInput(`returnUrl ${why}.`, 'returnUrl');
  if (raw.length > 2048) throw reject('must be at most 2048 characters');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw reject('must be an absolute URL');
  }
  const host = url.hostname.toLowerCase();
  if (url.protocol === 'http:') {
    if (policy.production || !LOCAL_HOSTS.has(host)) {
      throw reject('must use https (http is allowed only for localhost outside production)');
    }
  } else if (url.protocol !== 'https:') {
    throw reject('must use https');
  }
  if (url.username || url.password) throw reject('must not contain credentials');
  if (policy.returnUrlHosts.length > 0 && !LOCAL_HOSTS.has(host)) {
    const allowed = policy.returnUrlHosts.some((h) =>
      h.startsWith('*.') ? host.endsWith(h.slice(1)) && host.length > h.length - 1 : host === h,
    );
    if (!allowed) throw reject('host is not on the allowed list (RETURN_URL_HOSTS)');
  } else if (policy.returnUrlHosts.length > 0 && policy.production) {
    throw reject('host is not on the allowed list (RETURN_URL_HOSTS)');
  }
  return url.toString();
}
