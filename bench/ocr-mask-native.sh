#!/usr/bin/env bash
# Native tesseract (Debian tesseract-ocr) on the images given as arguments, N at a time (default 2,
# one per core, each single-threaded), word boxes as TSV. Used by bench/ocr-mask.mjs.
# Usage: bench/ocr-mask-native.sh [-j N] image.pgm...
set -euo pipefail
jobs=2
if [[ "${1:-}" == "-j" ]]; then
  jobs=$2
  shift 2
fi
printf '%s\0' "$@" | OMP_THREAD_LIMIT=1 xargs -0 -P "$jobs" -I{} sh -c 'tesseract "$1" "$1" --psm 3 -l eng tsv 2>/dev/null' _ {}
