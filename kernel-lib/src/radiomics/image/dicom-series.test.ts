import { copyFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { decodeFrame } from "../../dicom/pixels/decode-frame";
import { modalityValues } from "../../dicom/pixels/lut";
import { readDicomFile } from "../../dicom/read";
import { DICOM_DATA } from "../../dicom/test-support/corpus";
import { writeDicom } from "../../dicom/write";
import { temporaryDirectories } from "../test-support/scratch";
import { rejected } from "../test-support/thrown";
import { readDicomSeries } from "./dicom-series";

const PYDICOM = path.join(DICOM_DATA, "pydicom");
const CT5N = path.join(PYDICOM, "test_files/dicomdirtests/98892001/CT5N");
const MR2 = path.join(PYDICOM, "test_files/dicomdirtests/98892003/MR2");
const CT2 = path.join(PYDICOM, "test_files/dicomdirtests/77654033/CT2");
const ENHANCED_CT = path.join(PYDICOM, "pydicom-data/eCT_Supplemental.dcm");
const ENHANCED_MR = path.join(PYDICOM, "pydicom-data/emri_small.dcm");

const scratch = temporaryDirectories("radlab-series-");

/** CT5N copied into a new folder, each file edited by `edit(dict, name)` (return false to leave it out). */
function editedCt5n(edit: (dict: Record<string, { vr: string; Value?: unknown[] }>, name: string) => void): string {
  const dir = scratch();
  for (const name of ["2062", "2392", "2693", "3023", "3353"]) {
    const ds = readDicomFile(path.join(CT5N, name));
    edit(ds.dict as Record<string, { vr: string; Value?: unknown[] }>, name);
    writeFileSync(path.join(dir, name), writeDicom(ds));
  }
  return dir;
}

describe("readDicomSeries", () => {
  it("stacks the CT5N slices by position along the normal, in Hounsfield units", async () => {
    const ct = await readDicomSeries(CT5N);
    expect(ct.dims).toEqual([16, 16, 5]);
    expect(ct.spacing).toEqual([0.488281, 0.488281, 2.5]);
    // The lowest slice along +z (3353, at z = -1.2375) comes first, although its file sorts last.
    expect(ct.origin).toEqual([-72.199997, -143, -1.2375]);
    expect(ct.direction).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(ct.slices.map((s) => path.basename(s.file))).toEqual(["3353", "3023", "2693", "2392", "2062"]);
    expect(ct.slices.map((s) => s.position[2])).toEqual([-1.2375, 1.2625, 3.7625, 6.2625, 8.7625]);
    expect(ct.slices.every((s) => s.rescaleSlope === 1 && s.rescaleIntercept === -1024 && s.frame === 0)).toBe(true);
    expect(ct.seriesInstanceUid).toBe("1.3.6.1.4.1.5962.1.1.0.0.0.1194734704.16302.0.6");
    expect(ct.frameOfReferenceUid).toBe("1.3.6.1.4.1.5962.1.1.0.0.0.1194734704.16302.0.4");
    expect([ct.modality, ct.units, ct.source]).toEqual(["CT", "HU", CT5N]);
    expect(ct.warnings).toEqual([]);
    expect(ct.skipped).toEqual([]);
    expect(ct.data.length).toBe(16 * 16 * 5);
    expect(Array.from(ct.data.subarray(0, 4))).toEqual([-33, -25, -22, -22]);
    // Each slice holds the modality values of its file, computed independently by the DICOM library.
    for (const [k, slice] of ct.slices.entries()) {
      const ds = readDicomFile(slice.file);
      const expected = modalityValues(ds, await decodeFrame(ds, 0));
      expect(Array.from(ct.data.subarray(k * 256, (k + 1) * 256))).toEqual(Array.from(expected));
    }
  });

  it("gives the same volume for the files in any order", async () => {
    const fromFolder = await readDicomSeries(CT5N);
    const files = ["2693", "2062", "3353", "2392", "3023"].map((f) => path.join(CT5N, f));
    const fromFiles = await readDicomSeries(files);
    expect(fromFiles.data).toEqual(fromFolder.data);
    expect([fromFiles.origin, fromFiles.spacing, fromFiles.direction]).toEqual([
      fromFolder.origin,
      fromFolder.spacing,
      fromFolder.direction,
    ]);
    expect(fromFiles.source).toBe(path.join(CT5N, "3353"));
  });

  it("reads an enhanced CT frame by frame from its functional groups", async () => {
    const ct = await readDicomSeries(ENHANCED_CT);
    expect(ct.dims).toEqual([512, 512, 2]);
    expect(ct.spacing).toEqual([0.388672, 0.388672, 10]);
    // Rows along -x, columns along +y: the normal is -z, so frame 2 (z = -149) is the lower one along it.
    expect(ct.direction).toEqual([-1, 0, 0, 0, 1, 0, 0, 0, -1]);
    expect(ct.origin).toEqual([99.5, -301.5, -149]);
    expect(ct.slices.map((s) => [s.frame, s.position[2], s.rescaleIntercept])).toEqual([
      [1, -149, -1024],
      [0, -159, -1024],
    ]);
    // (0028,9145) Pixel Value Transformation: slope 1, intercept -1024, Rescale Type US (unspecified).
    expect(ct.units).toBe("US");
    const ds = readDicomFile(ENHANCED_CT);
    for (const [k, frame] of [1, 0].entries()) {
      const stored = (await decodeFrame(ds, frame)).samples;
      const slice = ct.data.subarray(k * 512 * 512, (k + 1) * 512 * 512);
      expect(slice.every((v, p) => v === stored[p]! - 1024)).toBe(true);
    }
  });

  it("reads one slice, and a radiograph without the Image Plane module with warnings", async () => {
    const ct = await readDicomSeries(path.join(PYDICOM, "test_files/CT_small.dcm"));
    expect([ct.dims, ct.spacing, ct.origin]).toEqual([
      [128, 128, 1],
      [0.661468, 0.661468, 5],
      [-158.135803, -179.035797, -75.699997],
    ]);
    expect(ct.warnings).toEqual([]);
    const cr = await readDicomSeries(path.join(PYDICOM, "test_files/dicomdirtests/77654033/CR1/6154"));
    expect([cr.dims, cr.spacing, cr.origin, cr.direction]).toEqual([
      [16, 16, 1],
      [0.1, 0.1, 1],
      [0, 0, 0],
      [1, 0, 0, 0, 1, 0, 0, 0, 1],
    ]);
    // (0028,1054) Rescale Type OD: optical density.
    expect(cr.units).toBe("OD");
    expect(cr.slices[0]!.rescaleSlope).toBe(0.684);
    expect(cr.warnings).toEqual([
      "6154 has no Image Plane module ((0020,0032) Image Position (Patient), (0020,0037) Image Orientation (Patient)): placed at the origin with the identity direction",
      "one slice without (0018,0050) Slice Thickness: its spacing along k is taken as 1 mm",
    ]);
  });

  it("picks one series of a folder, with the direction of a sagittal localizer", async () => {
    const mr = await readDicomSeries(MR2, { seriesInstanceUid: "1.3.6.1.4.1.5962.1.1.0.0.0.1196533885.18148.0.481" });
    expect([mr.dims, mr.spacing, mr.origin]).toEqual([
      [16, 16, 1],
      [1.367188, 1.367188, 10],
      [0, -175, 175],
    ]);
    // Rows along +y, columns along -z, normal (row x column) along -x.
    expect(mr.direction).toEqual([0, 0, -1, 1, 0, 0, 0, -1, 0]);
    expect(mr.skipped.map((s) => [path.basename(s.file), s.reason])).toEqual([
      ["4950", "another series (1.3.6.1.4.1.5962.1.1.0.0.0.1196533885.18148.0.136)"],
      ["4981", "another series (1.3.6.1.4.1.5962.1.1.0.0.0.1196533885.18148.0.136)"],
      ["5011", "another series (1.3.6.1.4.1.5962.1.1.0.0.0.1196533885.18148.0.136)"],
      ["6273", "another series (1.3.6.1.4.1.5962.1.1.0.0.0.1196533885.18148.0.17)"],
      ["6605", "another series (1.3.6.1.4.1.5962.1.1.0.0.0.1196533885.18148.0.17)"],
      ["6935", "another series (1.3.6.1.4.1.5962.1.1.0.0.0.1196533885.18148.0.17)"],
    ]);
  });

  it("lists the files it skips in a folder", async () => {
    const dir = scratch();
    for (const name of ["2062", "2392"]) copyFileSync(path.join(CT5N, name), path.join(dir, name));
    writeFileSync(path.join(dir, "notes.txt"), "not DICOM");
    copyFileSync(path.join(PYDICOM, "test_files/rtstruct.dcm"), path.join(dir, "rtstruct.dcm"));
    copyFileSync(path.join(PYDICOM, "pydicom-data/liver.dcm"), path.join(dir, "liver.dcm"));
    const ct = await readDicomSeries(dir);
    expect(ct.dims).toEqual([16, 16, 2]);
    expect(ct.skipped.map((s) => path.basename(s.file))).toEqual(["liver.dcm", "notes.txt", "rtstruct.dcm"]);
    expect(ct.skipped[0]!.reason).toBe("a DICOM SEG");
    expect(ct.skipped[1]!.reason).toMatch(/is not a DICOM file/);
    expect(ct.skipped[2]!.reason).toBe("no (0028,0010) Rows (RTSTRUCT)");
  });

  it("reports small irregularities of the slice gaps in warnings", async () => {
    // 3023 moves 0.01 mm (0.4 % of the 2.5 mm gap): within the 1 % tolerance.
    const dir = editedCt5n((dict, name) => {
      if (name === "3023") dict["00200032"]!.Value = [-72.199997, -143, 1.2725];
    });
    const ct = await readDicomSeries(dir);
    expect(ct.spacing[2]).toBeCloseTo(2.5, 12);
    expect(ct.warnings).toEqual(["slice gaps vary from 2.49 to 2.51 mm; the volume uses their mean, 2.5 mm"]);
  });
});

describe("readDicomSeries refuses", () => {
  it("several series, naming each UID and its files", async () => {
    const error = await rejected(() => readDicomSeries(MR2));
    expect(error.code).toBe("input");
    expect(error.evidence.tag).toBe("(0020,000E) Series Instance UID");
    expect(error.message).toContain(
      "holds 3 series, not one: 1.3.6.1.4.1.5962.1.1.0.0.0.1196533885.18148.0.481 [MR, FAST LOCALIZER]: 1 file(s) 15970; " +
        "1.3.6.1.4.1.5962.1.1.0.0.0.1196533885.18148.0.136 [MR, T/S/C RF FAST PILOT]: 3 file(s) 4950, 4981, 5011; " +
        "1.3.6.1.4.1.5962.1.1.0.0.0.1196533885.18148.0.17 [MR, T/S/C RF FAST PILOT]: 3 file(s) 6273, 6605, 6935",
    );
    expect(error.hint).toBe(
      "Read one series at a time: pass options.seriesInstanceUid, or only the files of that series.",
    );
    const files = ["15970", "4950"].map((f) => path.join(MR2, f));
    expect((await rejected(() => readDicomSeries(files))).message).toMatch(/^The files hold 2 series, not one: /);
  });

  it("a series UID that is not there, listing those that are", async () => {
    const error = await rejected(() => readDicomSeries(CT5N, { seriesInstanceUid: "1.2.3" }));
    expect(error.code).toBe("input");
    expect(error.message).toContain(
      "belongs to series 1.2.3; it holds 1.3.6.1.4.1.5962.1.1.0.0.0.1194734704.16302.0.6 [CT, SmartScore - Gated 0.5 sec]: 5 file(s) 2062, 2392, 2693, 3023, 3353",
    );
  });

  it("slices of several orientations (a tri-planar localizer)", async () => {
    const error = await rejected(() =>
      readDicomSeries(MR2, { seriesInstanceUid: "1.3.6.1.4.1.5962.1.1.0.0.0.1196533885.18148.0.136" }),
    );
    expect(error.code).toBe("input");
    expect(error.evidence.tag).toBe("(0020,0037) Image Orientation (Patient)");
    expect(error.message).toContain(
      "differ in orientation: [1, 0, 0, 0, 0, -1] in 4950; [1, 0, 0, 0, 1, 0] in 4981; [0, 1, 0, 0, 0, -1] in 5011",
    );
  });

  it("uneven slice gaps, naming the slices and the gaps", async () => {
    const error = await rejected(() => readDicomSeries(CT2));
    expect(error.code).toBe("geometry");
    expect(error.message).toBe(
      "The slices of series 1.3.6.1.4.1.5962.1.1.0.0.0.1196530851.28319.0.2 are not evenly spaced: the usual gap is 1.25 mm, " +
        "but 202.5 mm between slice 0 (17106, -99.48 mm) and slice 1 (17136, 103.02 mm) (162 x the usual gap: 161 slice(s) missing?)" +
        "\nHow to fix: Check that every file of the series is there (a missing file leaves a double gap); a scan with variable spacing must be resampled onto a uniform grid (for example with dcm2niix or SimpleITK) before radiomics. options.spacingTolerance sets how much gaps may differ.",
    );
  });

  it("a missing slice", async () => {
    const files = ["2062", "2392", "3023", "3353"].map((f) => path.join(CT5N, f));
    const error = await rejected(() => readDicomSeries(files));
    expect(error.code).toBe("geometry");
    expect(error.message).toContain(
      "the usual gap is 2.5 mm, but 5 mm between slice 1 (3023, 1.2625 mm) and slice 2 (2392, 6.2625 mm) (2 x the usual gap: 1 slice(s) missing?)",
    );
  });

  it("two slices at one position, naming both files", async () => {
    const dir = scratch();
    for (const name of ["2062", "2392", "2693"]) copyFileSync(path.join(CT5N, name), path.join(dir, name));
    const copy = readDicomFile(path.join(CT5N, "2392"));
    copy.dict["00080018"] = { vr: "UI", Value: ["1.2.826.0.1.3680043.8.498.1"] };
    copy.dict["00180086"] = { vr: "IS", Value: [2] };
    writeFileSync(path.join(dir, "2392-echo2"), writeDicom(copy));
    const error = await rejected(() => readDicomSeries(dir));
    expect(error.code).toBe("input");
    expect(error.message).toMatch(
      /^1 pair\(s\) of slices share a position along the slice normal: 2392 and 2392-echo2 at 6.2625 mm\n/,
    );
    expect(error.hint).toMatch(/^Two images at one position are two echoes, time points, stacks or acquisitions/);
  });

  it("slices without a position", async () => {
    const dir = editedCt5n((dict, name) => {
      if (name === "2693" || name === "3353") delete dict["00200032"];
    });
    const error = await rejected(() => readDicomSeries(dir));
    expect(error.code).toBe("input");
    expect(error.message).toMatch(/^2 of 5 slices have no \(0020,0032\) Image Position \(Patient\): 2693, 3353\n/);
  });

  it("enhanced frames without plane positions", async () => {
    const error = await rejected(() => readDicomSeries(ENHANCED_MR));
    expect(error.code).toBe("input");
    expect(error.message).toMatch(
      /^10 of 10 slices have no \(0020,0032\) Image Position \(Patient\): emri_small.dcm frame 1, emri_small.dcm frame 2, .* and 2 more\n/,
    );
  });

  it("slices that drift within their plane (gantry tilt)", async () => {
    const tilt: Record<string, number> = { "3353": 0, "3023": 1, "2693": 2, "2392": 3, "2062": 4 };
    const dir = editedCt5n((dict, name) => {
      const p = dict["00200032"]!.Value as number[];
      dict["00200032"]!.Value = [p[0]!, p[1]! + 0.5 * tilt[name]!, p[2]!];
    });
    const error = await rejected(() => readDicomSeries(dir));
    expect(error.code).toBe("unsupported");
    expect(error.message).toMatch(
      /not stacked along their normal: slice 1 \(3023, 1.2625 mm\) is offset 0.5 mm within the image plane from slice 0 \(3353, -1.2375 mm\)/,
    );
  });

  it("slices of different sizes or pixel spacings, and colour images", async () => {
    const resized = editedCt5n((dict, name) => {
      if (name === "2062") dict["00280010"]!.Value = [8];
    });
    const sizes = await rejected(() => readDicomSeries(resized));
    expect([sizes.code, sizes.evidence.tag]).toEqual(["input", "(0028,0010) Rows"]);
    expect(sizes.message).toMatch(/differ in size: 16 x 8 in 2062; 16 x 16 in 2392, 2693, 3023, 3353\n/);
    const dir = editedCt5n((dict, name) => {
      if (name === "2062") dict["00280030"]!.Value = [0.5, 0.5];
    });
    const spacing = await rejected(() => readDicomSeries(dir));
    expect(spacing.code).toBe("input");
    expect(spacing.message).toMatch(
      /differ in pixel spacing: \[0.5, 0.5\] in 2062; \[0.488281, 0.488281\] in 2392, 2693, 3023, 3353\n/,
    );
    const colour = await rejected(() => readDicomSeries(path.join(PYDICOM, "pydicom-data/SC_rgb.dcm")));
    expect(colour.code).toBe("unsupported");
    expect(colour.message).toMatch(/is a colour image \(\(0028,0002\) Samples per Pixel 3\)/);
  });

  it("files that are not images, missing paths, empty lists and bad tolerances", async () => {
    const rt = await rejected(() => readDicomSeries([path.join(PYDICOM, "test_files/rtstruct.dcm")]));
    expect([rt.code, rt.message.split("\n")[0]]).toEqual([
      "input",
      `${path.join(PYDICOM, "test_files/rtstruct.dcm")} is not an image to stack: no (0028,0010) Rows (RTSTRUCT)`,
    ]);
    const seg = await rejected(() => readDicomSeries([path.join(PYDICOM, "pydicom-data/liver.dcm")]));
    expect(seg.message).toMatch(
      /is not an image to stack: a DICOM SEG\nHow to fix: Read segmentations with segmentationMask/,
    );
    const text = await rejected(() => readDicomSeries([path.join(PYDICOM, "test_files/dicomdirtests/README.txt")]));
    expect(text.code).toBe("input");
    expect(text.cause).toBeDefined();
    const none = await rejected(() => readDicomSeries(path.join(PYDICOM, "no-such-folder")));
    expect([none.code, none.evidence.file]).toEqual(["input", path.join(PYDICOM, "no-such-folder")]);
    const empty = await rejected(() => readDicomSeries(path.join(PYDICOM, "test_files/dicomdirtests")));
    expect(empty.code).toBe("input");
    expect(empty.message).toMatch(
      /holds no DICOM image\nHow to fix: Every file was skipped: DICOMDIR \(no \(0028,0010\) Rows/,
    );
    expect((await rejected(() => readDicomSeries([]))).code).toBe("settings");
    const tolerance = await rejected(() => readDicomSeries(CT5N, { spacingTolerance: -1 }));
    expect([tolerance.code, tolerance.evidence.path]).toEqual(["settings", "options.spacingTolerance"]);
  });
});
