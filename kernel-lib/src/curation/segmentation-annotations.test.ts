import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type ResearchStore } from "../store/research-store";
import { readSegmentation, writeSegmentation } from "./dicom-seg";
import { LabelSets } from "./label-sets";
import { annotationsFromSegmentation, segmentationFromAnnotations } from "./segmentation-annotations";

const DATA = path.resolve(__dirname, "../../../../shared/data");
const NIH = path.join(DATA, "cxr", "nih1000");

let store: ResearchStore;
let labels: LabelSets;
let sha: string;

beforeAll(async () => {
  const home = mkdtempSync(path.join(tmpdir(), "radlab-seg-store-"));
  const csv = readFileSync(path.join(NIH, "labels.csv"), "utf8").split("\n");
  writeFileSync(path.join(home, "labels.csv"), csv.slice(0, 3).join("\n"));
  store = await openStore({ home: path.join(home, "store") });
  await store.ingestImageFolder(NIH, {
    source: "NIH Clinical Center",
    labelsCsv: path.join(home, "labels.csv"),
    showProgress: false,
  });
  sha = String((await store.query("SELECT sha256 FROM instances ORDER BY sha256 LIMIT 1"))[0]?.["sha256"]);
  labels = new LabelSets(store.db, store.objects);
  await labels.define({ name: "lungs", kind: "masks", classes: ["left lung", "right lung"] }, { by: "ana" });
}, 60_000);

afterAll(async () => {
  await store.close();
});

/** Half of a 64 x 64 image: the left or right columns of rows 8 to 55. */
function half(side: "left" | "right"): Uint8Array {
  const mask = new Uint8Array(64 * 64);
  for (let y = 8; y < 56; y++)
    for (let x = side === "left" ? 4 : 34; x < (side === "left" ? 30 : 60); x++) mask[y * 64 + x] = 1;
  return mask;
}

describe("DICOM SEG and the store's mask annotations", () => {
  it("writes stored masks as a SEG and reads it back onto the same instance, exactly", async () => {
    await labels.annotate(
      (["left", "right"] as const).map((side) => ({
        sha256: sha,
        labelSet: "lungs",
        label: `${side} lung`,
        frame: 0,
        geometry: { kind: "mask" as const, mask: { rows: 64, columns: 64, data: half(side) } },
      })),
      { by: "ana" },
    );
    const stored = await labels.annotations(sha, { labelSet: "lungs" });
    const source = await store.dataset(sha);
    const input = segmentationFromAnnotations(stored, new Map([[sha, source]]), { contentLabel: "LUNGS" });
    expect(input.segments.map((s) => [s.number, s.label, s.category.meaning])).toEqual([
      [1, "left lung", "Anatomical Structure"],
      [2, "right lung", "Anatomical Structure"],
    ]);
    const seg = await readSegmentation(writeSegmentation(input), { file: "lungs-seg.dcm" });
    expect(seg.type).toBe("BINARY");
    if (seg.type !== "BINARY") return;
    expect(seg.study.studyInstanceUid).toBe(source.string("StudyInstanceUID"));
    expect(seg.frames.map((f) => f.sourceImages.map((s) => s.sopInstanceUid))).toEqual([
      [source.string("SOPInstanceUID")],
      [source.string("SOPInstanceUID")],
    ]);
    const { annotations, unmatched } = await annotationsFromSegmentation(store.db, seg, { labelSet: "lungs" });
    expect(unmatched).toEqual([]);
    expect(annotations.map((a) => [a.sha256, a.label, a.frame])).toEqual([
      [sha, "left lung", 0],
      [sha, "right lung", 0],
    ]);
    for (const a of annotations) {
      const original = stored.find((s) => s.label === a.label)?.geometry;
      expect(
        a.geometry.kind === "mask" &&
          original?.kind === "mask" &&
          Buffer.from(a.geometry.mask.data).equals(Buffer.from(original.mask.data)),
      ).toBe(true);
    }
    // Applying them again finds them present: the round trip reproduced the masks bit for bit.
    expect(
      await labels.applyImported(
        { choices: [], annotations: annotations.map((a) => ({ ...a, setBy: "ana" })) },
        { reason: "SEG" },
      ),
    ).toEqual({
      added: 0,
      removed: 0,
      regions: 0,
      regionsPresent: 2,
    });
  });

  it("names the frames of a SEG whose source images are not in the store", async () => {
    const seg = await readSegmentation(readFileSync(path.join(DATA, "dicom", "pydicom", "pydicom-data", "liver.dcm")));
    if (seg.type !== "BINARY") throw new Error("liver.dcm is a BINARY segmentation");
    const { annotations, unmatched } = await annotationsFromSegmentation(store.db, seg, { labelSet: "lungs" });
    expect(annotations).toEqual([]);
    expect(unmatched.map((u) => [u.frame, u.segment])).toEqual([
      [0, 1],
      [1, 1],
      [2, 1],
    ]);
    expect(unmatched[0]?.reason).toBe(
      `source image ${seg.frames[0]?.sourceImages[0]?.sopInstanceUid ?? ""} is not in the store`,
    );
  });

  it("refuses annotations that are not masks, or lack their source", async () => {
    const box = {
      sha256: sha,
      labelSet: "b",
      label: "x",
      frame: 0,
      geometry: { kind: "box" as const, x: 0, y: 0, width: 1, height: 1 },
    };
    expect(() => segmentationFromAnnotations([box], new Map())).toThrow(
      "These annotations cannot make one segmentation: annotation 0 is a box, not a mask; no mask annotations were given.",
    );
  });
});
