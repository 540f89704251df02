import * as path from "node:path";
import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { DicomError } from "../dicom-errors";
import { readDicomFile } from "../read";
import { DICOM_DATA } from "../test-support/corpus";
import { decodeFrame } from "./decode-frame";
import { applyWindow, fileWindows, modalityValues } from "./lut";
import { encodePng, renderFrame } from "./render";

// Reference values below were computed with pydicom 3.0.1 (pixel_array, apply_modality_lut,
// apply_color_lut) on the same files.
const file = (p: string) => readDicomFile(path.join(DICOM_DATA, p));
const sum = (a: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] ?? 0;
  return s;
};

describe("native pixel data", () => {
  it("decodes a signed 16-bit CT exactly, and its modality LUT gives pydicom's Hounsfield units", async () => {
    const ds = file("pydicom/test_files/CT_small.dcm");
    const frame = await decodeFrame(ds);
    expect(frame.samples).toBeInstanceOf(Int16Array);
    expect(Array.from(frame.samples.subarray(0, 4))).toEqual([175, 180, 166, 143]);
    expect(sum(frame.samples)).toBe(14826310);
    const hu = modalityValues(ds, frame);
    expect([Math.min(...hu), Math.max(...hu), sum(hu)]).toEqual([-896, 1167, -1950906]);
  });

  it("decodes the same CT in three byte orders to identical samples", async () => {
    const frames = await Promise.all(
      ["implicit_little_endian", "explicit_little_endian", "explicit_big_endian"].map((n) =>
        decodeFrame(file(`dicomparser/CT1_UNC.${n}.dcm`)),
      ),
    );
    for (const f of frames) expect(sum(f.samples)).toBe(40028413);
    expect(Array.from(frames[2]?.samples ?? [])).toEqual(Array.from(frames[0]?.samples ?? []));
  });

  it("unpacks 1-bit frames that are not byte aligned, and deflated frames", async () => {
    const ds = file("pydicom/pydicom-data/liver.dcm");
    let total = 0;
    for (let f = 0; f < 3; f++) total += sum((await decodeFrame(ds, f)).samples);
    expect(total).toBe(107098);
    const aligned = file("pydicom/pydicom-data/liver_nonbyte_aligned.dcm");
    const deflated = file("pydicom/pydicom-data/liver_nonbyte_aligned_deflate.dcm");
    for (let f = 0; f < 3; f++) {
      expect(Array.from((await decodeFrame(deflated, f)).samples)).toEqual(
        Array.from((await decodeFrame(aligned, f)).samples),
      );
    }
  });

  it("converts YBR_FULL and native YBR_FULL_422 to the RGB pydicom gives", async () => {
    for (const p of [
      "pydicom/pydicom-data/SC_ybr_full_uncompressed.dcm",
      "pydicom/test_files/SC_ybr_full_422_uncompressed.dcm",
    ]) {
      const frame = await decodeFrame(file(p));
      expect(frame.photometricInterpretation).toBe("RGB");
      expect(Array.from(frame.samples.subarray(0, 3))).toEqual([254, 0, 0]);
      expect(sum(frame.samples)).toBe(3832000);
    }
  });

  it("maps PALETTE COLOR through its lookup tables", async () => {
    const frame = await decodeFrame(file("pydicom/test_files/examples_palette.dcm"));
    expect(frame.photometricInterpretation).toBe("RGB");
    expect(Array.from(frame.samples.subarray(0, 3))).toEqual([9472 >> 8, 15872 >> 8, 24064 >> 8]);
    expect(sum(frame.samples)).toBe(17214150);
  });

  it("reads float and double float pixel data", async () => {
    const single = await decodeFrame(file("pydicom/pydicom-data/parametric_map_float.dcm"));
    const double = await decodeFrame(file("pydicom/pydicom-data/parametric_map_double_float.dcm"));
    expect(single.samples).toBeInstanceOf(Float32Array);
    expect(double.samples).toBeInstanceOf(Float64Array);
    expect(sum(single.samples)).toBeCloseTo(9617.08536104724, 3);
    expect(sum(double.samples)).toBeCloseTo(9617.085349155637, 9);
  });

  it("refuses a frame that does not exist, naming the file and the tag", async () => {
    const ds = file("pydicom/test_files/CT_small.dcm");
    await expect(decodeFrame(ds, 1)).rejects.toThrow(DicomError);
    await expect(decodeFrame(ds, 1)).rejects.toMatchObject({
      code: "pixel-module",
      evidence: { tag: "(0028,0008) Number of Frames" },
    });
    const header = readDicomFile(path.join(DICOM_DATA, "pydicom/test_files/CT_small.dcm"), { headerOnly: true });
    await expect(decodeFrame(header)).rejects.toMatchObject({ code: "no-pixel-data" });
    await expect(decodeFrame(file("pydicom/test_files/rtplan.dcm"))).rejects.toMatchObject({ code: "no-pixel-data" });
  });
});

describe("windowing and rendering", () => {
  it("applies the linear VOI function of PS3.3 C.11.2.1.2.1 at its edges", () => {
    // centre 40, width 400: below -159.5 black, above 239.5 white.
    expect(
      Array.from(applyWindow([-1000, -160, -159.5, 40, 239.5, 240, 3000], { center: 40, width: 400, label: "t" })),
    ).toEqual([0, 0, 0, 128, 255, 255, 255]);
    expect(Array.from(applyWindow([0, 255], { center: 128, width: 256, label: "t" }, true))).toEqual([255, 0]);
  });

  it("uses the file's window presets and renders a valid PNG", async () => {
    const ds = file("pydicom/test_files/CT_small.dcm");
    expect(fileWindows(ds)).toEqual([]);
    const mr = file("pydicom/test_files/MR_small.dcm");
    const image = renderFrame(mr, await decodeFrame(mr), "auto");
    expect([image.width, image.height, image.rgba.length, image.window?.label]).toEqual([64, 64, 64 * 64 * 4, "auto"]);
    const png = encodePng(image);
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // The IDAT chunk inflates to the filtered rows: one filter byte then RGBA for each row.
    const idatLength = new DataView(png.buffer, png.byteOffset).getUint32(33);
    const raw = inflateSync(png.subarray(41, 41 + idatLength));
    expect(raw.length).toBe(64 * (1 + 64 * 4));
    expect(Array.from(raw.subarray(1, 9))).toEqual(Array.from(image.rgba.subarray(0, 8)));
  });
});
