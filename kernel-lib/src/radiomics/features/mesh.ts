import type { Mask, Triple } from "../image/volume";
import { CUBE_CORNERS, CUBE_EDGES, orientedTriangleTable } from "./mesh-tables";
import { maskBounds } from "./morphology-bounds";

/**
 * A closed triangle mesh of a mask's surface (IBSI 3.1, "mesh-based representation").
 *
 * Vertices lie half-way between a voxel inside and a voxel outside the mask (the 0.5 iso-level of
 * a 0/1 mask), one vertex per such voxel pair. Positions are in millimetres along the grid axes
 * i, j, k (`x = i * spacing[0]`, and so on), relative to the centre of voxel (0, 0, 0); the
 * direction matrix is not applied because no morphological feature depends on it (lengths, areas
 * and volumes are invariant under rotation).
 */
export interface SurfaceMesh {
  /** Vertex positions in mm, `x, y, z` interleaved. */
  readonly vertices: Float64Array;
  /**
   * The same positions in half-voxel units: `2i, 2j, 2k`, odd along the axis of the edge the
   * vertex sits on. Exact integers, for convex hulls and for grouping vertices by plane.
   */
  readonly lattice: Int32Array;
  /** Faces as vertex-index triples, ordered so that the right-hand normal points outwards. */
  readonly triangles: Uint32Array;
  /** Voxel size in mm along i, j, k (the mask's spacing). */
  readonly spacing: Triple;
}

const TRIANGLES = orientedTriangleTable();

/** For each cube edge: the offset of its lower corner and its axis. */
const EDGE_BASE: readonly (readonly [number, number, number, number])[] = CUBE_EDGES.map(([p, q]) => {
  const a = CUBE_CORNERS[p]!;
  const b = CUBE_CORNERS[q]!;
  const axis = a[0] !== b[0] ? 0 : a[1] !== b[1] ? 1 : 2;
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.min(a[2], b[2]), axis] as const;
});

/** A growable typed array of 32-bit integers. */
class IntList<T extends Int32Array | Uint32Array> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (n: number) => T,
  ) {}
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  result(): T {
    return this.data.slice(0, this.length) as T;
  }
}

/**
 * The marching-cubes surface mesh of a mask, as IBSI defines it: the mask is padded with one
 * layer of outside voxels, the iso-level is 0.5 (every vertex half-way along a voxel edge that
 * joins an inside and an outside voxel), positions are scaled by the voxel spacing and every face
 * is oriented outwards, so that {@link meshVolume} (sum of signed tetrahedra) is the enclosed
 * volume. The triangulation is that of Lorensen and Cline's table (see `mesh-tables.ts`), the
 * same as pyradiomics' `cshape.c`, so areas and volumes agree with pyradiomics to rounding.
 *
 * Only the mask's bounding box (plus the padding) is visited, so the cost is proportional to the
 * ROI's box, not the image.
 *
 * @param mask - The morphological mask (any voxel not 0 is inside).
 * @returns The mesh; its arrays are new and owned by the caller.
 * @throws {@link RadiomicsError} `empty-roi` when the mask holds no voxel.
 *
 * @example
 * ```ts
 * import { maskFromLabel, readNrrd } from "@radlab/kernel";
 * const mask = maskFromLabel(readNrrd("brain1_label.nrrd"), 1);
 * const mesh = surfaceMesh(mask);
 * meshVolume(mesh); // 16147.51 mm3
 * ```
 */
export function surfaceMesh(mask: Mask): SurfaceMesh {
  const { min, max } = maskBounds(mask);
  const [dimX, dimY] = mask.dims;
  // Local padded box: local index (a, b, c) is grid voxel (min - 1 + a, ...).
  const px = max[0] - min[0] + 3;
  const py = max[1] - min[1] + 3;
  const pz = max[2] - min[2] + 3;
  const plane = px * py;
  const local = new Uint8Array(plane * pz);
  for (let c = 1; c < pz - 1; c++) {
    for (let b = 1; b < py - 1; b++) {
      const src = min[0] + dimX * (min[1] - 1 + b + dimY * (min[2] - 1 + c));
      const dst = 1 + px * (b + py * c);
      for (let a = 0; a < px - 2; a++) local[dst + a] = mask.data[src + a] === 0 ? 0 : 1;
    }
  }

  // A cube's configuration from two 4-bit columns (the voxels at (dj, dk) = (0,0), (1,0), (0,1),
  // (1,1) at x = a and at x = a + 1): config = LEFT[column(a)] | RIGHT[column(a + 1)].
  const LEFT = new Uint8Array(16);
  const RIGHT = new Uint8Array(16);
  CUBE_CORNERS.forEach(([di, dj, dk], corner) => {
    const bit = dj + 2 * dk;
    for (let code = 0; code < 16; code++) {
      if ((code >> bit) & 1) (di === 0 ? LEFT : RIGHT)[code] |= 1 << corner;
    }
  });
  const edgeOffset = EDGE_BASE.map(([di, dj, dk, axis]) => 3 * (di + px * (dj + py * dk)) + axis);
  const edgeAxis = EDGE_BASE.map((e) => e[3]);
  const edgeLow = EDGE_BASE.map(([di, dj, dk]) => [di, dj, dk] as const);

  const vertexOfEdge = new Int32Array(3 * plane * pz).fill(-1);
  const lattice = new IntList(new Int32Array(3 * 1024), (n) => new Int32Array(n));
  const triangles = new IntList(new Uint32Array(3 * 2048), (n) => new Uint32Array(n));
  const ox = 2 * (min[0] - 1);
  const oy = 2 * (min[1] - 1);
  const oz = 2 * (min[2] - 1);

  for (let c = 0; c < pz - 1; c++) {
    for (let b = 0; b < py - 1; b++) {
      let n = px * (b + py * c);
      const up = px;
      const back = plane;
      let column = local[n]! | (local[n + up]! << 1) | (local[n + back]! << 2) | (local[n + up + back]! << 3);
      for (let a = 0; a < px - 1; a++, n++) {
        const m = n + 1;
        const next = local[m]! | (local[m + up]! << 1) | (local[m + back]! << 2) | (local[m + up + back]! << 3);
        const config = LEFT[column]! | RIGHT[next]!;
        column = next;
        if (config === 0 || config === 255) continue;
        const row = config * 16;
        for (let t = row; TRIANGLES[t]! >= 0; t++) {
          const edge = TRIANGLES[t]!;
          const id = 3 * n + edgeOffset[edge]!;
          let v = vertexOfEdge[id]!;
          if (v < 0) {
            v = lattice.length / 3;
            vertexOfEdge[id] = v;
            const low = edgeLow[edge]!;
            const axis = edgeAxis[edge]!;
            lattice.push(ox + 2 * (a + low[0]) + (axis === 0 ? 1 : 0));
            lattice.push(oy + 2 * (b + low[1]) + (axis === 1 ? 1 : 0));
            lattice.push(oz + 2 * (c + low[2]) + (axis === 2 ? 1 : 0));
          }
          triangles.push(v);
        }
      }
    }
  }

  const lat = lattice.result();
  const [sx, sy, sz] = mask.spacing;
  const vertices = new Float64Array(lat.length);
  for (let n = 0; n < lat.length; n += 3) {
    vertices[n] = (lat[n]! / 2) * sx;
    vertices[n + 1] = (lat[n + 1]! / 2) * sy;
    vertices[n + 2] = (lat[n + 2]! / 2) * sz;
  }
  return { vertices, lattice: lat, triangles: triangles.result(), spacing: mask.spacing };
}

