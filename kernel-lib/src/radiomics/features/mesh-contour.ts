import { RadiomicsError } from "../radiomics-error";
import type { Mask } from "../image/volume";
import { maskBounds } from "./morphology-bounds";

/**
 * The closed contour of a single-slice mask by marching squares: the 2D analogue of
 * {@link SurfaceMesh}, used by pyradiomics' `shape2D` class.
 *
 * Vertices lie half-way between an inside and an outside pixel. Positions are in mm along the
 * grid axes i, j (`x = i * spacing[0]`, `y = j * spacing[1]`) relative to the centre of pixel
 * (0, 0).
 */
export interface ContourMesh {
  /** Vertex positions in mm, `x, y` interleaved. */
  readonly vertices: Float64Array;
  /** The same positions in half-pixel units (`2i`, `2j`, odd along the edge's axis). */
  readonly lattice: Int32Array;
  /** Line segments as vertex-index pairs, directed so that the inside lies on their left. */
  readonly segments: Uint32Array;
  /** Pixel size in mm along i, j. */
  readonly spacing: readonly [number, number];
  /** The slice (k) the ROI lies in. */
  readonly slice: number;
}

/** Square corners as (di, dj), counter-clockwise; edge n joins corner n and corner n + 1. */
const CORNERS = [
  [0, 0],
  [1, 0],
  [1, 1],
  [0, 1],
] as const;

/**
 * Segments (entry edge pairs: from, to) of each of the 16 square configurations (bit n set when
 * corner n is inside). Each cyclic run of inside corners is cut off by one segment from the edge
 * leaving the run to the edge entering it, which keeps the inside on the left; diagonal pairs
 * (configurations 5 and 10) are two runs, so the inside corners stay separate, as in
 * pyradiomics' `cshape.c`.
 */
const SEGMENTS: readonly (readonly number[])[] = Array.from({ length: 16 }, (_, config) => {
  const inside = (c: number): boolean => (config & (1 << ((c + 4) % 4))) !== 0;
  const out: number[] = [];
  if (config === 0 || config === 15) return out;
  for (let start = 0; start < 4; start++) {
    if (!inside(start) || inside(start - 1)) continue;
    let end = start;
    while (inside(end + 1)) end++;
    out.push(end % 4, (start + 3) % 4); // leaving edge, entering edge
  }
  return out;
});

/**
 * The marching-squares contour of a mask whose ROI lies within one slice (k), padded with
 * outside pixels and at iso-level 0.5.
 *
 * @throws {@link RadiomicsError} `empty-roi` when the mask holds no voxel; `input` when its
 *   voxels lie in more than one slice.
 *
 * @example
 * ```ts
 * const contour = contourMesh(sliceMask);
 * contourArea(contour); // pyradiomics' shape2D_MeshSurface
 * ```
 */
export function contourMesh(mask: Mask): ContourMesh {
  const { min, max } = maskBounds(mask);
  if (min[2] !== max[2]) {
    throw new RadiomicsError(
      "input",
      `A 2D contour needs an ROI in one slice, but this mask has voxels in slices ${min[2]} to ${max[2]}`,
      {
        ...(mask.source === undefined ? {} : { file: mask.source }),
        path: "mask",
        hint: "Keep one slice of the mask (for example the one with the largest area) before computing 2D shape.",
      },
    );
  }
  const [dimX, dimY] = mask.dims;
  const k = min[2];
  const px = max[0] - min[0] + 3;
  const py = max[1] - min[1] + 3;
  const local = new Uint8Array(px * py);
  for (let b = 1; b < py - 1; b++) {
    const src = min[0] + dimX * (min[1] - 1 + b + dimY * k);
    for (let a = 0; a < px - 2; a++) local[1 + a + px * b] = mask.data[src + a] === 0 ? 0 : 1;
  }
  const vertexOfEdge = new Int32Array(2 * px * py).fill(-1);
  const lattice: number[] = [];
  const segments: number[] = [];
  const ox = 2 * (min[0] - 1);
  const oy = 2 * (min[1] - 1);
  // Edge n of a square: lower corner offset and axis.
  const edgeLow = [
    [0, 0, 0],
    [1, 0, 1],
    [0, 1, 0],
    [0, 0, 1],
  ] as const;
  for (let b = 0; b < py - 1; b++) {
    for (let a = 0; a < px - 1; a++) {
      let config = 0;
      for (let c = 0; c < 4; c++) if (local[a + CORNERS[c]![0] + px * (b + CORNERS[c]![1])] === 1) config |= 1 << c;
      const row = SEGMENTS[config]!;
      for (const edge of row) {
        const [di, dj, axis] = edgeLow[edge]!;
        const id = 2 * (a + di + px * (b + dj)) + axis;
        let v = vertexOfEdge[id]!;
        if (v < 0) {
          v = lattice.length / 2;
          vertexOfEdge[id] = v;
          lattice.push(ox + 2 * (a + di) + (axis === 0 ? 1 : 0), oy + 2 * (b + dj) + (axis === 1 ? 1 : 0));
        }
        segments.push(v);
      }
    }
  }
  const [sx, sy] = mask.spacing;
  const lat = Int32Array.from(lattice);
  const vertices = new Float64Array(lat.length);
  for (let q = 0; q < lat.length; q += 2) {
    vertices[q] = (lat[q]! / 2) * sx;
    vertices[q + 1] = (lat[q + 1]! / 2) * sy;
  }
  return { vertices, lattice: lat, segments: Uint32Array.from(segments), spacing: [sx, sy], slice: k };
}

/**
 * The length of a contour in mm (pyradiomics `shape2D_Perimeter`).
 *
 * @example
 * ```ts
 * contourPerimeter(contourMesh(sliceMask)); // 101.09 mm for pyradiomics' brain1 slice 16
 * ```
 */
export function contourPerimeter(contour: ContourMesh): number {
  const v = contour.vertices;
  const s = contour.segments;
  let sum = 0;
  for (let q = 0; q < s.length; q += 2) {
    const a = 2 * s[q]!;
    const b = 2 * s[q + 1]!;
    sum += Math.hypot(v[b]! - v[a]!, v[b + 1]! - v[a + 1]!);
  }
  return sum;
}

/**
 * The area a contour encloses in mm² (shoelace sum over its directed segments; pyradiomics
 * `shape2D_MeshSurface`).
 *
 * @example
 * ```ts
 * contourArea(contourMesh(sliceMask)); // 600.28 mm2 for pyradiomics' brain1 slice 16
 * ```
 */
export function contourArea(contour: ContourMesh): number {
  const v = contour.vertices;
  const s = contour.segments;
  let sum = 0;
  for (let q = 0; q < s.length; q += 2) {
    const a = 2 * s[q]!;
    const b = 2 * s[q + 1]!;
    sum += v[a]! * v[b + 1]! - v[b]! * v[a + 1]!;
  }
  return sum / 2;
}
