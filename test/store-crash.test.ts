import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import type * as Radlab from "@radlab/kernel";
import { REPO } from "./notebook-runner";

const NIH = path.resolve(REPO, "..", "shared", "data", "cxr", "nih1000");
const DIST = path.join(REPO, "kernel-lib", "dist", "index.js");

function countObjects(home: string): number {
  const root = path.join(home, "objects");
  if (!fs.existsSync(root)) return 0;
  let n = 0;
  for (const folder of fs.readdirSync(root)) {
    n += fs.readdirSync(path.join(root, folder)).filter((f) => f.endsWith(".dcm")).length;
  }
  return n;
}

describe("crash safety of ingest", () => {
  it("leaves a consistent store when the ingesting process is killed, and a re-run completes it", async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "radlab-crash-"));
    const script = `
      const radlab = require(${JSON.stringify(DIST)});
      radlab.openStore({ home: ${JSON.stringify(home)} }).then((store) =>
        store.ingestImageFolder(${JSON.stringify(NIH)}, { source: "NIH Clinical Center", labelsCsv: ${JSON.stringify(path.join(NIH, "labels.csv"))}, showProgress: false }));`;
    const child = spawn(process.execPath, ["-e", script], { stdio: "ignore" });
    // Kill it with SIGKILL once some, but not all, objects are written.
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (countObjects(home) >= 300) {
          clearInterval(timer);
          child.kill("SIGKILL");
        }
      }, 20);
      child.on("exit", () => {
        clearInterval(timer);
        resolve();
      });
      child.on("error", reject);
    });
    const radlab = (await import(DIST)) as typeof Radlab;
    const store = await radlab.openStore({ home });
    try {
      const rows = await store.query("SELECT sha256, object_path FROM instances");
      expect(rows.length).toBeLessThan(802);
      // Every stored row points at a complete object whose content has the row's hash.
      for (const row of rows) {
        const bytes = fs.readFileSync(path.join(home, String(row["object_path"])));
        expect(createHash("sha256").update(bytes).digest("hex")).toBe(row["sha256"]);
      }
      // Every label and series row belongs to a stored instance.
      expect(
        await store.query(
          "SELECT count(*) AS n FROM labels l LEFT JOIN instances i USING (sha256) WHERE i.sha256 IS NULL",
        ),
      ).toEqual([{ n: 0 }]);
      const rerun = await store.ingestImageFolder(NIH, {
        source: "NIH Clinical Center",
        labelsCsv: path.join(NIH, "labels.csv"),
        showProgress: false,
      });
      expect(rerun.added + rerun.duplicates).toBe(802);
      expect(rerun.duplicates).toBe(rows.length);
      expect(rerun.rejected).toEqual([]);
      expect((await store.query("SELECT count(*) AS n FROM instances"))[0]?.["n"]).toBe(802);
      expect(countObjects(home)).toBe(802);
    } finally {
      await store.close();
      fs.rmSync(home, { recursive: true, force: true });
    }
  }, 180_000);
});
