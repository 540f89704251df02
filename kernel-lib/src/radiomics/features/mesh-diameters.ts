import type { SurfaceMesh } from "./mesh";

/**
 * The largest distances between a mesh's vertices: overall, and among vertices that share one
 * coordinate plane of each grid axis (pyradiomics' `Maximum2DDiameterSlice` keeps k, `Column`
 * keeps j, `Row` keeps i), in mm.
 */
export interface MeshDiameters {
  /** Largest distance between any two vertices (IBSI `morph_diam`, pyradiomics `Maximum3DDiameter`). */
  readonly max3d: number;
  /** Largest distance between two vertices with the same k (axial plane for axial scans). */
  readonly slice: number;
  /** Largest distance between two vertices with the same j. */
  readonly column: number;
  /** Largest distance between two vertices with the same i. */
  readonly row: number;
}

/**
 * The largest distance between any two of the listed points, by comparing every pair.
 *
 * @param vertices - Coordinates `x, y, z` interleaved (mm).
 * @param indices - The points to consider (for example a convex hull's vertices, which hold the
 *   farthest pair of the whole set).
 *
 * @example
 * ```ts
 * const hull = convexHull(mesh.lattice);
 * maximumDistance(mesh.vertices, hull.vertexIndices); // 13.11 mm for the IBSI digital phantom
 * ```
 */
export function maximumDistance(vertices: Float64Array, indices: ArrayLike<number>): number {
  let best = 0;
  const n = indices.length;
  for (let a = 0; a < n; a++) {
    const p = 3 * indices[a]!;
    const px = vertices[p]!;
    const py = vertices[p + 1]!;
    const pz = vertices[p + 2]!;
    for (let b = a + 1; b < n; b++) {
      const q = 3 * indices[b]!;
      const dx = px - vertices[q]!;
      const dy = py - vertices[q + 1]!;
      const dz = pz - vertices[q + 2]!;
      const d = dx * dx + dy * dy + dz * dz;
      if (d > best) best = d;
    }
  }
  return Math.sqrt(best);
}

/** Twice the signed area of triangle (o, a, b) in the plane of lattice axes u, v. */
function cross(lat: Int32Array, u: number, v: number, o: number, a: number, b: number): number {
  return (
    (lat[3 * a + u]! - lat[3 * o + u]!) * (lat[3 * b + v]! - lat[3 * o + v]!) -
    (lat[3 * a + v]! - lat[3 * o + v]!) * (lat[3 * b + u]! - lat[3 * o + u]!)
  );
}

/**
 * The largest in-plane distance among the vertices whose lattice coordinate on `axis` is equal,
 * for each plane: the 2D convex hull of the plane's vertices (Andrew's monotone chain, exact on
 * the integer lattice) holds the farthest pair, so only its vertices are compared.
 */
function planarDiameter(mesh: SurfaceMesh, axis: 0 | 1 | 2): number {
  const lat = mesh.lattice;
  const n = lat.length / 3;
  const u = axis === 0 ? 1 : 0;
  const v = axis === 2 ? 1 : 2;
  // Sort vertex indices by (plane, u, v): as one integer key per vertex when the ranges allow a
  // native numeric sort (key * n + index stays below 2^53), else with a comparator.
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let q = 0; q < lat.length; q += 3) {
    for (let d = 0; d < 3; d++) {
      const c = lat[q + d]!;
      if (c < lo[d]!) lo[d] = c;
      if (c > hi[d]!) hi[d] = c;
    }
  }
  const ru = hi[u]! - lo[u]! + 1;
  const rv = hi[v]! - lo[v]! + 1;
  const rp = hi[axis]! - lo[axis]! + 1;
  const order = new Uint32Array(n);
  if (rp * ru * rv * n < 2 ** 53) {
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const key =
        ((lat[3 * i + axis]! - lo[axis]!) * ru + (lat[3 * i + u]! - lo[u]!)) * rv + (lat[3 * i + v]! - lo[v]!);
      keys[i] = key * n + i;
    }
    keys.sort();
    for (let i = 0; i < n; i++) order[i] = keys[i]! % n;
  } else {
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort(
      (a, b) =>
        lat[3 * a + axis]! - lat[3 * b + axis]! ||
        lat[3 * a + u]! - lat[3 * b + u]! ||
        lat[3 * a + v]! - lat[3 * b + v]!,
    );
  }
  const hull = new Uint32Array(2 * n + 2);
  let best = 0;
  let start = 0;
  while (start < n) {
    const plane = lat[3 * order[start]! + axis]!;
    let end = start;
    while (end < n && lat[3 * order[end]! + axis] === plane) end++;
    // Monotone chain over order[start, end): lower hull then upper hull.
    let h = 0;
    for (let q = start; q < end; q++) {
      const p = order[q]!;
      while (h >= 2 && cross(lat, u, v, hull[h - 2]!, hull[h - 1]!, p) <= 0) h--;
      hull[h++] = p;
    }
    const lower = h + 1;
    for (let q = end - 2; q >= start; q--) {
      const p = order[q]!;
      while (h >= lower && cross(lat, u, v, hull[h - 2]!, hull[h - 1]!, p) <= 0) h--;
      hull[h++] = p;
    }
    const count = end - start === 1 ? 1 : h - 1;
    const d = maximumDistance(mesh.vertices, hull.subarray(0, count));
    if (d > best) best = d;
    start = end;
  }
  return best;
}

/**
 * The maximum 3D diameter and pyradiomics' three maximum 2D diameters of a surface mesh.
 *
 * Distances are between mesh vertices (pyradiomics ≥ 2.0 and IBSI), not voxel centres. Two
 * vertices are "in one plane" when their coordinate on the plane's normal axis is exactly equal,
 * as in pyradiomics' `cshape.c`: vertices half-way along an edge of that axis form planes of
 * their own.
 *
 * @param mesh - A mesh from {@link surfaceMesh}.
 * @param hullVertices - The indices of the mesh vertices on its convex hull (from
 *   {@link convexHull} on `mesh.lattice`), where the farthest pair lies.
 *
 * @example
 * ```ts
 * const mesh = surfaceMesh(mask);
 * const d = meshDiameters(mesh, convexHull(mesh.lattice).vertexIndices);
 * d.max3d; // 69.601 mm for pyradiomics' brain1
 * ```
 */
export function meshDiameters(mesh: SurfaceMesh, hullVertices: ArrayLike<number>): MeshDiameters {
  return {
    max3d: maximumDistance(mesh.vertices, hullVertices),
    slice: planarDiameter(mesh, 2),
    column: planarDiameter(mesh, 1),
    row: planarDiameter(mesh, 0),
  };
}
