#!/usr/bin/env bash
# The end-to-end tests drive a real Chromium. Playwright cannot download its own browser
# everywhere, so on Debian we use the distribution's chromium (/usr/bin/chromium).
set -eu
if [ -x /usr/bin/chromium ]; then exit 0; fi
if ls "${PLAYWRIGHT_BROWSERS_PATH:-$HOME/.cache/ms-playwright}"/chromium* >/dev/null 2>&1; then exit 0; fi
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
  echo "Installing Debian's chromium for the end-to-end tests..." >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "No Chromium found: install one (apt-get install chromium, or npx playwright install chromium)." >&2
exit 1
