#!/usr/bin/env python3
"""Execute notebooks headlessly with nbclient in the project's kernel, the way CI and `make demo` do.

For each notebook it writes the executed copy (and, with --html, an HTML copy) to --out, and prints
one JSON line summarising it: errors, the MIME types of every output, the expected MIME types from
the notebook's metadata (`metadata.radlab.expected_mime_types`) and the text of cells tagged `result`.
The exit status is 0 only when every notebook ran without an error output and showed every
expected MIME type.

Usage: run_notebooks.py [--out DIR] [--html] [--timeout SECONDS] NOTEBOOK...
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, DeadKernelError, CellTimeoutError


def stderr_text(cell: nbformat.NotebookNode) -> str:
    return "".join(
        "".join(o.get("text", "")) for o in cell.get("outputs", [])
        if o.get("output_type") == "stream" and o.get("name") == "stderr"
    )


ERROR_LINE = re.compile(r"^((?:[A-Za-z_$][\w$]*)?(?:Error|Exception)): (.*)$")


def parse_stderr_error(stderr: str) -> tuple[str, str]:
    """Finds `SomeError: message` in a stderr traceback; type errors (`1:7 - Type ...`) are kept whole."""
    for line in stderr.splitlines():
        match = ERROR_LINE.match(line.strip())
        if match:
            return match.group(1), match.group(2)
    return "ExecutionError", stderr[-4000:]


def summarise(nb: nbformat.NotebookNode, failed_cells: dict[int, dict]) -> dict:
    """Collects errors (error outputs, and cells whose execute_reply said "error": tslab reports
    exceptions and type errors only on stderr), output MIME types and `result`-tagged texts."""
    errors = []
    mime_types: set[str] = set()
    results = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        tags = cell.get("metadata", {}).get("tags", [])
        has_error_output = any(o.get("output_type") == "error" for o in cell.get("outputs", []))
        if index in failed_cells and not has_error_output:
            reply = failed_cells[index]
            stderr = stderr_text(cell).strip()
            ename, evalue = parse_stderr_error(stderr)
            errors.append({
                "cell": index,
                "ename": reply.get("ename") or ename,
                "evalue": reply.get("evalue") or evalue,
                "traceback": stderr[-4000:],
            })
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "error":
                errors.append({
                    "cell": index,
                    "ename": output.get("ename", ""),
                    "evalue": output.get("evalue", ""),
                    "traceback": "\n".join(output.get("traceback", []))[-4000:],
                })
            elif kind == "stream" and output.get("name") == "stderr":
                mime_types.add("stream/stderr")
            elif kind == "stream":
                mime_types.add("stream/stdout")
            if kind in ("display_data", "execute_result"):
                mime_types.update(output.get("data", {}).keys())
            if "result" in tags:
                text = output.get("text") or output.get("data", {}).get("text/plain")
                if text:
                    results.append("".join(text) if isinstance(text, list) else text)
    return {"errors": errors, "mime_types": sorted(mime_types), "results": results}


def run(path: Path, out: Path, html: bool, timeout: int) -> dict:
    nb = nbformat.read(path, as_version=4)
    kernel = nb.metadata.get("kernelspec", {}).get("name", "tslab")
    client = NotebookClient(
        nb,
        kernel_name=kernel,
        timeout=timeout,
        allow_errors=True,
        record_timing=True,
        resources={"metadata": {"path": str(path.parent.resolve())}},
    )
    failed_cells: dict[int, dict] = {}

    def on_cell_error(cell, cell_index, execute_reply):
        failed_cells[cell_index] = execute_reply.get("content", {})

    client.on_cell_error = on_cell_error
    started = time.monotonic()
    fatal = None
    try:
        client.execute()
    except (CellExecutionError, DeadKernelError, CellTimeoutError, RuntimeError) as exc:
        fatal = f"{type(exc).__name__}: {exc}"
    seconds = round(time.monotonic() - started, 1)
    out.mkdir(parents=True, exist_ok=True)
    executed = out / path.name
    nbformat.write(nb, executed)
    summary = summarise(nb, failed_cells)
    if fatal is not None:
        summary["errors"].append({"cell": None, "ename": "ExecutionAborted", "evalue": fatal, "traceback": ""})
    expected = nb.metadata.get("radlab", {}).get("expected_mime_types", [])
    missing = sorted(set(expected) - set(summary["mime_types"]))
    report = {
        "notebook": str(path),
        "kernel": kernel,
        "executed": str(executed),
        "seconds": seconds,
        "expected_mime_types": expected,
        "missing_mime_types": missing,
        **summary,
    }
    if html:
        from nbconvert import HTMLExporter

        body, _ = HTMLExporter().from_notebook_node(nb)
        html_path = out / (path.stem + ".html")
        html_path.write_text(body, encoding="utf-8")
        report["html"] = str(html_path)
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=Path("build/notebooks"))
    parser.add_argument("--html", action="store_true")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = parser.parse_args()
    ok = True
    for path in args.notebooks:
        if not path.is_file():
            print(json.dumps({"notebook": str(path), "errors": [{"cell": None, "ename": "FileNotFoundError",
                                                              "evalue": f"no notebook at {path}", "traceback": ""}]}))
            ok = False
            continue
        report = run(path, args.out, args.html, args.timeout)
        ok = ok and not report["errors"] and not report["missing_mime_types"]
        print(json.dumps(report), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
