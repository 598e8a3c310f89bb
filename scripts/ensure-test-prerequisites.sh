#!/usr/bin/env bash
# The tests run against real things: a redis-server on loopback (the Redis store) and Debian's Chromium
# (the rendered docs, with a CJK font for the vendors' Chinese terms). Install them from Debian when they are missing and we may; otherwise say exactly what
# is missing. Nothing is downloaded from anywhere but Debian's archive.
set -euo pipefail

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# The proxy example's test makes a throw-away certificate for its https vendor (examples/test/proxy.test.ts).
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
# The clock runs (scripts/test-clock.mjs) move Node's clock with libfaketime.
command -v faketime >/dev/null 2>&1 || missing+=(faketime)
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
# The token service's tests call it as services in other languages do: a Python script (standard library
# only) and curl.
command -v python3 >/dev/null 2>&1 || missing+=(python3)
command -v curl >/dev/null 2>&1 || missing+=(curl)
# The vendor documents are Chinese: without a CJK font the docs screenshots show empty boxes.
fc-list 2>/dev/null | grep -qi 'wenquanyi\|noto.*cjk' || missing+=(fonts-wqy-zenhei)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing test prerequisites from Debian: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "The tests need: ${missing[*]}. Install them (Debian/Ubuntu: sudo apt-get install -y ${missing[*]})," >&2
  echo "or point CHROMIUM_PATH at a Chromium binary." >&2
  exit 1
fi
