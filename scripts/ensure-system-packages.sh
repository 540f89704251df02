#!/usr/bin/env bash
# Installs the Debian packages radlab's tests and demo need, only those that are missing.
# Usage: scripts/ensure-system-packages.sh PACKAGE:COMMAND...
#   e.g. scripts/ensure-system-packages.sh chromium:/usr/bin/chromium (a command name or a path)
set -euo pipefail
missing=()
for spec in "$@"; do
  package="${spec%%:*}"
  command="${spec#*:}"
  if [ ! -e "$command" ] && ! command -v "$command" >/dev/null 2>&1; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "error: ${missing[*]} missing and not root; install them with apt-get (see README)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
