// Which browser origins may call the gateway (ALLOWED_ORIGINS), shared by the WebSocket upgrade and CORS.

const normalize = (origin: string) => origin.trim().toLowerCase().replace(/\/+$/, '');

/**
 * Whether a request carrying `origin` may proceed.
 * - No Origin: only browsers send one, and cross-site request forgery needs a browser; servers send none.
 * - `*` in the list allows every origin (bearer credentials, never cookies, so no ambient authority).
 * - The gateway's own pages (same host as the request) are always allowed.
 * - `null` (sandboxed iframes, file://) is never allowed unless listed as `*`.
 */
export function originAllowed(
  origin: string | undefined,
  allowedOrigins: readonly string[],
  requestHost?: string,
): boolean {
  if (allowedOrigins.includes('*')) return true;
  if (!origin) return true;
  const normalized = normalize(origin);
  if (allowedOrigins.some((o) => normalize(o) === normalized)) return true;
  if (!requestHost) return false;
  try {
    return new URL(normalized).host === requestHost.trim().toLowerCase();
  } catch {
    return false;
  }
}
