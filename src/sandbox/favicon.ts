// The icon of the sandbox's pages (hosted linking flow, microdeposit page), served at /favicon.ico so a
// browser's automatic request is answered rather than a 404.
import type { FastifyInstance } from 'fastify';

/** A small SVG: the sandbox's "S" mark on Stripe's purple (browsers take SVG whatever the file name). */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#635bff"/>' +
  '<text x="16" y="23" font-family="Arial,sans-serif" font-size="20" font-weight="700" fill="#fff" ' +
  'text-anchor="middle">S</text></svg>';

export function registerFavicon(http: FastifyInstance): void {
  http.get('/favicon.ico', (_request, reply) =>
    reply
      .header('content-type', 'image/svg+xml')
      .header('cache-control', 'public, max-age=86400')
      .header('x-content-type-options', 'nosniff')
      .send(FAVICON_SVG),
  );
}
