import type { Triple } from "../image/volume";
import { neighbourOffsets } from "./neighbourhood";

/**
 * How voxels connect: `2D` within a slice (8-connected, {@link NEIGHBOURS_2D}), `3D` across
 * slices too (26-connected, {@link NEIGHBOURS_3D}). IBSI 3.8 and pyradiomics both use these.
 */
export type ZoneConnectivity = "2D" | "3D";

/**
 * The zones of a grey-level grid: maximal connected groups of voxels that share one grey level.
 * Zones are numbered in the order of their first voxel in storage order (i fastest, then j, then
 * k), so with `2D` connectivity the zones of each slice are consecutive.
 */
export interface Zones {
  /** The number of zones. */
  readonly count: number;
  /** For each voxel, the number of its zone, or -1 outside the ROI (grey level 0). */
  readonly zoneOf: Int32Array;
  /** The grey level of each zone. */
  readonly level: Int32Array;
  /** The number of voxels of each zone. */
  readonly size: Int32Array;
  /** The storage index of the first voxel of each zone. */
  readonly first: Int32Array;
}

/**
 * Labels the zones of equal grey level (connected-component labelling, IBSI 3.8): voxels with
 * grey level 0 are outside the ROI and belong to no zone; voxels beyond the grid are outside too.
 *
 * @param levels - grey levels on a grid of `dims` (i fastest), 0 outside the ROI.
 * @param connectivity - `2D` keeps zones inside their slice (8 neighbours), `3D` uses 26.
 *
 * @example
 * ```ts
 * import { labelZones } from "./zone-labelling";
 * // 1 1 2
 * // 0 2 1   (diagonal neighbours connect)
 * const zones = labelZones(Int32Array.from([1, 1, 2, 0, 2, 1]), [3, 2, 1], "2D");
 * zones.count; // 2
 * zones.size; // Int32Array [3, 2]
 * ```
 */
export function labelZones(levels: Int32Array, dims: Triple, connectivity: ZoneConnectivity): Zones {
  const [nx, ny, nz] = dims;
  const plane = nx * ny;
  const offsets = neighbourOffsets(connectivity);
  const zoneOf = new Int32Array(levels.length).fill(-1);
  const stack = new Int32Array(levels.length);
  const level: number[] = [];
  const size: number[] = [];
  const first: number[] = [];
  for (let seed = 0; seed < levels.length; seed++) {
    const g = levels[seed]!;
    if (g === 0 || zoneOf[seed] !== -1) continue;
    const zone = level.length;
    zoneOf[seed] = zone;
    let top = 0;
    stack[top++] = seed;
    let count = 0;
    while (top > 0) {
      const n = stack[--top]!;
      count++;
      const k = (n / plane) | 0;
      const rest = n - k * plane;
      const j = (rest / nx) | 0;
      const i = rest - j * nx;
      for (let o = 0; o < offsets.length; o += 3) {
        const a = i + offsets[o]!;
        const b = j + offsets[o + 1]!;
        const c = k + offsets[o + 2]!;
        if (a < 0 || a >= nx || b < 0 || b >= ny || c < 0 || c >= nz) continue;
        const m = a + nx * (b + ny * c);
        if (levels[m] === g && zoneOf[m] === -1) {
          zoneOf[m] = zone;
          stack[top++] = m;
        }
      }
    }
    level.push(g);
    size.push(count);
    first.push(seed);
  }
  return {
    count: level.length,
    zoneOf,
    level: Int32Array.from(level),
    size: Int32Array.from(size),
    first: Int32Array.from(first),
  };
}

/** The zones of one slice: zone numbers `from` to `to - 1`, for per-slice (2D) matrices. */
export interface SliceZones {
  readonly slice: number;
  readonly from: number;
  readonly to: number;
}

/**
 * Splits zones labelled with `2D` connectivity by slice (k). Zones of one slice are consecutive
 * because {@link labelZones} numbers them in storage order; slices without zones are left out.
 *
 * @example
 * ```ts
 * import { labelZones, zonesBySlice } from "./zone-labelling";
 * // Two slices of 2 x 1 voxels: [1, 2] and [0, 2].
 * const zones = labelZones(Int32Array.from([1, 2, 0, 2]), [2, 1, 2], "2D");
 * zonesBySlice(zones, [2, 1, 2]); // [{ slice: 0, from: 0, to: 2 }, { slice: 1, from: 2, to: 3 }]
 * ```
 */
export function zonesBySlice(zones: Zones, dims: Triple): SliceZones[] {
  const plane = dims[0] * dims[1];
  const out: SliceZones[] = [];
  let from = 0;
  for (let z = 0; z <= zones.count; z++) {
    const slice = z < zones.count ? Math.floor(zones.first[z]! / plane) : -1;
    const previous = z > 0 ? Math.floor(zones.first[z - 1]! / plane) : -1;
    if (z > 0 && slice !== previous) {
      out.push({ slice: previous, from, to: z });
      from = z;
    }
  }
  return out;
}
