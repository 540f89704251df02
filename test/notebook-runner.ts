import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** The repository root. */
export const REPO = path.resolve(__dirname, "..");

/** What scripts/run_notebooks.py reports for one executed notebook. */
export interface NotebookReport {
  readonly notebook: string;
  readonly executed: string;
  readonly seconds: number;
  readonly errors: readonly { cell: number | null; ename: string; evalue: string; traceback: string }[];
  readonly mime_types: readonly string[];
  readonly expected_mime_types: readonly string[];
  readonly missing_mime_types: readonly string[];
  readonly results: readonly string[];
}

/**
 * Executes notebooks with nbclient in the project's tslab kernel (from .venv, set up by
 * `make setup`) and returns the reports and the exit status of the runner.
 */
export function runNotebooks(
  notebooks: readonly string[],
  outDir: string,
  env: Readonly<Record<string, string>> = {},
): { status: number | null; reports: NotebookReport[]; stderr: string } {
  const python = path.join(REPO, ".venv", "bin", "python");
  if (!fs.existsSync(python)) throw new Error(`No ${python}: run \`make setup\` first.`);
  const result = spawnSync(python, [path.join(REPO, "scripts", "run_notebooks.py"), "--out", outDir, ...notebooks], {
    cwd: REPO,
    encoding: "utf8",
    timeout: 1_800_000,
    // Notebooks with long work (training) run their short schedule in the tests; `make demo` the full one.
    env: { ...process.env, RADLAB_SCHEDULE: "short", ...env },
  });
  const reports = result.stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as NotebookReport);
  return { status: result.status, reports, stderr: result.stderr };
}
