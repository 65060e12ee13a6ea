#!/usr/bin/env bash
# Installs what the tests and the demo need and the machine lacks: a Chromium
# for the browser tests, xmllint for the JUnit schema check, pdftotext
# (poppler-utils) for the PDF report test, a PostgreSQL server for the store's
# PostgreSQL tests (internal/pgtest starts a throwaway cluster; the package's
# service is never started), and node/npm for the real consent libraries
# (testdata/npm, pinned by its lockfile), which are installed into the ignored
# .cache/npm, never into the repository. As root with apt-get it installs
# missing system packages; otherwise it stops with a message saying what to do.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
need=()
have_browser() {
  [ -n "${COOKIESCAN_BROWSER:-}" ] && [ -x "${COOKIESCAN_BROWSER}" ] && return 0
  for b in chromium-headless-shell chrome-headless-shell headless-shell chromium chromium-browser google-chrome google-chrome-stable chrome; do
    command -v "$b" >/dev/null 2>&1 && return 0
  done
  return 1
}
# Chromium's headless shell (the same engine without the browser's windows
# and UI) scans in about half the time of the full browser; scans use it when
# it is installed (see docs/tabs.md). It is optional: the full browser works.
have_headless_shell() {
  [ -n "${COOKIESCAN_BROWSER:-}" ] && [ -x "${COOKIESCAN_BROWSER}" ] && return 0
  for b in chromium-headless-shell chrome-headless-shell headless-shell; do
    command -v "$b" >/dev/null 2>&1 && return 0
  done
  return 1
}
have_postgres() {
  [ -n "${COOKIESCAN_PG_BIN:-}" ] && [ -x "${COOKIESCAN_PG_BIN}/initdb" ] && return 0
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null 2>&1 && return 0
  command -v initdb >/dev/null 2>&1
}
have_browser || need+=(chromium)
want_shell=0
have_headless_shell || want_shell=1
if [ "${1:-}" != "--browser-only" ]; then
  command -v xmllint >/dev/null 2>&1 || need+=(libxml2-utils)
  command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
  have_postgres || need+=(postgresql)
  command -v node >/dev/null 2>&1 || need+=(nodejs)
  command -v npm >/dev/null 2>&1 || need+=(npm)
fi

if [ "$want_shell" = 1 ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  # Where the distribution has it, the headless shell replaces the full
  # browser as the one to install; a machine that has the full browser gets
  # the shell too. Without it (not every distribution packages it) the full
  # browser is used.
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || true
  if apt-cache show chromium-headless-shell >/dev/null 2>&1; then
    echo "ensure-deps: installing chromium-headless-shell with apt-get" >&2
    if apt-get install -y -qq --no-install-recommends chromium-headless-shell >/dev/null; then
      need=("${need[@]/chromium}")
      read -r -a need <<<"${need[*]}" || true
    else
      echo "ensure-deps: chromium-headless-shell could not be installed; the full browser is used" >&2
    fi
  fi
fi

if [ ${#need[@]} -gt 0 ]; then
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
    if [ "${1:-}" != "--browser-only" ]; then
      command -v pdftotext >/dev/null 2>&1 || { echo "ensure-deps: poppler-utils was installed but pdftotext is not on the PATH" >&2; exit 1; }
      have_postgres || { echo "ensure-deps: postgresql was installed but no initdb was found" >&2; exit 1; }
    fi
  else
    cat >&2 <<MSG
ensure-deps: missing ${need[*]}.
  Install them (Debian/Ubuntu: sudo apt-get install -y ${need[*]}),
  or point COOKIESCAN_BROWSER at a Chrome or Chromium binary
  (and COOKIESCAN_PG_BIN at PostgreSQL's bin folder).
  Without them the browser tests, the PostgreSQL tests, the PDF report test
  and the tests on the real consent libraries cannot run.
MSG
    exit 1
  fi
fi
[ "${1:-}" = "--browser-only" ] && exit 0

# The real consent libraries: npm ci from the pinned lockfile into the cache,
# again only when the lockfile changed. Their install scripts never run.
cache="$root/.cache/npm"
lock="$root/testdata/npm/package-lock.json"
stamp="$cache/.lock-sha256"
want="$(sha256sum "$lock" | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || [ ! -d "$cache/node_modules" ]; then
  echo "ensure-deps: installing the consent libraries of testdata/npm into .cache/npm" >&2
  mkdir -p "$cache"
  cp "$root/testdata/npm/package.json" "$lock" "$cache/"
  if ! (cd "$cache" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null); then
    echo "ensure-deps: npm ci failed in .cache/npm: check the network to the npm registry (or its mirror in npm config)" >&2
    exit 1
  fi
  echo "$want" >"$stamp"
fi
