"""The pydicom side of bench/dicom-read.mjs: header parse and pixel decode of the given files.

Reads file paths (one per line) from stdin; prints one JSON object: per-file timings.
Usage: python pydicom_read.py REPEATS < files.txt
"""
import json
import sys
import time

import pydicom


def main() -> None:
    repeats = int(sys.argv[1])
    files = [line.strip() for line in sys.stdin if line.strip()]
    out = {"version": pydicom.__version__, "files": []}
    for path in files:
        row = {"file": path}
        try:
            started = time.perf_counter()
            for _ in range(repeats):
                pydicom.dcmread(path, stop_before_pixels=True, force=True)
            row["header_s"] = (time.perf_counter() - started) / repeats
        except Exception as exc:  # noqa: BLE001 - every failure is reported, none stops the run
            row["header_error"] = f"{type(exc).__name__}: {exc}"
        try:
            ds = pydicom.dcmread(path, force=True)
            if "PixelData" in ds:
                started = time.perf_counter()
                for _ in range(repeats):
                    arr = ds.pixel_array
                    ds._pixel_array = None  # drop pydicom's cache so each repeat decodes
                    ds._pixel_id = {}
                row["decode_s"] = (time.perf_counter() - started) / repeats
                row["decoded_bytes"] = int(arr.nbytes)
        except Exception as exc:  # noqa: BLE001
            row["decode_error"] = f"{type(exc).__name__}: {exc}"
        out["files"].append(row)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
