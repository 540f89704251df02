import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, runNotebooks } from "./notebook-runner";

const OUT = path.join(REPO, "build", "notebooks");
const notebooks = fs
  .readdirSync(path.join(REPO, "notebooks"))
  .filter((name) => name.endsWith(".ipynb"))
  .sort();

describe("every notebook in notebooks/ runs in the tslab kernel", () => {
  it("has notebooks to run", () => {
    expect(notebooks).toContain("getting-started.ipynb");
  });

  it.each(notebooks)("%s runs without an error output and shows its expected MIME types", (name) => {
    const { status, reports, stderr } = runNotebooks([path.join("notebooks", name)], OUT);
    const report = reports[0];
    expect(report, stderr).toBeDefined();
    expect(report?.errors).toEqual([]);
    expect(report?.expected_mime_types.length).toBeGreaterThan(0);
    expect(report?.missing_mime_types).toEqual([]);
    expect(status).toBe(0);
    expect(fs.existsSync(path.join(OUT, name))).toBe(true);
  });
});

describe("the chest X-ray exercise on the original exercise's folder layout", () => {
  it("runs unchanged on No-Finding/ and Pneumothorax/ folders of NIH-named PNGs (no labels CSV)", () => {
    // The original images are not on this machine: the same layout, made of nih1000 images.
    const folder = path.join(REPO, "build", "original-layout");
    fs.rmSync(folder, { recursive: true, force: true });
    const nih = path.resolve(REPO, "..", "shared", "data", "cxr", "nih1000", "images");
    for (const [from, to] of [
      ["0_normal", "No-Finding"],
      ["1_abnormal", "Pneumothorax"],
    ] as const) {
      fs.mkdirSync(path.join(folder, to), { recursive: true });
      for (const name of fs.readdirSync(path.join(nih, from)).sort().slice(0, 100)) {
        fs.copyFileSync(path.join(nih, from, name), path.join(folder, to, name));
      }
    }
    const { status, reports, stderr } = runNotebooks(
      ["notebooks/chest-xray-exercise.ipynb"],
      path.join(OUT, "original-layout"),
      {
        CXR_FOLDER: folder,
      },
    );
    expect(reports[0]?.errors, stderr).toEqual([]);
    expect(status).toBe(0);
    expect(reports[0]?.results.at(-1)).toMatch(/over \d+ images of \d+ patients/);
  });
});

describe("the notebook harness fails when it should", () => {
  it("reports a cell that throws, with the cell index and message, and exits 1", () => {
    const { status, reports } = runNotebooks(["test/fixtures/failing-cell.ipynb"], path.join(OUT, "fixtures"));
    expect(status).toBe(1);
    expect(reports[0]?.errors.map((e) => [e.cell, e.evalue])).toEqual([[1, "planted failure"]]);
  });

  it("reports a TypeScript type error as an error output", () => {
    const { status, reports } = runNotebooks(["test/fixtures/type-error.ipynb"], path.join(OUT, "fixtures"));
    expect(status).toBe(1);
    expect(reports[0]?.errors).toHaveLength(1);
    expect(reports[0]?.errors[0]?.cell).toBe(0);
    expect(reports[0]?.errors[0]?.evalue).toContain("Type 'string' is not assignable to type 'number'");
  });

  it("reports an expected MIME type that no output carried", () => {
    const { status, reports } = runNotebooks(["test/fixtures/missing-output.ipynb"], path.join(OUT, "fixtures"));
    expect(status).toBe(1);
    expect(reports[0]?.errors).toEqual([]);
    expect(reports[0]?.missing_mime_types).toEqual(["application/vnd.radlab.table+json"]);
  });
});
