"""The dicognito side of bench/deid-header.mjs: header de-identification of the given files.

Reads pairs `input<TAB>output` (one per line) from stdin; for each, times read, anonymize and
write (pydicom dcmread, dicognito Anonymizer.anonymize, save_as) in this one process, with one
Anonymizer for the whole run so that a patient's instances stay grouped, as dicognito advises.
Prints one JSON object: the versions and per-file seconds or error.
Usage: python dicognito_deid.py SEED < pairs.txt
"""

import json
import sys
import time

import dicognito
import pydicom
from dicognito.anonymizer import Anonymizer


def main() -> None:
    anonymizer = Anonymizer(seed=sys.argv[1])
    pairs = [line.rstrip("\n").split("\t") for line in sys.stdin if line.strip()]
    out = {"dicognito": dicognito.__version__, "pydicom": pydicom.__version__, "files": []}
    for source, target in pairs:
        row = {"file": source}
        try:
            started = time.perf_counter()
            ds = pydicom.dcmread(source)
            anonymizer.anonymize(ds)
            ds.save_as(target)
            row["seconds"] = time.perf_counter() - started
        except Exception as exc:  # noqa: BLE001 - every failure is reported, none stops the run
            row["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        out["files"].append(row)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
