import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { describe, expect, it } from "vitest";
import { readDicomFile } from "../read";
import { DICOM_DATA } from "../test-support/corpus";
import { decodeFrame } from "./decode-frame";
import { modalityValues } from "./lut";
import { pixelArray } from "./pixel-array";
import { renderFrame } from "./render";
import { toTensor } from "./tensor";

// Reference values from pydicom 3.0.1's apply_modality_lut and apply_voi_lut on the same files.
const file = (p: string) => readDicomFile(path.join(DICOM_DATA, p));

describe("lookup tables", () => {
  it("applies a Modality LUT Sequence with a negative first mapped value", async () => {
    const ds = file("pydicom/pydicom-data/mlut_18.dcm");
    const values = modalityValues(ds, await decodeFrame(ds));
    expect(Array.from(values.subarray(0, 3))).toEqual([32759, 49147, 49147]);
    expect(values.reduce((a, b) => a + b, 0)).toBe(8697190668);
  });

  it("applies the file's VOI LUT Sequence when rendering with the file's presentation", async () => {
    const ds = file("pydicom/pydicom-data/vlut_04.dcm");
    const image = renderFrame(ds, await decodeFrame(ds), "file");
    expect(image.window?.label).toBe("VOI LUT");
    let sum = 0;
    for (let i = 0; i < image.rgba.length; i += 4) sum += image.rgba[i] ?? 0;
    expect(sum).toBe(33772018);
    expect(Array.from(image.rgba.subarray(0, 20)).filter((_, i) => i % 4 === 0)).toEqual([127, 191, 191, 127, 127]);
  });
});

describe("pixelArray and toTensor", () => {
  it("stacks frames with shape and spacing, and hands over a tensor the caller disposes", async () => {
    const ct = await pixelArray(file("pydicom/test_files/CT_small.dcm"));
    expect(ct.shape).toEqual([1, 128, 128, 1]);
    expect(ct.pixelSpacing).toEqual([0.661468, 0.661468]);
    expect(ct.sliceThickness).toBe(5);
    expect(ct.data.reduce((a, b) => a + b, 0)).toBe(-1950906);
    const rgb = await pixelArray(file("pydicom/test_files/SC_rgb_rle_2frame.dcm"), [1]);
    expect([rgb.shape, rgb.photometricInterpretation, rgb.pixelSpacing]).toEqual([[1, 100, 100, 3], "RGB", [1, 1]]);
    const before = tf.memory().numTensors;
    const t = toTensor(ct);
    expect(t.shape).toEqual([1, 128, 128, 1]);
    expect(t.dtype).toBe("float32");
    const total = tf.sum(t);
    expect((await total.array()) as number).toBe(-1950906);
    total.dispose();
    t.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
