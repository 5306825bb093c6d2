#!/usr/bin/env bash
# Known vulnerabilities in what production installs (devDependencies never run in production): high and critical
# fail the build; moderate and low are printed for review (many have no fix upstream yet).
#
# Why a wrapper: `npm audit` asks the registry's bulk-advisory endpoint, and where that endpoint is not reachable
# (a mirror or proxy that serves packages but answers 405 or 404 to it) npm fails without having checked anything.
# That is reported loudly and does not fail the build; any answer the endpoint does give is enforced.
set -uo pipefail
cd "$(dirname "$0")/.."

report=$(npm audit --omit=dev --json 2>/dev/null)
status=$?
if [ $status -ne 0 ] && ! grep -q '"vulnerabilities"' <<<"$report"; then
  code=$(node -e 'try { const r = JSON.parse(process.argv[1]); console.log(r.statusCode ?? r.error?.code ?? "unknown") } catch { console.log("unknown") }' "$report")
  echo "npm audit: NOT CHECKED — the registry's audit endpoint did not answer (status $code); run npm audit --omit=dev where it does"
  exit 0
fi
npm audit --omit=dev --audit-level=high
