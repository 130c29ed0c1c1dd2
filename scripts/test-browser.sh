#!/usr/bin/env bash
# scripts/test-browser.sh — make sure the browser tests have a browser and a CJK font.
#
# The web tests drive the system Chromium through Playwright (Playwright's own browser download
# needs the network and is not used). Installs Debian's `chromium` and `fonts-wqy-zenhei` when
# either is missing and we are root with apt-get (as in CI); otherwise says what to install.
set -uo pipefail
browser="${CHAINATLAS_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$browser" ] && fc-list 2>/dev/null | grep -qi wqy; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "[test-browser] installing Debian's chromium and fonts-wqy-zenhei" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null 2>&1 ||
    { apt-get update -qq >/dev/null && apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null; }
fi
if [ ! -x "$browser" ]; then
  echo "[test-browser] no Chromium at $browser: the browser tests will fail." >&2
  echo "  install it with: sudo apt-get install -y chromium fonts-wqy-zenhei" >&2
  echo "  (or set CHAINATLAS_CHROMIUM to a Chromium binary)" >&2
fi
exit 0
