// HTML building blocks for the hosted flow: escaping, the page layout and its stylesheet (inline: no CDN, works offline).
import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { MODAL_HISTORY_SCRIPT } from './client-scripts';

/**
 * Sends a page with a per-response script nonce. Why: the pages show names that came from API callers
 * (institution and account names, permissions); they are escaped, and the CSP makes any slip inert as well.
 * `frameAncestors`: `*` for the linking flow (any site may embed it, as with Stripe.js), `'none'` for pages
 * opened on their own (the microdeposit verification page).
 */
export function sendHtml(reply: FastifyReply, html: string, frameAncestors: string): FastifyReply {
  const nonce = randomBytes(16).toString('base64');
  return reply
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .header(
      'content-security-policy',
      `default-src 'self'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; img-src 'self' data:; ` +
        `connect-src 'self'; base-uri 'none'; object-src 'none'; frame-ancestors ${frameAncestors}`,
    )
    .send(html.replace(/<script>/g, `<script nonce="${nonce}">`));
}

/** Escapes text for HTML element content and double-quoted attributes. */
export function esc(value: unknown): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * JSON for a `<script type="application/json">` block. Why the escapes: `</script>` or `<!--` inside a value
 * (an institution or account name) must not end the block early, so `<`, `>` and `&` are written as \u escapes.
 */
export function jsonBlock(id: string, value: unknown): string {
  const json = JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return `<script type="application/json" id="${esc(id)}">${json}</script>`;
}

/** A raw HTML fragment, already escaped by whoever built it. */
export type Html = string;

export interface LayoutOptions {
  title: string;
  /** The step name, exposed as `data-step` so tests and scripts know where they are. */
  step: string;
  body: Html;
  /** Where the header's × (exit) button posts; omitted on pages that cannot be exited. */
  exitAction?: string;
  /** Inline scripts and JSON blocks appended to the body. */
  scripts?: Html;
}

export function layout(options: LayoutOptions): Html {
  const exit = options.exitAction
    ? `<form method="post" action="${esc(options.exitAction)}" class="exit-form">
         <button type="submit" class="icon-button" aria-label="Exit" title="Exit" data-testid="exit">&times;</button>
       </form>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(options.title)} · Stripe sandbox</title>
<link rel="icon" href="/favicon.ico" type="image/svg+xml">
<style>${STYLES}</style>
</head>
<body>
<main class="pane" data-step="${esc(options.step)}">
  <header class="pane-header">
    <span class="brand"><span class="brand-mark">S</span> Stripe sandbox</span>
    <span class="badge badge-test">Test mode</span>
    ${exit}
  </header>
  <section class="pane-body">
${options.body}
  </section>
  <footer class="pane-footer">Sandbox: no real bank is contacted and no real data is shared.</footer>
</main>
${options.scripts ?? ''}
<script>${MODAL_HISTORY_SCRIPT}</script>
</body>
</html>`;
}

