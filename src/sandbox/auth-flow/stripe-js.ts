// The Stripe.js-compatible script the sandbox serves at /v3/ (mirroring https://js.stripe.com/v3/): a global
// `Stripe(publishableKey)` whose `collectFinancialConnectionsAccounts({ clientSecret })` opens the hosted flow in an
// overlay iframe and resolves like Stripe.js (docs.stripe.com/js/financial_connections/collect_financial_connections_accounts):
//   { financialConnectionsSession: { id, accounts: [...] , ... } }  — accounts empty when the user exits early
//   { error: { type, message, code? } }                             — the flow could not start, or the bank failed
import { MESSAGE_SOURCE } from './client-scripts';

/** The paths the script is served at; a page switches from Stripe.js by changing only the script's origin. */
export const STRIPE_JS_PATHS = ['/v3/', '/v3', '/v3/stripe.js', '/js/v3'] as const;

/**
 * The script's source. `fallbackOrigin` is the sandbox origin as the request saw it; the script prefers the origin of
 * its own `src` (document.currentScript), which is right even behind a proxy that rewrites Host.
 */
export function stripeJsSource(fallbackOrigin: string): string {
  return `/* Stripe sandbox: a Stripe.js-compatible subset (collectFinancialConnectionsAccounts). Not Stripe.js. */
(function () {
  'use strict';
  if (window.Stripe && window.Stripe.sandbox === true) return;
  var SOURCE = ${JSON.stringify(MESSAGE_SOURCE)};
  var script = document.currentScript;
  var SANDBOX_ORIGIN = script && script.src ? new URL(script.src, location.href).origin : ${JSON.stringify(fallbackOrigin)};
  var openFlow = null;

  function IntegrationError(message) {
    var error = new Error(message);
    error.name = 'IntegrationError';
    return error;
  }

  function overlayElement() {
    var overlay = document.createElement('div');
    overlay.setAttribute('data-stripe-sandbox', 'financial-connections');
    overlay.style.cssText = 'position:fixed;inset:0;z-index:2147483647;background:rgba(10,37,64,.45);' +
      'display:flex;align-items:center;justify-content:center';
    var iframe = document.createElement('iframe');
    iframe.name = 'stripe-sandbox-financial-connections';
    iframe.title = 'Link your bank account';
    iframe.style.cssText = 'width:min(460px,100vw);height:min(700px,100vh);border:0;border-radius:12px;' +
      'background:#fff;box-shadow:0 20px 60px rgba(0,0,0,.35)';
    overlay.appendChild(iframe);
    return { overlay: overlay, iframe: iframe };
  }

  function collectFinancialConnectionsAccounts(options) {
    if (!options || typeof options.clientSecret !== 'string' || options.clientSecret.length === 0) {
      throw IntegrationError('Invalid value for collectFinancialConnectionsAccounts: clientSecret should be the ' +
        'client_secret of a Financial Connections Session.');
    }
    // The flow can only answer an http(s) page: postMessage needs a real origin to target (file:// has none).
    if (location.origin === 'null' || !/^https?:/.test(location.protocol)) {
      return Promise.resolve({ error: { type: 'invalid_request_error',
        message: 'collectFinancialConnectionsAccounts needs a page served over http or https.' } });
    }
    if (openFlow) {
      return Promise.resolve({ error: { type: 'invalid_request_error',
        message: 'A Financial Connections flow is already open on this page.' } });
    }
    return new Promise(function (resolve) {
      var parts = overlayElement();
      var root = document.documentElement;
      var previousOverflow = root.style.overflow;
      // Only the flow frame, from the sandbox's origin, may resolve the promise.
      function onMessage(event) {
        if (event.origin !== SANDBOX_ORIGIN || event.source !== parts.iframe.contentWindow) return;
        var data = event.data;
        if (!data || data.source !== SOURCE || data.type !== 'result' || !data.result) return;
        close();
        resolve(data.result);
      }
      function close() {
        window.removeEventListener('message', onMessage);
        if (parts.overlay.parentNode) parts.overlay.parentNode.removeChild(parts.overlay);
        root.style.overflow = previousOverflow;
        openFlow = null;
      }
      window.addEventListener('message', onMessage);
      var fragment = new URLSearchParams({ client_secret: options.clientSecret, origin: location.origin });
      parts.iframe.src = SANDBOX_ORIGIN + '/link/start#' + fragment.toString();
      root.style.overflow = 'hidden';
      document.body.appendChild(parts.overlay);
      openFlow = { close: close };
    });
  }

  function Stripe(publishableKey, options) {
    if (!(this instanceof Stripe)) return new Stripe(publishableKey, options);
    if (typeof publishableKey !== 'string' || publishableKey.length === 0) {
      throw IntegrationError('Please call Stripe() with your publishable key. You used an empty string.');
    }
    if (/^(sk|rk)_/.test(publishableKey)) {
      throw IntegrationError('You should not use your secret key with Stripe.js. Please pass a publishable key instead.');
    }
    if (!/^pk_/.test(publishableKey)) {
      throw IntegrationError('Invalid value for Stripe(): apiKey should be a publishable key (pk_test_...).');
    }
    this._apiKey = publishableKey;
    this._options = options || {};
  }
  Stripe.prototype.collectFinancialConnectionsAccounts = collectFinancialConnectionsAccounts;
  Stripe.version = 3;
  Stripe.sandbox = true;
  window.Stripe = Stripe;
})();
`;
}
