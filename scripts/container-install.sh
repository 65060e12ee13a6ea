#!/usr/bin/env bash
# The runtime half of the container image, kept in a script so that the tests
# run it on an ordinary Debian machine too (see scripts/container_test.go).
# It installs Debian's Chromium, fonts for readable screenshots, tini (reaps
# Chrome's child processes when cookiescan runs as PID 1's child), creates
# the non-root user that runs scans and the folder reports are written to.
#
# Idempotent: packages already installed are not fetched again, and apt-get
# is not even called when nothing is missing. Needs root and apt-get.
#
# Environment:
#   COOKIESCAN_USER     the user to create (default cookiescan)
#   COOKIESCAN_REPORTS  the reports folder, owned by that user (default /reports)
#   COOKIESCAN_SLIM=1   also remove apt lists and docs (image builds only)
set -euo pipefail

user="${COOKIESCAN_USER:-cookiescan}"
reports="${COOKIESCAN_REPORTS:-/reports}"
packages=(chromium fonts-liberation fonts-dejavu-core ca-certificates tini)

say() { echo "container-install: $*" >&2; }

[ "$(id -u)" = "0" ] || { say "run me as root (I install packages and create a user)"; exit 1; }
command -v apt-get >/dev/null 2>&1 || { say "apt-get not found: this script is for Debian and Ubuntu"; exit 1; }

missing=()
for p in "${packages[@]}"; do
  # dpkg-query prints "install ok installed" only for a fully installed package.
  status="$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)"
  [ "$status" = "install ok installed" ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  say "packages already installed: ${packages[*]}"
else
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian's package installs /usr/bin/chromium; check that it runs at all.
chromium --version >/dev/null 2>&1 || { say "chromium is installed but does not run"; exit 1; }
command -v tini >/dev/null 2>&1 || { say "tini is installed but not on the PATH"; exit 1; }

if id -u "$user" >/dev/null 2>&1; then
  say "user $user exists"
else
  say "creating user $user"
  useradd --system --create-home --home-dir "/home/$user" --shell /usr/sbin/nologin "$user"
fi

mkdir -p "$reports"
chown "$user:" "$reports"
chmod 0755 "$reports"

if [ "${COOKIESCAN_SLIM:-}" = "1" ]; then
  apt-get clean
  rm -rf /var/lib/apt/lists/* /usr/share/doc/* /usr/share/man/*
fi
say "ready: chromium, fonts and tini installed; user $user; reports in $reports"
