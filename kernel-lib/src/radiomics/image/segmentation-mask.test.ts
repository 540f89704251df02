import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type * as dcmjs from "dcmjs";
import { describe, expect, it } from "vitest";
import {
  readSegmentation,
  SegmentationError,
  writeSegmentation,
  type BinarySegmentation,
  type Segment,
} from "../../curation/dicom-seg";
import { readDicom } from "../../dicom/read";
import { DICOM_DATA } from "../../dicom/test-support/corpus";
import { writeDicom } from "../../dicom/write";
import { temporaryDirectories } from "../test-support/scratch";
import { rejected } from "../test-support/thrown";
import { readDicomSeries } from "./dicom-series";
import { segmentationMask, type SegmentationTarget } from "./segmentation-mask";
import { IDENTITY_DIRECTION, maskVoxelCount, type Mask, type Triple } from "./volume";

/**
 * pydicom's liver.dcm (dcmqi): one segment, 1 "Liver", three 512 x 512 BINARY frames at
 * z = -128.69, -127.69 and -126.69 mm, x = -235.2, y = -226.8, identity orientation, pixel spacing
 * 0.810547 mm, frame of reference 1.2.392.200103.20080913.113635.3.2009.6.22.21.44.34.23882.1. The CT
 * it segments is not in the corpus: the tests use grids derived from the SEG itself.
 */
const PYDICOM_DATA = path.join(DICOM_DATA, "pydicom/pydicom-data");
const LIVER = path.join(PYDICOM_DATA, "liver.dcm");
const FRAME_OF_REFERENCE = "1.2.392.200103.20080913.113635.3.2009.6.22.21.44.34.23882.1";
const PIXELS = 0.810547;
const FRAME_COUNTS = [36233, 35645, 35220];

function liverGrid(shift: Triple = [0, 0, 0], dims: Triple = [512, 512, 3], spacing = PIXELS): SegmentationTarget {
  return {
    dims,
    spacing: [spacing, spacing, 1],
    origin: [-235.2 - shift[0] * PIXELS, -226.8 - shift[1] * PIXELS, -128.69 - shift[2]],
    direction: IDENTITY_DIRECTION,
  };
}

function sliceCounts(mask: Mask): number[] {
  const size = mask.dims[0] * mask.dims[1];
  return Array.from({ length: mask.dims[2] }, (_, k) =>
    mask.data.subarray(k * size, (k + 1) * size).reduce((n, v) => n + v, 0),
  );
}

/** Whether two byte arrays are equal (vitest's deep equality is slow on large typed arrays). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

async function liverFrames(): Promise<Uint8Array[]> {
  const seg = (await readSegmentation(readFileSync(LIVER), { file: LIVER })) as BinarySegmentation;
  return seg.frames.map((f) => f.mask.data);
}

const scratch = temporaryDirectories("radlab-seg-");

/** liver.dcm with its dataset edited, written to a temporary file. */
function editedLiver(edit: (dict: dcmjs.DcmjsDict) => void): string {
  const ds = readDicom(readFileSync(LIVER), { file: LIVER });
  edit(ds.dict);
  const dir = scratch();
  const file = path.join(dir, "liver-edited.dcm");
  writeFileSync(file, writeDicom(ds));
  return file;
}

