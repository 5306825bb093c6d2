#!/usr/bin/env bash
# Before `npm test`: the suite starts a real redis-server and drives Debian's Chromium (/usr/bin/chromium).
# As root with apt-get, installs what is missing (Debian packages redis-server and chromium); otherwise it stops
# here, before any test, with one line naming the missing packages and the command that installs them.
set -euo pipefail

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "npm test: installing Debian packages the tests need: ${missing[*]} (apt-get install -y ${missing[*]})"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Installed but still not found (e.g. /usr/bin not on PATH): say so rather than fail inside the tests.
  command -v redis-server >/dev/null 2>&1 && [ -x /usr/bin/chromium ] && exit 0
  echo "npm test: redis-server and /usr/bin/chromium are installed but redis-server is not on PATH (PATH=$PATH)." >&2
  exit 1
fi

echo "npm test needs the Debian packages ${missing[*]}: run  sudo apt-get install -y ${missing[*]}  then npm test again." >&2
exit 1
