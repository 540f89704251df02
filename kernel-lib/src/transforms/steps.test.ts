import { createHash } from "node:crypto";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { RadlabError } from "../core/radlab-error";
import { DicomError } from "../dicom/dicom-errors";
import { pixelArray } from "../dicom/pixels/pixel-array";
import { readDicomFile } from "../dicom/read";
import { DICOM_DATA } from "../dicom/test-support/corpus";
import { applyAugmentation, augmentImage, augmentSeed, drawAugmentation, type AugmentStep } from "./augment";
import { decodeImage } from "./decode";
import { grayscaleImage } from "./grayscale";
import { normaliseImage } from "./normalise";
import { resizeImage } from "./resize";
import type { TransformImage, TransformPhotometric } from "./transform-image";
import { windowImage } from "./window";

const file = (p: string) => readDicomFile(path.join(DICOM_DATA, "pydicom", p));

function image(
  rows: number,
  columns: number,
  values: readonly number[],
  photometricInterpretation: TransformPhotometric = "MONOCHROME2",
): TransformImage {
  const channels = photometricInterpretation === "RGB" ? 3 : 1;
  return { data: Float32Array.from(values), shape: [rows, columns, channels], photometricInterpretation };
}

const f32 = (values: readonly number[]) => Float32Array.from(values);

const still = { flip: false, rotationDegrees: 0, translation: [0, 0], brightness: 0, contrast: 1 } as const;