describe("segmentationMask", () => {
  it("places the three liver frames on the grid they define", async () => {
    const image = { ...liverGrid(), frameOfReferenceUid: FRAME_OF_REFERENCE };
    const mask = await segmentationMask(LIVER, image, 1);
    expect(sliceCounts(mask)).toEqual(FRAME_COUNTS);
    expect(maskVoxelCount(mask)).toBe(107098);
    expect([mask.dims, mask.spacing, mask.origin, mask.direction, mask.source]).toEqual([
      image.dims,
      image.spacing,
      image.origin,
      image.direction,
      LIVER,
    ]);
    const frames = await liverFrames();
    const size = 512 * 512;
    expect(frames.map((frame, k) => sameBytes(mask.data.subarray(k * size, (k + 1) * size), frame))).toEqual([
      true,
      true,
      true,
    ]);
    expect(sameBytes((await segmentationMask(LIVER, image, "Liver")).data, mask.data)).toBe(true);
  });

  it("places frames by position on a larger grid: slice and pixel offsets", async () => {
    // One slice more below and above, 10 columns more on the left, 5 rows more at the top.
    const mask = await segmentationMask(LIVER, liverGrid([10, 5, 1], [530, 520, 5]), "Liver");
    expect(sliceCounts(mask)).toEqual([0, ...FRAME_COUNTS, 0]);
    const frames = await liverFrames();
    const size = 530 * 520;
    let mismatches = 0;
    frames.forEach((frame, f) => {
      for (let r = 0; r < 512; r++) {
        for (let c = 0; c < 512; c++) {
          if (mask.data[(f + 1) * size + (r + 5) * 530 + (c + 10)] !== frame[r * 512 + c]) mismatches++;
        }
      }
    });
    expect(mismatches).toBe(0);
  });

  it("reads the other encodings of the same segmentation alike", async () => {
    const reference = (await segmentationMask(LIVER, liverGrid(), 1)).data;
    for (const name of ["liver_rle.dcm", "liver_deflate.dcm", "liver_expb.dcm"]) {
      expect(sameBytes((await segmentationMask(path.join(PYDICOM_DATA, name), liverGrid(), 1)).data, reference)).toBe(
        true,
      );
    }
  });

  it("thresholds a FRACTIONAL segmentation at a fraction of its maximum value", async () => {
    // The liver as probabilities: 200 / 255 inside, 100 / 255 outside.
    const frames = await liverFrames();
    const values = new Uint8Array(3 * 512 * 512);
    frames.forEach((frame, f) => frame.forEach((v, p) => (values[f * 512 * 512 + p] = v === 1 ? 200 : 100)));
    const file = editedLiver((dict) => {
      dict["00620001"] = { vr: "CS", Value: ["FRACTIONAL"] };
      dict["00620010"] = { vr: "CS", Value: ["PROBABILITY"] };
      dict["0062000E"] = { vr: "US", Value: [255] };
      dict["00280100"] = { vr: "US", Value: [8] };
      dict["00280101"] = { vr: "US", Value: [8] };
      dict["00280102"] = { vr: "US", Value: [7] };
      dict["7FE00010"] = { vr: "OB", Value: [values.buffer] };
    });
    expect(sliceCounts(await segmentationMask(file, liverGrid(), 1))).toEqual(FRAME_COUNTS);
    // 100 / 255 = 0.392: in from a threshold of 0.39, out from 0.4.
    expect(maskVoxelCount(await segmentationMask(file, liverGrid(), 1, { fractionalThreshold: 0.39 }))).toBe(
      3 * 512 * 512,
    );
    expect(sliceCounts(await segmentationMask(file, liverGrid(), 1, { fractionalThreshold: 0.4 }))).toEqual(
      FRAME_COUNTS,
    );
    const none = await rejected(() => segmentationMask(file, liverGrid(), 1, { fractionalThreshold: 0.8 }));
    expect([none.code, none.hint]).toEqual([
      "empty-roi",
      "Lower options.fractionalThreshold, or pick another segment.",
    ]);
    const bad = await rejected(() => segmentationMask(file, liverGrid(), 1, { fractionalThreshold: 0 }));
    expect([bad.code, bad.evidence.path]).toEqual(["settings", "options.fractionalThreshold"]);
  });

  it("matches frames without a position to slices by their source images", async () => {
    const file = editedLiver((dict) => {
      for (const item of dict["52009230"]!.Value as dcmjs.DcmjsDict[]) delete item["00209113"];
      delete dict["00200052"];
    });
    // The slices listed in reverse: frame 3's source image is slice 0.
    const sources = [
      "1.2.392.200103.20080913.113635.2.2009.6.22.21.43.10.23431.1",
      "1.2.392.200103.20080913.113635.2.2009.6.22.21.43.10.23432.1",
      "1.2.392.200103.20080913.113635.2.2009.6.22.21.43.10.23433.1",
    ];
    const image = { ...liverGrid(), slices: sources.map((sopInstanceUid) => ({ sopInstanceUid, frame: 0 })) };
    const mask = await segmentationMask(file, image, 1);
    expect(sliceCounts(mask)).toEqual([...FRAME_COUNTS].reverse());
    const unmatched = await rejected(() => segmentationMask(file, { ...image, slices: image.slices.slice(1) }, 1));
    expect(unmatched.code).toBe("geometry");
    expect(unmatched.message).toMatch(
      /^Frame 3 of liver-edited.dcm has no plane position and its source image 1.2.392.200103.20080913.113635.2.2009.6.22.21.43.10.23431.1 is not a slice of the image\n/,
    );
    const unlisted = await rejected(() => segmentationMask(file, liverGrid(), 1));
    expect(unlisted.message).toMatch(
      /has no plane position, and the image grid does not list the instances of its slices/,
    );
  });
});