const STYLES = `
*{box-sizing:border-box}
html,body{margin:0;height:100%}
body{font:15px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#30313d;background:#fff}
.pane{display:flex;flex-direction:column;min-height:100%;max-width:480px;margin:0 auto}
.pane-header{display:flex;align-items:center;gap:8px;padding:14px 18px;border-bottom:1px solid #ebeef1}
.brand{font-weight:600;display:flex;align-items:center;gap:8px;flex:1}
.brand-mark{display:inline-flex;width:22px;height:22px;border-radius:6px;background:#635bff;color:#fff;font-size:13px;align-items:center;justify-content:center}
.badge{font-size:11px;font-weight:600;border-radius:4px;padding:2px 6px;text-transform:uppercase;letter-spacing:.03em}
.badge-test{background:#fcedb9;color:#a82c00}
.badge-inst{background:#eef0ff;color:#4b45c6;margin-left:auto}
.exit-form{margin:0}
.icon-button{border:0;background:none;font-size:24px;line-height:1;color:#6a7383;cursor:pointer;padding:0 4px}
.pane-body{flex:1;padding:22px 22px 10px;overflow:auto}
.pane-footer{padding:10px 22px 16px;font-size:12px;color:#6a7383}
h1{font-size:22px;line-height:1.25;margin:0 0 8px}
p{margin:0 0 14px}
.muted{color:#6a7383}
.small{font-size:13px}
.list{list-style:none;margin:0 0 16px;padding:0}
.perm{display:flex;gap:12px;padding:10px 0;border-bottom:1px solid #ebeef1}
.perm:last-child{border-bottom:0}
.perm-icon{flex:none;width:28px;height:28px;border-radius:50%;background:#eef0ff;color:#635bff;display:flex;align-items:center;justify-content:center;font-weight:700}
.perm strong{display:block}
.button{display:block;width:100%;border:0;border-radius:8px;padding:12px 16px;font:inherit;font-weight:600;cursor:pointer;text-align:center;text-decoration:none}
.button-primary{background:#635bff;color:#fff}
.button-primary:hover{background:#5851e5}
.button-secondary{background:#f6f8fa;color:#30313d;margin-top:8px}
.actions{margin-top:18px}
label{display:block;font-weight:600;margin:12px 0 6px}
input[type=text],input[type=password],input[type=search]{width:100%;padding:10px 12px;border:1px solid #d5dbe1;border-radius:8px;font:inherit}
input:focus{outline:2px solid #a5a1ff;border-color:#635bff}
.error{background:#fff0f0;color:#b3063d;border:1px solid #ffd1d8;border-radius:8px;padding:10px 12px;margin:0 0 14px}
.notice{background:#f5f8ff;border:1px solid #d6e0ff;border-radius:8px;padding:10px 12px;margin:0 0 14px;font-size:13px}
.notice code{background:#e3e8ff;border-radius:3px;padding:0 3px}
.institutions{list-style:none;margin:12px 0;padding:0}
.institution{display:flex;width:100%;align-items:center;gap:10px;border:1px solid #ebeef1;border-radius:8px;background:#fff;padding:10px 12px;margin:0 0 6px;font:inherit;text-align:left;cursor:pointer}
.institution:hover{border-color:#635bff}
.inst-logo{flex:none;width:30px;height:30px;border-radius:50%;background:#e3e8ee;color:#414552;display:flex;align-items:center;justify-content:center;font-weight:700;font-size:13px}
.section-title{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:#6a7383;margin:16px 0 6px}
.account{display:flex;gap:12px;align-items:center;border:1px solid #ebeef1;border-radius:8px;padding:10px 12px;margin:0 0 6px;font-weight:400;cursor:pointer}
.account input{width:18px;height:18px;flex:none}
.account.disabled{opacity:.55;cursor:not-allowed}
.account-name{font-weight:600;display:block}
.choice{display:flex;gap:10px;align-items:center;font-weight:400;border:1px solid #ebeef1;border-radius:8px;padding:10px 12px;margin:0 0 6px}
.success-mark{width:48px;height:48px;border-radius:50%;background:#d7f7c2;color:#05690d;display:flex;align-items:center;justify-content:center;font-size:26px;margin:6px 0 14px}
.fail-mark{background:#ffe7f2;color:#b3063d}
dialog.oauth-window{padding:0;border:1px solid #c0c8d2;border-radius:10px;width:min(400px,92vw);box-shadow:0 16px 48px rgba(0,0,0,.3)}
dialog.oauth-window::backdrop{background:rgba(10,37,64,.35)}
.window-bar{display:flex;align-items:center;gap:6px;background:#f1f3f5;border-bottom:1px solid #d5dbe1;padding:8px 10px;font-size:12px;color:#545969}
.window-dot{width:10px;height:10px;border-radius:50%;background:#d5dbe1}
.window-url{flex:1;background:#fff;border-radius:4px;padding:3px 8px;margin-left:6px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.window-body{padding:18px}
.bank-header{display:flex;align-items:center;gap:10px;font-weight:700;font-size:17px;margin-bottom:12px;color:#0a2540}
`;
