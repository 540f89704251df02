import { RadiomicsError } from "../radiomics-error";
import type { Triple, VoxelGrid } from "../image/volume";

/**
 * The maps between a grid's continuous voxel indices and patient space, computed in the same
 * order of floating-point operations as ITK's `ImageBase` (`TransformIndexToPhysicalPoint`,
 * `TransformContinuousIndexToPhysicalPoint`, `TransformPhysicalPointToContinuousIndex`), so that
 * a resampling grid lands on exactly the same continuous indices as in SimpleITK. That matters
 * for nearest-neighbour interpolation, where a target voxel centre often falls exactly half-way
 * between two source voxels and the last bit decides which one it takes.
 */
export interface GridCoordinates {
  /** Row-major `direction * diag(spacing)`: index (i, j, k) to millimetres from the origin. */
  readonly toPoint: Float64Array;
  /** The inverse of {@link GridCoordinates.toPoint}. */
  readonly toIndex: Float64Array;
  readonly origin: Triple;
}

/** Gauss-Jordan inverse with partial pivoting: exact reciprocals for (signed) permutations. */
function invert3(m: Float64Array): Float64Array | undefined {
  const a = Float64Array.from(m);
  const inv = new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  for (let col = 0; col < 3; col++) {
    let pivot = col;
    for (let row = col + 1; row < 3; row++) {
      if (Math.abs(a[row * 3 + col]!) > Math.abs(a[pivot * 3 + col]!)) pivot = row;
    }
    const p = a[pivot * 3 + col]!;
    if (p === 0 || !Number.isFinite(p)) return undefined;
    if (pivot !== col) {
      for (let c = 0; c < 3; c++) {
        const t = a[col * 3 + c]!;
        a[col * 3 + c] = a[pivot * 3 + c]!;
        a[pivot * 3 + c] = t;
        const u = inv[col * 3 + c]!;
        inv[col * 3 + c] = inv[pivot * 3 + c]!;
        inv[pivot * 3 + c] = u;
      }
    }
    for (let c = 0; c < 3; c++) {
      a[col * 3 + c] = a[col * 3 + c]! / p;
      inv[col * 3 + c] = inv[col * 3 + c]! / p;
    }
    for (let row = 0; row < 3; row++) {
      if (row === col) continue;
      const f = a[row * 3 + col]!;
      if (f === 0) continue;
      for (let c = 0; c < 3; c++) {
        a[row * 3 + c] = a[row * 3 + c]! - f * a[col * 3 + c]!;
        inv[row * 3 + c] = inv[row * 3 + c]! - f * inv[col * 3 + c]!;
      }
    }
  }
  return inv;
}

/**
 * The index/patient-space maps of a grid.
 *
 * @throws {@link RadiomicsError} `geometry` when the direction and spacing do not form an
 *   invertible matrix.
 *
 * @example
 * ```ts
 * import { IDENTITY_DIRECTION } from "@radlab/kernel";
 * import { gridCoordinates } from "./grid-coordinates";
 * const g = gridCoordinates({ dims: [2, 2, 2], spacing: [2, 2, 2], origin: [0, 0, 0], direction: IDENTITY_DIRECTION });
 * g.toIndex[0]; // 0.5
 * ```
 */
export function gridCoordinates(grid: VoxelGrid): GridCoordinates {
  const toPoint = indexToPointMatrix(grid);
  const toIndex = invert3(toPoint);
  if (toIndex === undefined) {
    throw new RadiomicsError(
      "geometry",
      `The grid's direction [${grid.direction.join(", ")}] and spacing [${grid.spacing.join(", ")}] cannot be inverted`,
      {
        path: "direction",
        hint: "Check the image header: the direction must be three independent unit vectors and the spacing positive.",
      },
    );
  }
  return { toPoint, toIndex, origin: grid.origin };
}

