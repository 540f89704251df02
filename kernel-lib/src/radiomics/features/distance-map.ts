import type { Triple } from "../image/volume";
import type { ZoneConnectivity } from "./zone-labelling";

/**
 * Each ROI voxel's distance to the edge of the ROI, for the grey level distance zone matrix
 * (IBSI 3.9): the city-block distance (steps between face neighbours) to the nearest voxel
 * outside the ROI, so that voxels on the border have distance 1. Voxels beyond the grid are
 * outside. Voxels outside the ROI get 0.
 *
 * IBSI computes this on the morphological mask, before any re-segmentation of intensities.
 *
 * @param mask - non-zero inside the ROI, on a grid of `dims` (i fastest).
 * @param connectivity - `2D` measures within each slice (4 face neighbours), as IBSI does for
 *   2D and 2.5D matrices; `3D` across slices too (6 face neighbours).
 *
 * @example
 * ```ts
 * import { distanceToRoiEdge } from "./distance-map";
 * // A 3 x 3 square: the centre is 2 steps from the outside, the rest 1.
 * distanceToRoiEdge(new Uint8Array(9).fill(1), [3, 3, 1], "2D");
 * // Int32Array [1, 1, 1, 1, 2, 1, 1, 1, 1]
 * ```
 */
export function distanceToRoiEdge(mask: ArrayLike<number>, dims: Triple, connectivity: ZoneConnectivity): Int32Array {
  const [nx, ny, nz] = dims;
  const plane = nx * ny;
  const total = plane * nz;
  const three = connectivity === "3D";
  const distance = new Int32Array(total);
  const queue = new Int32Array(total);
  let tail = 0;
  // Seeds: ROI voxels with a face neighbour outside the ROI (or beyond the grid) are at 1.
  let n = 0;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, n++) {
        if (mask[n] === 0) continue;
        const border =
          i === 0 ||
          i === nx - 1 ||
          j === 0 ||
          j === ny - 1 ||
          mask[n - 1] === 0 ||
          mask[n + 1] === 0 ||
          mask[n - nx] === 0 ||
          mask[n + nx] === 0 ||
          (three && (k === 0 || k === nz - 1 || mask[n - plane] === 0 || mask[n + plane] === 0));
        if (border) {
          distance[n] = 1;
          queue[tail++] = n;
        }
      }
    }
  }
  // Breadth-first from the border inwards: each step adds 1.
  const visit = (q: number, d: number): void => {
    if (mask[q] !== 0 && distance[q] === 0) {
      distance[q] = d;
      queue[tail++] = q;
    }
  };
  for (let head = 0; head < tail; head++) {
    const m = queue[head]!;
    const next = distance[m]! + 1;
    const k = (m / plane) | 0;
    const rest = m - k * plane;
    const j = (rest / nx) | 0;
    const i = rest - j * nx;
    if (i > 0) visit(m - 1, next);
    if (i < nx - 1) visit(m + 1, next);
    if (j > 0) visit(m - nx, next);
    if (j < ny - 1) visit(m + nx, next);
    if (three) {
      if (k > 0) visit(m - plane, next);
      if (k < nz - 1) visit(m + plane, next);
    }
  }
  return distance;
}
