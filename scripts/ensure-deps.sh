#!/usr/bin/env bash
# Installs what the tests and the demo need and the machine lacks: a Chromium
# for the browser tests, xmllint for the JUnit schema check and a PostgreSQL
# server for the store's PostgreSQL tests (internal/pgtest starts a throwaway
# cluster; the package's service is never started). As root with
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
have_postgres() {
  [ -n "${COOKIESCAN_PG_BIN:-}" ] && [ -x "${COOKIESCAN_PG_BIN}/pg_ctl" ] && return 0
  compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null && return 0
  command -v pg_ctl >/dev/null 2>&1
}
have_browser || need+=(chromium)
if [ "${1:-}" != "--browser-only" ]; then
  command -v xmllint >/dev/null 2>&1 || need+=(libxml2-utils)
  have_postgres || need+=(postgresql)
fi
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-deps: installing ${need[*]} with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # A policy-rc.d keeps apt from starting the packaged PostgreSQL service.
  made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made_policy=1
  fi
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  [ "$made_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
  have_browser || { echo "ensure-deps: chromium was installed but no browser is on the PATH" >&2; exit 1; }
  exit 0
fi
cat >&2 <<MSG
ensure-deps: missing ${need[*]}.
  Install them (Debian/Ubuntu: sudo apt-get install -y ${need[*]}),
  or point COOKIESCAN_BROWSER at a Chrome or Chromium binary.
  The browser tests cannot run without a browser, nor the PostgreSQL
  tests without postgresql (or COOKIESCAN_PG_BIN naming its bin folder).
MSG
exit 1