describe("decodeImage", () => {
  it("decodes one frame to modality values with shape [rows, columns, channels]", async () => {
    const ct = file("test_files/CT_small.dcm");
    const out = await decodeImage(ct, { kind: "decode", frame: 0 });
    expect(out.shape).toEqual([128, 128, 1]);
    expect(out.photometricInterpretation).toBe("MONOCHROME2");
    // Rescale Intercept -1024, slope 1: Hounsfield units.
    expect(out.data).toEqual((await pixelArray(ct)).data);
    expect(Math.min(...out.data)).toBe(-896);
    expect(Math.max(...out.data)).toBe(1167);
  });

  it("selects a frame of a multi-frame image", async () => {
    const dose = file("test_files/rtdose.dcm");
    const all = await pixelArray(dose);
    expect(all.shape).toEqual([15, 10, 10, 1]);
    const out = await decodeImage(dose, { kind: "decode", frame: 3 });
    expect(out.shape).toEqual([10, 10, 1]);
    expect(out.data).toEqual(all.data.subarray(300, 400));
    const error: unknown = await decodeImage(dose, { kind: "decode", frame: 15 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DicomError);
    expect(error).toMatchObject({
      code: "pixel-module",
      message: `Frame 15 does not exist in ${dose.file}: it has 15 frame(s).`,
      evidence: { file: dose.file, tag: "(0028,0008) Number of Frames" },
    });
  });

  it("decodes colour as RGB samples", async () => {
    const rgb = await decodeImage(file("test_files/SC_rgb_small_odd.dcm"), { kind: "decode", frame: 0 });
    expect([rgb.shape, rgb.photometricInterpretation]).toEqual([[3, 3, 3], "RGB"]);
  });
});

describe("windowImage", () => {
  const hu = image(1, 6, [-1000, -160, 0, 40, 100, 240]);

  it("maps explicit centre and width linearly to 0..255 (PS3.3 C.11.2.1.2.1)", () => {
    const out = windowImage(hu, { kind: "window", source: "values", center: 40, width: 400 }, null);
    // c - 0.5 = 39.5, w - 1 = 399: -160 and below give 0, above 239 give 255.
    expect(out.data).toEqual(f32([0, 0, 102, 128, 166, 255]));
    expect(out.photometricInterpretation).toBe("MONOCHROME2");
  });

  it("inverts MONOCHROME1 and returns MONOCHROME2", () => {
    const out = windowImage(
      { ...hu, photometricInterpretation: "MONOCHROME1" },
      { kind: "window", source: "values", center: 40, width: 400 },
      null,
    );
    expect(out.data).toEqual(f32([255, 255, 153, 127, 89, 0]));
    expect(out.photometricInterpretation).toBe("MONOCHROME2");
  });

  it("uses a CT preset by name", () => {
    // lung: centre -600, width 1500.
    const out = windowImage(hu, { kind: "window", source: "preset", preset: "lung" }, null);
    expect(out.data).toEqual(f32([60, 202, 230, 236, 247, 255]));
  });

  it("spans the 0.5th to 99.5th percentile with auto", () => {
    const out = windowImage(image(1, 5, [0, 25, 50, 75, 100]), { kind: "window", source: "auto" }, null);
    expect(out.data).toEqual(f32([0, 64, 129, 193, 255]));
  });

  it("uses the file's Window Center / Width with file", async () => {
    const mr = file("test_files/MR_small.dcm"); // (0028,1050) 600, (0028,1051) 1600
    const decoded = await decodeImage(mr, { kind: "decode", frame: 0 });
    const fromFile = windowImage(decoded, { kind: "window", source: "file" }, mr);
    const explicit = windowImage(decoded, { kind: "window", source: "values", center: 600, width: 1600 }, null);
    expect(fromFile.data).toEqual(explicit.data);
  });

  it("rejects RGB images and file windows without a file", () => {
    expect(() =>
      windowImage(image(1, 1, [1, 2, 3], "RGB"), { kind: "window", source: "values", center: 0, width: 10 }, null),
    ).toThrow(
      new RadlabError("transform-input", "A window step needs a greyscale image; this one is RGB.", {
        hint: "RGB images have no modality values: use grayscale and normalise instead of window.",
      }),
    );
    expect(() => windowImage(hu, { kind: "window", source: "file" }, null)).toThrow(
      "A window step with source file needs the DICOM dataset the image came from.",
    );
  });
});

describe("grayscaleImage", () => {
  it("turns RGB into BT.601 luminance", () => {
    const rgb = image(1, 3, [255, 0, 0, 0, 0, 255, 10, 20, 30], "RGB");
    const out = grayscaleImage(rgb, { kind: "grayscale" });
    expect(out.shape).toEqual([1, 3, 1]);
    expect(out.data).toEqual(f32([76.245, 29.07, 18.15]));
    expect(out.photometricInterpretation).toBe("MONOCHROME2");
  });

  it("inverts MONOCHROME1 within its range and copies MONOCHROME2", () => {
    const mono1 = image(2, 2, [0, 100, 400, 1000], "MONOCHROME1");
    expect(grayscaleImage(mono1, { kind: "grayscale" })).toEqual(image(2, 2, [1000, 900, 600, 0]));
    const mono2 = image(1, 2, [5, 7]);
    const copy = grayscaleImage(mono2, { kind: "grayscale" });
    expect(copy).toEqual(mono2);
    expect(copy.data).not.toBe(mono2.data);
  });
});

describe("resizeImage", () => {
  const ramp = image(
    4,
    4,
    Array.from({ length: 16 }, (_, i) => i),
  );

  it("averages areas when downsampling", () => {
    const out = resizeImage(ramp, { kind: "resize", size: [2, 2], method: "area", fit: "stretch" });
    expect(out).toEqual(image(2, 2, [2.5, 4.5, 10.5, 12.5]));
  });

  it("interpolates bilinearly with half-pixel centres", () => {
    expect(resizeImage(ramp, { kind: "resize", size: [2, 2], method: "bilinear", fit: "stretch" }).data).toEqual(
      f32([2.5, 4.5, 10.5, 12.5]),
    );
    const up = resizeImage(image(2, 2, [0, 1, 2, 3]), {
      kind: "resize",
      size: [4, 4],
      method: "bilinear",
      fit: "stretch",
    });
    expect(up.data).toEqual(f32([0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3]));
  });

  it("keeps the aspect ratio and pads, centred, the odd pixel at the bottom", () => {
    const wide = image(2, 4, [0, 1, 2, 3, 4, 5, 6, 7]);
    expect(resizeImage(wide, { kind: "resize", size: [4, 4], method: "area", fit: "pad", padValue: -1 }).data).toEqual(
      f32([-1, -1, -1, -1, 0, 1, 2, 3, 4, 5, 6, 7, -1, -1, -1, -1]),
    );
    expect(resizeImage(wide, { kind: "resize", size: [2, 2], method: "area", fit: "pad", padValue: 9 }).data).toEqual(
      f32([2.5, 4.5, 9, 9]),
    );
  });

  it("resizes each RGB channel", () => {
    const rgb = image(1, 2, [0, 10, 20, 2, 30, 40], "RGB");
    expect(resizeImage(rgb, { kind: "resize", size: [1, 1], method: "area", fit: "stretch" })).toEqual(
      image(1, 1, [1, 20, 30], "RGB"),
    );
  });
});

describe("normaliseImage", () => {
  const values = image(1, 4, [1, 2, 3, 4]);

  it("scales min..max to 0..1, a constant image to 0", () => {
    expect(normaliseImage(image(1, 5, [10, 20, 30, 40, 50]), { kind: "normalise", method: "minmax" }).data).toEqual(
      f32([0, 0.25, 0.5, 0.75, 1]),
    );
    expect(normaliseImage(image(1, 2, [7, 7]), { kind: "normalise", method: "minmax" }).data).toEqual(f32([0, 0]));
  });

  it("z-scores with the population standard deviation", () => {
    const std = Math.sqrt(1.25); // of 1, 2, 3, 4 around 2.5
    expect(normaliseImage(values, { kind: "normalise", method: "zscore" }).data).toEqual(
      f32([-1.5 / std, -0.5 / std, 0.5 / std, 1.5 / std]),
    );
    expect(normaliseImage(image(1, 2, [7, 7]), { kind: "normalise", method: "zscore" }).data).toEqual(f32([0, 0]));
  });

  it("applies a fixed mean and std", () => {
    expect(normaliseImage(values, { kind: "normalise", method: "fixed", mean: 2, std: 4 }).data).toEqual(
      f32([-0.25, 0, 0.25, 0.5]),
    );
  });
});

describe("augmentation", () => {
  const step: AugmentStep = {
    kind: "augment",
    seed: 7,
    flipHorizontal: 0.5,
    rotationDegrees: 10,
    translation: 0.1,
    brightness: 0.1,
    contrast: 0.2,
  };

  it("derives the sample's seed from seed, epoch and index", () => {
    expect(augmentSeed(7, { epoch: 0, sampleIndex: 0 })).toBe(4175914706);
    // As documented: the first four bytes of the SHA-256 of the seed string.
    const digest = createHash("sha256").update("radlab-augment/v1:7:0:0").digest();
    expect(digest.readUInt32BE(0)).toBe(4175914706);
    expect(augmentSeed(7, { epoch: 0, sampleIndex: 1 })).not.toBe(4175914706);
    expect(augmentSeed(7, { epoch: 1, sampleIndex: 0 })).not.toBe(4175914706);
    expect(augmentSeed(8, { epoch: 0, sampleIndex: 0 })).not.toBe(4175914706);
    expect(() => augmentSeed(7, { epoch: -1, sampleIndex: 0 })).toThrow(
      "An augment step needs epoch as a non-negative integer; it was -1.",
    );
    expect(() => augmentSeed(7, { epoch: 0, sampleIndex: 0.5 })).toThrow(
      "An augment step needs sampleIndex as a non-negative integer; it was 0.5.",
    );
  });

  it("draws the same augmentation for the same sample and epoch, another in the next epoch", () => {
    const draw = drawAugmentation(step, { epoch: 0, sampleIndex: 0 });
    expect(draw).toEqual({
      flip: false,
      rotationDegrees: 2.0297977421432734,
      translation: [-0.08041583285667003, 0.026715257484465838],
      brightness: 0.03714825944043696,
      contrast: 0.8674385295249522,
    });
    expect(drawAugmentation(step, { epoch: 0, sampleIndex: 0 })).toEqual(draw);
    expect(drawAugmentation(step, { epoch: 1, sampleIndex: 0 })).not.toEqual(draw);
    // Every number is drawn whatever the parameters: switching flips off leaves the rotation alone.
    expect(drawAugmentation({ ...step, flipHorizontal: 0 }, { epoch: 0, sampleIndex: 0 }).rotationDegrees).toBe(
      draw.rotationDegrees,
    );
  });

  it("augments identically for the same seed, epoch and index", () => {
    const input = image(
      8,
      8,
      Array.from({ length: 64 }, (_, i) => (i * 37) % 11),
    );
    const a = augmentImage(input, step, { epoch: 2, sampleIndex: 5 });
    expect(augmentImage(input, step, { epoch: 2, sampleIndex: 5 }).data).toEqual(a.data);
    expect(augmentImage(input, step, { epoch: 3, sampleIndex: 5 }).data).not.toEqual(a.data);
    expect(a.shape).toEqual([8, 8, 1]);
  });

  it("flips, rotates and translates exactly", () => {
    expect(applyAugmentation(image(2, 3, [1, 2, 3, 4, 5, 6]), { ...still, flip: true }).data).toEqual(
      f32([3, 2, 1, 6, 5, 4]),
    );
    // 90 degrees anticlockwise as displayed: the right column becomes the top row.
    expect(applyAugmentation(image(3, 3, [1, 2, 3, 4, 5, 6, 7, 8, 9]), { ...still, rotationDegrees: 90 }).data).toEqual(
      f32([3, 6, 9, 2, 5, 8, 1, 4, 7]),
    );
    expect(applyAugmentation(image(2, 2, [1, 2, 3, 4]), { ...still, rotationDegrees: 180 }).data).toEqual(
      f32([4, 3, 2, 1]),
    );
    // A quarter of 4 columns to the right; the edge pixel repeats into the gap.
    expect(applyAugmentation(image(1, 4, [1, 2, 3, 4]), { ...still, translation: [0, 0.25] }).data).toEqual(
      f32([1, 1, 2, 3]),
    );
  });

  it("changes contrast about the mean, then brightness", () => {
    expect(applyAugmentation(image(1, 2, [0, 2]), { ...still, contrast: 2, brightness: 1 }).data).toEqual(f32([0, 4]));
  });

  it("is the identity with every parameter 0, and always flips with flipHorizontal 1", () => {
    const input = image(2, 3, [1, 2, 3, 4, 5, 6]);
    const off = { ...step, flipHorizontal: 0, rotationDegrees: 0, translation: 0, brightness: 0, contrast: 0 };
    for (const epoch of [0, 1, 2]) {
      expect(augmentImage(input, off, { epoch, sampleIndex: 0 }).data).toEqual(input.data);
      expect(augmentImage(input, { ...off, flipHorizontal: 1 }, { epoch, sampleIndex: 0 }).data).toEqual(
        f32([3, 2, 1, 6, 5, 4]),
      );
    }
  });

  it("leaves its input unchanged", () => {
    const input = image(1, 3, [1, 2, 3]);
    applyAugmentation(input, { ...still, flip: true, brightness: 1 });
    expect(input.data).toEqual(f32([1, 2, 3]));
  });
});
