import { gridCoordinates, indexToPointMatrix, pointToContinuousIndex } from "../preprocess/grid-coordinates";
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
 * orthonormal ones, with the operations of ITK's `TransformPhysicalPointToContinuousIndex`
 * ({@link gridCoordinates}, {@link pointToContinuousIndex}): the indices are SimpleITK's.
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
  const m = indexToPointMatrix(grid);
  // Refuse nearly singular grids too: their indices would be mostly rounding.
  const det =
    m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) +
    m[1]! * (m[5]! * m[6]! - m[3]! * m[8]!) +
    m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!);
  const scale = Math.abs(grid.spacing[0] * grid.spacing[1] * grid.spacing[2]);
  if (!Number.isFinite(det) || scale === 0 || Math.abs(det) < 1e-9 * scale) {
    throw new RadiomicsError(
      "geometry",
      `The voxel grid cannot be inverted: spacing [${grid.spacing.join(", ")}] with direction [${grid.direction.join(", ")}] is singular`,
      {
        path: "direction",
        hint: "Each spacing must be positive and the three direction columns must be independent unit vectors.",
      },
    );
  }
  const g = gridCoordinates(grid);
  return (x, y, z) => {
    const index = [0, 0, 0];
    pointToContinuousIndex(g, x, y, z, index);
    return index as unknown as Triple;
  };
}
