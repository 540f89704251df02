import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../../..");
const BIN = path.join(ROOT, "kernel-lib/bin/radlab.js");
const CT = path.resolve(ROOT, "../shared/data/dicom/pydicom/test_files/CT_small.dcm");
const temp = fs.mkdtempSync(path.join(os.tmpdir(), "radlab-bin-"));

// The bin runs the compiled library, which `make test` builds first (as the store's crash test uses
// it too); building it here would race with other test files reading dist/.
beforeAll(() => {
  fs.mkdirSync(path.join(temp, "pulled"));
  fs.copyFileSync(CT, path.join(temp, "pulled", "CT_small.dcm"));
});

afterAll(() => {
  fs.rmSync(temp, { recursive: true, force: true });
});

describe("bin/radlab.js", () => {
  it("runs `radlab deid` as a process: summary on stdout, progress on stderr, status 0, and the process ends", () => {
    const run = spawnSync(process.execPath, [BIN, "deid", "pulled", "research"], {
      cwd: temp,
      encoding: "utf8",
      timeout: 60_000,
      env: {
        PATH: process.env["PATH"] ?? "",
        HOME: path.join(temp, "home"),
        RADLAB_DEID_KEY: "cd".repeat(32),
      },
    });
    expect(run.error).toBeUndefined();
    expect(run.status).toBe(0);
    expect(run.stdout.replace(/in \d+\.\d s/, "in N s")).toBe(
      "pulled: 1 files, 1 de-identified (0 with burned-in text masked), 0 already done, 0 quarantined in N s\n",
    );
    const reports = fs.readdirSync(path.join(temp, "home/.radlab/deid/reports"));
    expect(run.stderr.replace(/\d+:\d\d/g, "M:SS").replace(/in \d+\.\d s/, "in N s")).toBe(
      [
        "[..............................] De-identifying pulled: 0/1 files, M:SS elapsed",
        "[##############################] De-identifying pulled: 1/1 files in M:SS, succeeded (pulled: 1 files, " +
          "1 de-identified (0 with burned-in text masked), 0 already done, 0 quarantined in N s)",
        `Report: ${path.join(temp, "home/.radlab/deid/reports", reports[0] ?? "")}`,
        "",
      ].join("\n"),
    );
    // The default vault, beside the reports and apart from the output.
    expect(fs.statSync(path.join(temp, "home/.radlab/deid/reidentification.key")).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.join(temp, "research")).sort()).toEqual([
      "S001",
      "radlab-deid-audit.jsonl",
      "radlab-deid-manifest.jsonl",
    ]);
  }, 60_000);
});
