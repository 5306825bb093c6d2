#!/usr/bin/env bash
# The production install as docs/deploying.md documents it, from a copy of this checkout in a temporary directory:
# `npm ci` (which must print no install-scripts warning: allowScripts in package.json), `npm run build`,
# `npm prune --omit=dev`, then `node dist/src/main.js` with NODE_ENV=production on the embedded sandbox. It must
# answer GraphQL queries (one reaching the upstream through stripe-node), refuse what production refuses, and stop
# cleanly on SIGTERM. Run by .ci/run; by hand: `bash .ci/production-install.sh` (it leaves nothing behind).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
gateway_pid=""
cleanup() {
  if [ -n "$gateway_pid" ] && kill -0 "$gateway_pid" 2>/dev/null; then kill -KILL "$gateway_pid"; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "production install: $*" >&2
  [ -f "$work/gateway.log" ] && { echo "--- gateway output:" >&2; cat "$work/gateway.log" >&2; }
  exit 1
}

# 1. The checkout as git sees it (tracked and new files; nothing ignored: no node_modules, dist or web bundles).
(cd "$repo" && git ls-files -z --cached --others --exclude-standard |
  tar --null --ignore-failed-read -T - -cf -) | tar -xf - -C "$work"
cd "$work"

# 2. Install everything, build, then keep only the production dependencies.
npm ci --no-audit --no-fund 2>&1 | tee npm-ci.log
if grep -qi 'install script' npm-ci.log; then
  fail "npm ci warned about install scripts: review allowScripts in package.json (docs/deploying.md, Runtime)"
fi
npm run build
npm prune --omit=dev --no-audit --no-fund
[ ! -e node_modules/typescript ] || fail "npm prune --omit=dev left devDependencies (typescript) in node_modules"
echo "production install: node_modules $(du -sh node_modules | cut -f1), dist $(du -sh dist | cut -f1)"

# 3. Start it as production does (NODE_ENV=production: partner keys, token secret and metrics protection required).
free_port() { node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
random_hex() { node -e "console.log(require('node:crypto').randomBytes(24).toString('hex'))"; }
port="$(free_port)"
partner_key="$(random_hex)"
metrics_token="$(random_hex)"
NODE_ENV=production HOST=127.0.0.1 PORT="$port" SANDBOX_PORT="$(free_port)" LOG_LEVEL=warn \
  PARTNER_KEYS="ci:$partner_key" TOKEN_SECRET="$(random_hex)" METRICS_TOKEN="$metrics_token" \
  node dist/src/main.js >gateway.log 2>&1 &
gateway_pid=$!
# Waits for the line start-up prints once it listens (bounded: a CI step must end).
for _ in $(seq 1 600); do
  grep -qs '^GraphQL endpoint:' gateway.log && break
  kill -0 "$gateway_pid" 2>/dev/null || fail "the gateway exited during start-up"
  sleep 0.1
done
grep -qs '^GraphQL endpoint:' gateway.log || fail "the gateway did not start within 60 s"

# 4. What it must answer, checked by node (no curl needed): each line prints what it checked.
URL="http://127.0.0.1:$port" PARTNER_KEY="$partner_key" METRICS_TOKEN="$metrics_token" node --input-type=module -e '
const { URL: base, PARTNER_KEY: key, METRICS_TOKEN: metricsToken } = process.env;
const gql = async (query) => {
  const res = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, body: await res.json() };
};
const check = (ok, what, got) => {
  if (!ok) { console.error(`FAILED: ${what}: ${JSON.stringify(got)}`); process.exit(1); }
  console.log(`ok: ${what}`);
};
const viewer = await gql("{ viewer { kind partnerId } }");
check(viewer.body.data?.viewer?.partnerId === "ci", "a partner query answers", viewer);
const created = await gql(`mutation { createCustomer(input: { email: "ci@example.com" }) { customer { id } } }`);
check(/^cus_/.test(created.body.data?.createCustomer?.customer?.id ?? ""), "a mutation reaches the upstream", created);
const introspection = await gql("{ __schema { queryType { name } } }");
check(!introspection.body.data, "introspection is off", introspection);
const demo = await fetch(`${base}/demo`);
check(demo.status === 404, "no /demo in production", demo.status);
const open = await fetch(`${base}/metrics`);
check(open.status === 401, "/metrics refuses without its token", open.status);
const metrics = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
check(metrics.status === 200 && (await metrics.text()).includes("graphql_operations_total"), "/metrics with its token", metrics.status);
const ready = await fetch(`${base}/readyz`);
check(ready.status === 200, "/readyz", ready.status);
' || fail "a check failed"

# 5. SIGTERM: drains and exits 0.
kill -TERM "$gateway_pid"
status=0
wait "$gateway_pid" || status=$?
gateway_pid=""
[ "$status" -eq 0 ] || fail "the gateway exited with $status on SIGTERM"
if grep -q '"level":50' gateway.log; then fail "the gateway logged errors"; fi
echo "production install: built, pruned, started, answered and stopped"
