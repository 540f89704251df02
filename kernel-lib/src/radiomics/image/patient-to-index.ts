import { RadiomicsError } from "../radiomics-error";
import type { Triple, VoxelGrid } from "./volume";

/**
 * Maps a patient-space point (LPS, mm) to continuous voxel indices.
 *
 * @param x - L coordinate in mm.
 * @param y - P coordinate in mm.
 * @param z - S coordinate in mm.
 * @returns `[i, j, k]`; integers at voxel centres.
 */
export type PatientToIndex = (x: number, y: number, z: number) => Triple;

/**
 * The inverse of `voxelPosition` for a grid: patient coordinates (LPS, mm) to continuous voxel
 * indices `(i, j, k)`, integer at voxel centres. It inverts `origin + direction * diag(spacing) *
 * index` with the full 3 x 3 inverse, so it is exact for any non-singular direction matrix, not only
 * orthonormal ones.
 *
 * @param grid - The voxel grid whose indices are wanted.
 * @returns A function from a point to its indices (a new triple each call).
 * @throws {@link RadiomicsError} `geometry` when the grid's direction and spacing are singular
 *   (a zero spacing or two parallel axes), naming both.
 * @example
 * ```ts
 * import { patientToIndex, IDENTITY_DIRECTION } from "@radlab/kernel";
 * const toIndex = patientToIndex({ dims: [5, 4, 4], spacing: [2, 2, 2], origin: [0, 0, 0], direction: IDENTITY_DIRECTION });
 * toIndex(4, 2, 6); // [2, 1, 3]
 * ```
 */
export function patientToIndex(grid: VoxelGrid): PatientToIndex {
  const d = grid.direction;
  const [sx, sy, sz] = grid.spacing;
  // m = direction * diag(spacing): column n is axis n scaled by its spacing.
  const m = [
    (d[0] ?? 0) * sx,
    (d[1] ?? 0) * sy,
    (d[2] ?? 0) * sz,
    (d[3] ?? 0) * sx,
    (d[4] ?? 0) * sy,
    (d[5] ?? 0) * sz,
    (d[6] ?? 0) * sx,
    (d[7] ?? 0) * sy,
    (d[8] ?? 0) * sz,
  ] as const;
  const c00 = m[4] * m[8] - m[5] * m[7];
  const c01 = m[5] * m[6] - m[3] * m[8];
  const c02 = m[3] * m[7] - m[4] * m[6];
  const det = m[0] * c00 + m[1] * c01 + m[2] * c02;
  const scale = Math.abs(sx * sy * sz);
  if (!Number.isFinite(det) || scale === 0 || Math.abs(det) < 1e-9 * scale) {
    throw new RadiomicsError(
      "geometry",
      `The voxel grid cannot be inverted: spacing [${grid.spacing.join(", ")}] with direction [${d.join(", ")}] is singular`,
      {
        path: "direction",
        hint: "Each spacing must be positive and the three direction columns must be independent unit vectors.",
      },
    );
  }
  const inv = [
    c00 / det,
    (m[2] * m[7] - m[1] * m[8]) / det,
    (m[1] * m[5] - m[2] * m[4]) / det,
    c01 / det,
    (m[0] * m[8] - m[2] * m[6]) / det,
    (m[2] * m[3] - m[0] * m[5]) / det,
    c02 / det,
    (m[1] * m[6] - m[0] * m[7]) / det,
    (m[0] * m[4] - m[1] * m[3]) / det,
  ] as const;
  const [ox, oy, oz] = grid.origin;
  return (x, y, z) => {
    const a = x - ox;
    const b = y - oy;
    const c = z - oz;
    return [
      inv[0] * a + inv[1] * b + inv[2] * c,
      inv[3] * a + inv[4] * b + inv[5] * c,
      inv[6] * a + inv[7] * b + inv[8] * c,
    ];
  };
}
