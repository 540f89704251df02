import { RadiomicsError } from "../radiomics-error";

/** A stored voxel type. */
export type StoredPixelType = "int8" | "uint8" | "int16" | "uint16" | "int32" | "uint32" | "float32" | "float64";

/** Three numbers along the volume's axes i, j, k (i varies fastest in memory). */
export type Triple = readonly [number, number, number];

/**
 * Where a voxel grid sits in patient space (LPS millimetres, as in DICOM).
 *
 * The voxel at index (i, j, k) is stored at `i + dims[0] * (j + dims[1] * k)` and lies at
 * `origin + i * spacing[0] * axis0 + j * spacing[1] * axis1 + k * spacing[2] * axis2`, where
 * `axisN` is column N of `direction` (unit vectors, row-major 3 x 3).
 */
export interface VoxelGrid {
  /** Number of voxels along i, j, k. */
  readonly dims: Triple;
  /** Voxel size in millimetres along i, j, k. */
  readonly spacing: Triple;
  /** Patient-space position (LPS, mm) of the centre of voxel (0, 0, 0). */
  readonly origin: Triple;
  /** Row-major 3 x 3 matrix whose columns are the unit directions of i, j, k in LPS. */
  readonly direction: readonly number[];
}

/** An image: intensities (modality units, for example HU) on a {@link VoxelGrid}. */
export interface Volume extends VoxelGrid {
  readonly data: Float64Array;
  /** Where it was read from, for errors and provenance. */
  readonly source?: string;
  /**
   * The type the file stored the values in (for example `int16` for CT), when known: tools
   * that resample in the stored type (SimpleITK, so pyradiomics) truncate to it.
   */
  readonly pixelType?: StoredPixelType;
}

/**
 * A region of interest on a {@link VoxelGrid}: 1 inside, 0 outside.
 */
export interface Mask extends VoxelGrid {
  readonly data: Uint8Array;
  readonly source?: string;
}

/** The identity direction matrix (axes along L, P, S). */
export const IDENTITY_DIRECTION: readonly number[] = Object.freeze([1, 0, 0, 0, 1, 0, 0, 0, 1]);

/**
 * The voxel grid of an image or a mask without its values: the start of a new volume on the same
 * grid (`{ ...gridOf(image), data }`).
 */
export function gridOf(grid: VoxelGrid): VoxelGrid {
  return { dims: grid.dims, spacing: grid.spacing, origin: grid.origin, direction: grid.direction };
}

/** The number of voxels of a grid. */
export function voxelCount(grid: VoxelGrid): number {
  return grid.dims[0] * grid.dims[1] * grid.dims[2];
}

/** The storage index of voxel (i, j, k). */
export function voxelIndex(grid: VoxelGrid, i: number, j: number, k: number): number {
  return i + grid.dims[0] * (j + grid.dims[1] * k);
}

/** The patient-space position (LPS, mm) of the centre of voxel (i, j, k). */
export function voxelPosition(grid: VoxelGrid, i: number, j: number, k: number): Triple {
  const d = grid.direction;
  const a = i * grid.spacing[0];
  const b = j * grid.spacing[1];
  const c = k * grid.spacing[2];
  return [
    grid.origin[0] + d[0]! * a + d[1]! * b + d[2]! * c,
    grid.origin[1] + d[3]! * a + d[4]! * b + d[5]! * c,
    grid.origin[2] + d[6]! * a + d[7]! * b + d[8]! * c,
  ];
}

/**
 * Checks that an image and a mask share one voxel grid (same dims; spacing, origin and
 * direction equal within `tolerance` mm), which every feature assumes.
 *
 * @throws {@link RadiomicsError} `geometry`, naming the field that differs and both values.
 */
export function assertSameGrid(
  image: VoxelGrid & { source?: string },
  mask: VoxelGrid & { source?: string },
  tolerance = 1e-3,
): void {
  const fields: readonly (keyof VoxelGrid)[] = ["dims", "spacing", "origin", "direction"];
  for (const field of fields) {
    const a = image[field] as readonly number[];
    const b = mask[field] as readonly number[];
    const exact = field === "dims";
    const differs = a.length !== b.length || a.some((v, n) => (exact ? v !== b[n] : Math.abs(v - b[n]!) > tolerance));
    if (differs) {
      throw new RadiomicsError(
        "geometry",
        `The image and the mask are not on the same voxel grid: ${field} is [${a.join(", ")}] in the image and [${b.join(", ")}] in the mask`,
        {
          ...(mask.source === undefined ? {} : { file: mask.source }),
          path: field,
          hint: "Resample the mask onto the image grid (resampleMask), or check that the mask belongs to this image.",
        },
      );
    }
  }
}

/** The number of voxels inside a mask. */
export function maskVoxelCount(mask: Mask): number {
  const data = mask.data;
  let n = 0;
  for (let i = 0; i < data.length; i++) if (data[i] !== 0) n++;
  return n;
}