/**
 * The surface area of a mesh in mm²: the sum of its triangles' areas (IBSI `morph_area_mesh`,
 * pyradiomics `shape_SurfaceArea`).
 *
 * @example
 * ```ts
 * meshArea(surfaceMesh(mask)); // 388.4 mm2 for the IBSI digital phantom
 * ```
 */
export function meshArea(mesh: SurfaceMesh): number {
  const v = mesh.vertices;
  const t = mesh.triangles;
  let area = 0;
  for (let n = 0; n < t.length; n += 3) {
    const a = 3 * t[n]!;
    const b = 3 * t[n + 1]!;
    const c = 3 * t[n + 2]!;
    const ux = v[b]! - v[a]!;
    const uy = v[b + 1]! - v[a + 1]!;
    const uz = v[b + 2]! - v[a + 2]!;
    const wx = v[c]! - v[a]!;
    const wy = v[c + 1]! - v[a + 1]!;
    const wz = v[c + 2]! - v[a + 2]!;
    const nx = uy * wz - uz * wy;
    const ny = uz * wx - ux * wz;
    const nz = ux * wy - uy * wx;
    area += 0.5 * Math.sqrt(nx * nx + ny * ny + nz * nz);
  }
  return area;
}

/**
 * The volume a mesh encloses in mm³: the sum over faces of the signed volume of the tetrahedron
 * spanned by the face and a reference point (IBSI `morph_volume`, pyradiomics
 * `shape_MeshVolume`). The faces are oriented outwards, so the sum is positive.
 *
 * The reference point is the corner of the padded bounding box (the centre of voxel
 * `min - 1`), where pyradiomics puts its origin after cropping to the ROI and padding one voxel.
 * For a closed mesh the reference point does not matter; Lorensen's table can leave small
 * cracks at ambiguous faces, and then this choice reproduces pyradiomics' value.
 *
 * @example
 * ```ts
 * meshVolume(surfaceMesh(mask)); // 556.3 mm3 for the IBSI digital phantom
 * ```
 */
export function meshVolume(mesh: SurfaceMesh): number {
  const v = mesh.vertices;
  const t = mesh.triangles;
  const lat = mesh.lattice;
  // Lowest vertex on each axis sits half a voxel below the ROI's box: lattice 2 * min - 1.
  const low = [Infinity, Infinity, Infinity];
  for (let q = 0; q < lat.length; q += 3) {
    for (let d = 0; d < 3; d++) if (lat[q + d]! < low[d]!) low[d] = lat[q + d]!;
  }
  const rx = ((low[0]! - 1) / 2) * mesh.spacing[0];
  const ry = ((low[1]! - 1) / 2) * mesh.spacing[1];
  const rz = ((low[2]! - 1) / 2) * mesh.spacing[2];
  let sum = 0;
  for (let n = 0; n < t.length; n += 3) {
    const a = 3 * t[n]!;
    const b = 3 * t[n + 1]!;
    const c = 3 * t[n + 2]!;
    const ax = v[a]! - rx;
    const ay = v[a + 1]! - ry;
    const az = v[a + 2]! - rz;
    const bx = v[b]! - rx;
    const by = v[b + 1]! - ry;
    const bz = v[b + 2]! - rz;
    const cx = v[c]! - rx;
    const cy = v[c + 1]! - ry;
    const cz = v[c + 2]! - rz;
    sum += ax * (by * cz - bz * cy) + ay * (bz * cx - bx * cz) + az * (bx * cy - by * cx);
  }
  return sum / 6;
}
