// The small vanilla scripts of the flow pages (inline, so the flow works offline): start, live search, OAuth window,
// and the final hand-back to the embedding page.

/** Tags every postMessage the flow sends, so the Stripe.js-compatible script ignores anything else. */
export const MESSAGE_SOURCE = 'stripe-sandbox:financial-connections';

const SOURCE_LITERAL = JSON.stringify(MESSAGE_SOURCE);

/**
 * Reads `#client_secret=…&origin=…`, scrubs it from the address bar, and exchanges it for a flow.
 * Why a fragment: it never reaches the server in a URL (so no access log or Referer carries the secret); the
 * secret goes once, in a POST body, and the flow continues under an unguessable flow id.
 */
export const START_SCRIPT = `(function () {
  var params = new URLSearchParams(location.hash.slice(1));
  var secret = params.get('client_secret') || '';
  var origin = params.get('origin');
  var embedded = window.parent !== window;
  history.replaceState(null, '', location.pathname);
  var status = document.getElementById('start-status');
  function report(error) {
    document.querySelector('h1').textContent = 'Something went wrong';
    status.textContent = error.message;
    if (embedded && origin) {
      window.parent.postMessage({ source: ${SOURCE_LITERAL}, type: 'result', result: { error: error } }, origin);
    }
  }
  fetch('/link/start', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ client_secret: secret, parent_origin: embedded ? origin : null, mode: embedded ? 'modal' : 'page' })
  })
    .then(function (r) { return r.json(); })
    .then(function (body) {
      if (body && body.url) location.replace(body.url);
      else report((body && body.error) || { type: 'api_error', message: 'The flow could not start.' });
    })
    .catch(function () { report({ type: 'api_connection_error', message: 'Could not reach the sandbox.' }); });
})();`;

/**
 * Embedded (the overlay), every step replaces the frame's page instead of adding a history entry, as a modal should:
 * a form posts with fetch and the step it lands on replaces the current one. Without this each step is an entry of
 * the embedding page's history, and Back walks the closed overlay's steps before leaving it. The post asks for JSON
 * (the next step's address) rather than following a 303, so each step's page loads once.
 */
export const MODAL_HISTORY_SCRIPT = `(function () {
  if (window.parent === window) return;
  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (e.defaultPrevented || !(form instanceof HTMLFormElement) || form.method !== 'post') return;
    e.preventDefault();
    var body = new URLSearchParams(new FormData(form, e.submitter));
    fetch(form.action, { method: 'POST', body: body, headers: { accept: 'application/json' } })
      .then(function (r) { return r.json(); })
      .then(function (next) { location.replace(next.url); })
      .catch(function () { form.submit(); });
  });
})();`;

/** Live search: re-renders the institution list as the user types (the form still works without script). */
export const SEARCH_SCRIPT = `(function () {
  var cfg = JSON.parse(document.getElementById('flow-search').textContent);
  var input = document.querySelector('[data-testid="institution-search"]');
  var list = document.getElementById('institution-list');
  var form = document.getElementById('search-form');
  var seq = 0;
  function initials(name) {
    var parts = name.replace(/[()]/g, '').split(/\\s+/).filter(function (w) { return /^[A-Za-z0-9]/.test(w); });
    return parts.slice(0, 2).map(function (w) { return w[0].toUpperCase(); }).join('') || '?';
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function item(o) {
    var li = el('li');
    var b = el('button', 'institution');
    b.type = 'submit'; b.name = 'institution'; b.value = o.id;
    b.setAttribute('data-testid', 'institution-option');
    b.setAttribute('data-kind', o.kind);
    var logo = el('span', 'inst-logo', initials(o.name));
    logo.setAttribute('aria-hidden', 'true');
    b.appendChild(logo);
    b.appendChild(el('span', 'inst-name', o.name));
    if (o.kind === 'test') b.appendChild(el('span', 'badge badge-inst', 'Test'));
    li.appendChild(b);
    return li;
  }
  function render(q, options) {
    list.textContent = '';
    var groups = [['Test institutions', 'test'], ['Banks and credit unions', 'directory']];
    groups.forEach(function (g) {
      var members = options.filter(function (o) { return o.kind === g[1]; });
      if (!members.length) return;
      list.appendChild(el('li', 'section-title', g[0]));
      members.forEach(function (o) { list.appendChild(item(o)); });
    });
    if (!options.length) {
      var none = el('li', 'muted', 'No institution matches.');
      none.setAttribute('data-testid', 'no-results');
      list.appendChild(none);
    }
    list.setAttribute('data-query', q);
  }
  function search() {
    var q = input.value;
    var mine = ++seq;
    fetch(cfg.url + '?q=' + encodeURIComponent(q), { headers: { accept: 'application/json' } })
      .then(function (r) { return r.json(); })
      .then(function (body) { if (mine === seq && body.institutions) render(q, body.institutions); });
  }
  input.addEventListener('input', search);
  form.addEventListener('submit', function (e) { e.preventDefault(); search(); });
})();`;

/** Opens the bank's OAuth window (again at once after a failed authorization). */
export const OAUTH_SCRIPT = `(function () {
  var dialog = document.getElementById('oauth-window');
  document.getElementById('oauth-open').addEventListener('click', function () { dialog.showModal(); });
  if (dialog.getAttribute('data-open')) dialog.showModal();
})();`;

/**
 * Hands the result back. Embedded: postMessage to the parent's origin only (targetOrigin is never '*', so a page
 * that framed the flow under another origin receives nothing). Standalone: go to /finish, which redirects to the
 * session's return_url.
 */
export const FINISH_SCRIPT = `(function () {
  var cfg = JSON.parse(document.getElementById('flow-finish').textContent);
  var sent = false;
  function finish() {
    if (cfg.mode === 'modal' && cfg.parentOrigin && window.parent !== window) {
      if (sent) return;
      sent = true;
      window.parent.postMessage({ source: ${SOURCE_LITERAL}, type: 'result', result: cfg.result }, cfg.parentOrigin);
    } else {
      location.href = cfg.finishUrl;
    }
  }
  var button = document.getElementById('finish');
  if (button) button.addEventListener('click', finish);
  if (cfg.auto) finish();
})();`;
