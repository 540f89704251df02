import { readFileSync } from "node:fs";
import { expect } from "vitest";

/** A float64 array read from a `.npy` file: values in C order and the shape. */
export interface NpyArray {
  readonly data: Float64Array;
  readonly shape: readonly number[];
}

/**
 * Reads a little-endian float64, C-ordered `.npy` file (NumPy's format 1.0 to 3.0: magic, version,
 * header length, a Python dict literal, then the raw array). For tests that compare texture
 * matrices with the ones pyradiomics saved beside its baselines (`brain1_glcm.npy`, ...).
 *
 * @throws Error for another magic, dtype or order, naming the file.
 *
 * @example
 * ```ts
 * import { readNpy } from "../test-support/npy";
 * const glcm = readNpy("../shared/data/radiomics/pyradiomics/data/baseline/brain1_glcm.npy");
 * glcm.shape; // [33, 33, 13]
 * ```
 */
export function readNpy(file: string): NpyArray {
  const bytes = readFileSync(file);
  if (bytes.toString("latin1", 0, 6) !== "\x93NUMPY") throw new Error(`${file} is not a .npy file`);
  const major = bytes[6]!;
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = bytes.toString("latin1", start, start + headerLength);
  if (!/'descr':\s*'<f8'/.test(header) || !/'fortran_order':\s*False/.test(header)) {
    throw new Error(`${file} is not a little-endian float64 C-ordered array: ${header.trim()}`);
  }
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? "";
  const shape = shapeText
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const offset = start + headerLength;
  const data = new Float64Array(count);
  for (let n = 0; n < count; n++) data[n] = bytes.readDoubleLE(offset + 8 * n);
  return { data, shape };
}

/**
 * Expects the per-angle matrices `ours` (each flattened in C order) to be the ones pyradiomics
 * saved in `saved` (angle last in its shape), in whatever order: every saved angle is `same`,
 * value by value, as one of ours, and each of ours stands for one saved angle only.
 */
export function expectSameAngleMatrices(
  ours: readonly (readonly number[])[],
  saved: NpyArray,
  same: (ours: number, theirs: number) => boolean,
): void {
  const angles = saved.shape[saved.shape.length - 1]!;
  const size = saved.data.length / angles;
  expect(ours).toHaveLength(angles);
  const unmatched = new Set(ours.keys());
  for (let a = 0; a < angles; a++) {
    const theirs = Array.from({ length: size }, (_, n) => saved.data[n * angles + a]!);
    const match = [...unmatched].find((o) => ours[o]!.every((v, n) => same(v, theirs[n]!)));
    expect(match, `pyradiomics angle ${a}`).toBeDefined();
    unmatched.delete(match!);
  }
}