describe("segmentationMask on a readDicomSeries volume", () => {
  it("puts back the masks of a segmentation written for the series", async () => {
    const ct = await readDicomSeries(path.join(DICOM_DATA, "pydicom/test_files/dicomdirtests/98892001/CT5N"));
    const segment = (number: number, label: string): Segment => ({
      number,
      label,
      algorithmType: "MANUAL",
      category: { value: "49755003", scheme: "SCT", meaning: "Morphologically Altered Structure" },
      type: { value: "27925004", scheme: "SCT", meaning: "Nodule" },
    });
    // Segment 1: a 3 x 2 block on slices 1 and 3; segment 2: the whole of slice 4.
    const block = new Uint8Array(256);
    for (const r of [4, 5]) for (const c of [6, 7, 8]) block[r * 16 + c] = 1;
    const full = new Uint8Array(256).fill(1);
    const frame = (number: number, k: number, data: Uint8Array) => ({
      segment: number,
      mask: { rows: 16, columns: 16, data },
      imagePositionPatient: ct.slices[k]!.position,
    });
    const bytes = writeSegmentation({
      study: { studyInstanceUid: "1.2.826.0.1.3680043.8.498.2" },
      frameOfReferenceUid: ct.frameOfReferenceUid!,
      rows: 16,
      columns: 16,
      imageOrientationPatient: [1, 0, 0, 0, 1, 0],
      pixelSpacing: [0.488281, 0.488281],
      sliceThickness: 2.5,
      segments: [segment(1, "Nodule"), segment(2, "Slab")],
      frames: [frame(1, 3, block), frame(1, 1, block), frame(2, 4, full)],
    });
    const dir = scratch();
    const file = path.join(dir, "ct5n-seg.dcm");
    writeFileSync(file, bytes);
    const nodule = await segmentationMask(file, ct, "Nodule");
    expect(sliceCounts(nodule)).toEqual([0, 6, 0, 6, 0]);
    expect(sameBytes(nodule.data.subarray(256, 512), block)).toBe(true);
    expect(sliceCounts(await segmentationMask(file, ct, 2))).toEqual([0, 0, 0, 0, 256]);
  });
});

