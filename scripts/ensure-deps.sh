#!/usr/bin/env bash
# Installs what the tests and the demo need and the machine lacks: a Chromium
# for the browser tests, xmllint for the JUnit schema check and pdftotext
# (poppler-utils) for the PDF report test. As root with
# apt-get it installs them; otherwise it stops with a message saying what to do.
set -euo pipefail

need=()
have_browser() {
  [ -n "${COOKIESCAN_BROWSER:-}" ] && [ -x "${COOKIESCAN_BROWSER}" ] && return 0
  for b in chromium chromium-browser google-chrome google-chrome-stable chrome headless-shell; do
    command -v "$b" >/dev/null 2>&1 && return 0
  done
  return 1
}
have_browser || need+=(chromium)
if [ "${1:-}" != "--browser-only" ]; then
  command -v xmllint >/dev/null 2>&1 || need+=(libxml2-utils)
  command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
fi
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-deps: installing ${need[*]} with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  have_browser || { echo "ensure-deps: chromium was installed but no browser is on the PATH" >&2; exit 1; }
  if [ "${1:-}" != "--browser-only" ]; then
    command -v pdftotext >/dev/null 2>&1 || { echo "ensure-deps: poppler-utils was installed but pdftotext is not on the PATH" >&2; exit 1; }
  fi
  exit 0
fi
cat >&2 <<MSG
ensure-deps: missing ${need[*]}.
  Install them (Debian/Ubuntu: sudo apt-get install -y ${need[*]}),
  or point COOKIESCAN_BROWSER at a Chrome or Chromium binary.
  The browser tests cannot run without a browser.
MSG
exit 1