/**
 * Row-major `direction * diag(spacing)` of a grid (column n is axis n scaled by its spacing), as
 * ITK's `ImageBase` computes it; a missing direction entry is NaN.
 *
 * @example
 * ```ts
 * import { IDENTITY_DIRECTION } from "@radlab/kernel";
 * import { indexToPointMatrix } from "./grid-coordinates";
 * indexToPointMatrix({ dims: [1, 1, 1], spacing: [2, 3, 4], origin: [0, 0, 0], direction: IDENTITY_DIRECTION });
 * // Float64Array [2, 0, 0, 0, 3, 0, 0, 0, 4]
 * ```
 */
export function indexToPointMatrix(grid: VoxelGrid): Float64Array {
  const toPoint = new Float64Array(9);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) toPoint[r * 3 + c] = (grid.direction[r * 3 + c] ?? Number.NaN) * grid.spacing[c]!;
  }
  return toPoint;
}

/**
 * The patient-space point (LPS, mm) of a continuous index, as ITK's
 * `TransformContinuousIndexToPhysicalPoint` computes it (sum of the products, then the origin).
 *
 * @example
 * ```ts
 * import { IDENTITY_DIRECTION } from "@radlab/kernel";
 * import { continuousIndexToPoint, gridCoordinates } from "./grid-coordinates";
 * const g = gridCoordinates({ dims: [4, 4, 4], spacing: [2, 2, 2], origin: [10, 0, 0], direction: IDENTITY_DIRECTION });
 * continuousIndexToPoint(g, [0.5, 0, 0]); // [11, 0, 0]
 * ```
 */
export function continuousIndexToPoint(g: GridCoordinates, index: Triple): Triple {
  const m = g.toPoint;
  const out = [0, 0, 0];
  for (let r = 0; r < 3; r++) {
    let sum = 0;
    for (let c = 0; c < 3; c++) sum += m[r * 3 + c]! * index[c]!;
    out[r] = sum + g.origin[r]!;
  }
  return out as unknown as Triple;
}

/**
 * Writes into `out` the continuous index, in grid `to`, of the centre of integer voxel
 * (i, j, k) of grid `from`, with ITK's operations: `TransformIndexToPhysicalPoint` on `from`
 * (origin first, then each product added) and `TransformPhysicalPointToContinuousIndex` on `to`.
 */
export function mapIndex(
  from: GridCoordinates,
  to: GridCoordinates,
  i: number,
  j: number,
  k: number,
  out: Float64Array,
): void {
  const m = from.toPoint;
  const p0 = from.origin[0] + m[0]! * i + m[1]! * j + m[2]! * k;
  const p1 = from.origin[1] + m[3]! * i + m[4]! * j + m[5]! * k;
  const p2 = from.origin[2] + m[6]! * i + m[7]! * j + m[8]! * k;
  pointToContinuousIndex(to, p0, p1, p2, out);
}

/**
 * Writes into `out` the continuous index of the patient-space point (x, y, z) (LPS, mm), as ITK's
 * `TransformPhysicalPointToContinuousIndex` computes it: the difference from the origin first,
 * then each row's products summed from 0 (so that an index of -0 comes out as 0).
 *
 * @example
 * ```ts
 * import { IDENTITY_DIRECTION } from "@radlab/kernel";
 * import { gridCoordinates, pointToContinuousIndex } from "./grid-coordinates";
 * const g = gridCoordinates({ dims: [4, 4, 4], spacing: [2, 2, 2], origin: [10, 0, 0], direction: IDENTITY_DIRECTION });
 * const out = [0, 0, 0];
 * pointToContinuousIndex(g, 11, 0, 4, out); // out = [0.5, 0, 2]
 * ```
 */
export function pointToContinuousIndex(
  g: GridCoordinates,
  x: number,
  y: number,
  z: number,
  out: Float64Array | number[],
): void {
  const v0 = x - g.origin[0];
  const v1 = y - g.origin[1];
  const v2 = z - g.origin[2];
  const n = g.toIndex;
  out[0] = 0 + n[0]! * v0 + n[1]! * v1 + n[2]! * v2;
  out[1] = 0 + n[3]! * v0 + n[4]! * v1 + n[5]! * v2;
  out[2] = 0 + n[6]! * v0 + n[7]! * v1 + n[8]! * v2;
}