describe("segmentationMask refuses", () => {
  it("an unknown segment, naming those there are", async () => {
    const byNumber = await rejected(() => segmentationMask(LIVER, liverGrid(), 2));
    expect(byNumber.code).toBe("input");
    expect(byNumber.message.split("\n")[0]).toBe('liver.dcm has no segment number 2; it holds 1 "Liver"');
    const byLabel = await rejected(() => segmentationMask(LIVER, liverGrid(), "liver"));
    expect(byLabel.message.split("\n")[0]).toBe('liver.dcm has no segment labelled "liver"; it holds 1 "Liver"');
    expect(byLabel.evidence.tag).toBe("(0062,0005) Segment Label");
  });

  it("a grid of another pixel spacing or orientation", async () => {
    const error = await rejected(() => segmentationMask(LIVER, liverGrid([0, 0, 0], [512, 512, 3], 0.9), 1));
    expect(error.code).toBe("geometry");
    expect(error.message).toMatch(
      /^The pixels of liver.dcm are not on the image's pixel grid: its orientation \[1, 0, 0, 0, 1, 0\] and pixel spacing \[0.810547, 0.810547\] do not match the image's direction \[1, 0, 0, 0, 1, 0, 0, 0, 1\] and spacing \[0.9, 0.9, 1\]\n/,
    );
    const flipped = { ...liverGrid(), direction: [-1, 0, 0, 0, -1, 0, 0, 0, 1] };
    expect((await rejected(() => segmentationMask(LIVER, flipped, 1))).message).toMatch(
      /are not on the image's pixel grid/,
    );
  });

  it("frames between the voxels or outside the slices", async () => {
    const between = await rejected(() => segmentationMask(LIVER, liverGrid([0, 0, 0.5]), 1));
    expect(between.code).toBe("geometry");
    expect(between.message.split("\n")[0]).toBe(
      "Frame 1 of liver.dcm at [-235.2, -226.8, -128.69] mm lies between the voxels of the image (at voxel [0, 0, 0.5]; k from 0 to 2)",
    );
    const outside = await rejected(() => segmentationMask(LIVER, liverGrid([0, 0, 0], [512, 512, 2]), 1));
    expect(outside.message.split("\n")[0]).toBe(
      "Frame 3 of liver.dcm at [-235.2, -226.8, -126.69] mm lies outside the slices of the image (at voxel [0, 0, 2]; k from 0 to 1)",
    );
    // A grid without the first 100 columns: the liver's pixels in those columns would be lost.
    const cropped = await rejected(() => segmentationMask(LIVER, liverGrid([-100, 0, 0], [412, 512, 3]), 1));
    expect(cropped.message).toMatch(
      /^5739 pixel\(s\) of segment 1 "Liver" of liver.dcm fall outside the image grid \(412 x 512 x 3\)\n/,
    );
  });

  it("another frame of reference", async () => {
    const error = await rejected(() => segmentationMask(LIVER, { ...liverGrid(), frameOfReferenceUid: "1.2.3" }, 1));
    expect(error.code).toBe("geometry");
    expect(error.message).toMatch(
      new RegExp(
        `^liver.dcm is in frame of reference ${FRAME_OF_REFERENCE.replace(/\./g, "\\.")}, the image in 1\\.2\\.3\\n`,
      ),
    );
  });

  it("files that are not segmentations, and bad options", async () => {
    const ct = path.join(DICOM_DATA, "pydicom/test_files/CT_small.dcm");
    const notSeg = await rejected(() => segmentationMask(ct, liverGrid(), 1));
    expect(notSeg.code).toBe("input");
    expect(notSeg.cause).toBeInstanceOf(SegmentationError);
    expect(notSeg.message).toMatch(/^Cannot read .*CT_small.dcm as a segmentation: .* is not a segmentation/);
    const missing = await rejected(() => segmentationMask(path.join(DICOM_DATA, "no-such.dcm"), liverGrid(), 1));
    expect(missing.message).toMatch(/no such file/);
    const threshold = await rejected(() => segmentationMask(LIVER, liverGrid(), 1, { fractionalThreshold: 0.5 }));
    expect([threshold.code, threshold.evidence.path]).toEqual(["settings", "options.fractionalThreshold"]);
    const tolerance = await rejected(() => segmentationMask(LIVER, liverGrid(), 1, { tolerance: 0.7 }));
    expect([tolerance.code, tolerance.evidence.path]).toEqual(["settings", "options.tolerance"]);
  });
});
