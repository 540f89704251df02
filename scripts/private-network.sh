#!/bin/sh
# Runs a command in a fresh network namespace whose only interface is loopback (brought up), so
# servers started by tests (Orthanc 1.10 listens on every interface) are unreachable from outside.
# Needs root or CAP_SYS_ADMIN (unshare) and iproute2.
#   scripts/private-network.sh npx vitest run kernel-lib/src/pacs
set -eu
if [ "$#" -eq 0 ]; then
  echo "usage: $0 command [args...]" >&2
  exit 2
fi
exec unshare -n sh -c 'ip link set lo up && exec "$@"' sh "$@"
