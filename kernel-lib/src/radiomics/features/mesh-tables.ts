/**
 * The marching-cubes look-up tables, for {@link surfaceMesh}.
 *
 * Corner numbering (offsets along the grid axes i, j, k), edge numbering and triangles follow
 * Lorensen and Cline (1987) as tabulated by Paul Bourke and Cory Bloyd ("Polygonising a scalar
 * field", 1994, public domain), except that configurations 30, 45, 51, 53, 60, 75, 83, 85, 86,
 * 89, 92, 101, 105, 106 and 120 split their polygons along the other diagonals, as pyradiomics'
 * `cshape.c` (BSD 3-clause) does. Non-planar polygons have a different area for each split, so
 * this is what makes areas and volumes agree with pyradiomics:
 *
 * ```text
 * corner: 0 (0,0,0)  1 (1,0,0)  2 (1,1,0)  3 (0,1,0)  4 (0,0,1)  5 (1,0,1)  6 (1,1,1)  7 (0,1,1)
 * edge:   0 0-1  1 1-2  2 2-3  3 3-0  4 4-5  5 5-6  6 6-7  7 7-4  8 0-4  9 1-5  10 2-6  11 3-7
 * ```
 *
 * Only the 128 configurations with corner 7 outside are tabulated; a configuration with corner 7
 * inside uses the triangles of its complement (the surface between inside and outside is the
 * same set of triangles, seen from the other side). Triangle orientation is not taken from the
 * table: {@link orientedTriangleTable} orients every triangle outwards from the geometry.
 *
 * @module
 */

/** Corner offsets (di, dj, dk) of the cube's 8 corners. */
export const CUBE_CORNERS: readonly (readonly [number, number, number])[] = Object.freeze([
  [0, 0, 0],
  [1, 0, 0],
  [1, 1, 0],
  [0, 1, 0],
  [0, 0, 1],
  [1, 0, 1],
  [1, 1, 1],
  [0, 1, 1],
]);

/** The two corners each of the cube's 12 edges joins. */
export const CUBE_EDGES: readonly (readonly [number, number])[] = Object.freeze([
  [0, 1],
  [1, 2],
  [2, 3],
  [3, 0],
  [4, 5],
  [5, 6],
  [6, 7],
  [7, 4],
  [0, 4],
  [1, 5],
  [2, 6],
  [3, 7],
]);

/**
 * Triangles (edge indices, three per triangle) for cube configurations 0..127, where bit n of the
 * configuration is set when corner n is inside.
 */
const HALF_TABLE: readonly (readonly number[])[] = [
  [],
  [0, 8, 3],
  [0, 1, 9],
  [1, 8, 3, 9, 8, 1],
  [1, 2, 10],
  [0, 8, 3, 1, 2, 10],
  [9, 2, 10, 0, 2, 9],
  [2, 8, 3, 2, 10, 8, 10, 9, 8],
  [3, 11, 2],
  [0, 11, 2, 8, 11, 0],
  [1, 9, 0, 2, 3, 11],
  [1, 11, 2, 1, 9, 11, 9, 8, 11],
  [3, 10, 1, 11, 10, 3],
  [0, 10, 1, 0, 8, 10, 8, 11, 10],
  [3, 9, 0, 3, 11, 9, 11, 10, 9],
  [9, 8, 10, 10, 8, 11],
  [4, 7, 8],
  [4, 3, 0, 7, 3, 4],
  [0, 1, 9, 8, 4, 7],
  [4, 1, 9, 4, 7, 1, 7, 3, 1],
  [1, 2, 10, 8, 4, 7],
  [3, 4, 7, 3, 0, 4, 1, 2, 10],
  [9, 2, 10, 9, 0, 2, 8, 4, 7],
  [2, 10, 9, 2, 9, 7, 2, 7, 3, 7, 9, 4],
  [8, 4, 7, 3, 11, 2],
  [11, 4, 7, 11, 2, 4, 2, 0, 4],
  [9, 0, 1, 8, 4, 7, 2, 3, 11],
  [4, 7, 11, 9, 4, 11, 9, 11, 2, 9, 2, 1],
  [3, 10, 1, 3, 11, 10, 7, 8, 4],
  [1, 11, 10, 1, 4, 11, 1, 0, 4, 7, 11, 4],
  [4, 7, 8, 9, 0, 3, 3, 11, 9, 11, 10, 9],
  [4, 7, 11, 4, 11, 9, 9, 11, 10],
  [9, 5, 4],
  [9, 5, 4, 0, 8, 3],
  [0, 5, 4, 1, 5, 0],
  [8, 5, 4, 8, 3, 5, 3, 1, 5],
  [1, 2, 10, 9, 5, 4],
  [3, 0, 8, 1, 2, 10, 4, 9, 5],
  [5, 2, 10, 5, 4, 2, 4, 0, 2],
  [2, 10, 5, 3, 2, 5, 3, 5, 4, 3, 4, 8],
  [9, 5, 4, 2, 3, 11],
  [0, 11, 2, 0, 8, 11, 4, 9, 5],
  [0, 5, 4, 0, 1, 5, 2, 3, 11],
  [2, 1, 5, 2, 5, 8, 2, 8, 11, 4, 8, 5],
  [10, 3, 11, 10, 1, 3, 9, 5, 4],
  [5, 4, 9, 10, 1, 0, 0, 8, 10, 8, 11, 10],
  [5, 4, 0, 5, 0, 11, 5, 11, 10, 11, 0, 3],
  [5, 4, 8, 5, 8, 10, 10, 8, 11],
  [9, 7, 8, 5, 7, 9],
  [9, 3, 0, 9, 5, 3, 5, 7, 3],
  [0, 7, 8, 0, 1, 7, 1, 5, 7],
  [1, 5, 7, 1, 7, 3],
  [9, 7, 8, 9, 5, 7, 10, 1, 2],
  [1, 2, 10, 3, 0, 9, 3, 9, 5, 3, 5, 7],
  [8, 0, 2, 8, 2, 5, 8, 5, 7, 10, 5, 2],
  [2, 10, 5, 2, 5, 3, 3, 5, 7],
  [7, 9, 5, 7, 8, 9, 3, 11, 2],
  [9, 5, 7, 9, 7, 2, 9, 2, 0, 2, 7, 11],
  [2, 3, 11, 0, 1, 8, 1, 7, 8, 1, 5, 7],
  [11, 2, 1, 11, 1, 7, 7, 1, 5],
  [7, 8, 9, 5, 7, 9, 3, 10, 1, 11, 10, 3],
  [5, 7, 0, 5, 0, 9, 7, 11, 0, 1, 0, 10, 11, 10, 0],
  [11, 10, 0, 11, 0, 3, 10, 5, 0, 8, 0, 7, 5, 7, 0],
  [11, 10, 5, 7, 11, 5],
  [10, 6, 5],
  [0, 8, 3, 5, 10, 6],
  [9, 0, 1, 5, 10, 6],
  [1, 8, 3, 1, 9, 8, 5, 10, 6],
  [1, 6, 5, 2, 6, 1],
  [1, 6, 5, 1, 2, 6, 3, 0, 8],
  [9, 6, 5, 9, 0, 6, 0, 2, 6],
  [5, 9, 8, 5, 8, 2, 5, 2, 6, 3, 2, 8],
  [2, 3, 11, 10, 6, 5],
  [11, 0, 8, 11, 2, 0, 10, 6, 5],
  [0, 1, 9, 2, 3, 11, 5, 10, 6],
  [11, 2, 1, 1, 9, 11, 9, 8, 11, 6, 5, 10],
  [6, 3, 11, 6, 5, 3, 5, 1, 3],
  [0, 8, 11, 0, 11, 5, 0, 5, 1, 5, 11, 6],
  [3, 11, 6, 0, 3, 6, 0, 6, 5, 0, 5, 9],
  [6, 5, 9, 6, 9, 11, 11, 9, 8],
  [5, 10, 6, 4, 7, 8],
  [4, 3, 0, 4, 7, 3, 6, 5, 10],
  [1, 9, 0, 5, 10, 6, 8, 4, 7],
  [1, 9, 4, 1, 4, 7, 1, 7, 3, 6, 5, 10],
  [6, 1, 2, 6, 5, 1, 4, 7, 8],
  [0, 4, 3, 4, 7, 3, 1, 6, 5, 1, 2, 6],
  [4, 7, 8, 9, 6, 5, 9, 0, 6, 0, 2, 6],
  [7, 3, 9, 7, 9, 4, 3, 2, 9, 5, 9, 6, 2, 6, 9],
  [3, 11, 2, 7, 8, 4, 10, 6, 5],
  [11, 4, 7, 11, 2, 4, 2, 0, 4, 6, 5, 10],
  [0, 1, 9, 4, 7, 8, 2, 3, 11, 5, 10, 6],
  [9, 2, 1, 9, 11, 2, 9, 4, 11, 7, 11, 4, 5, 10, 6],
  [4, 7, 8, 6, 3, 11, 6, 5, 3, 5, 1, 3],
  [5, 1, 11, 5, 11, 6, 1, 0, 11, 7, 11, 4, 0, 4, 11],
  [0, 5, 9, 0, 6, 5, 0, 3, 6, 11, 6, 3, 8, 4, 7],
  [6, 5, 9, 6, 9, 11, 4, 7, 9, 7, 11, 9],
  [10, 4, 9, 6, 4, 10],
  [4, 10, 6, 4, 9, 10, 0, 8, 3],
  [10, 0, 1, 10, 6, 0, 6, 4, 0],
  [8, 3, 1, 8, 1, 6, 8, 6, 4, 6, 1, 10],
  [1, 4, 9, 1, 2, 4, 2, 6, 4],
  [1, 4, 9, 1, 2, 4, 2, 6, 4, 0, 8, 3],
  [0, 2, 4, 4, 2, 6],
  [8, 3, 2, 8, 2, 4, 4, 2, 6],
  [10, 4, 9, 10, 6, 4, 11, 2, 3],
  [11, 2, 0, 0, 8, 11, 10, 4, 9, 6, 4, 10],
  [11, 2, 3, 0, 1, 10, 10, 6, 0, 6, 4, 0],
  [6, 4, 1, 6, 1, 10, 4, 8, 1, 2, 1, 11, 8, 11, 1],
  [9, 6, 4, 9, 3, 6, 9, 1, 3, 11, 6, 3],
  [8, 11, 1, 8, 1, 0, 11, 6, 1, 9, 1, 4, 6, 4, 1],
  [3, 11, 6, 3, 6, 0, 0, 6, 4],
  [6, 4, 8, 11, 6, 8],
  [7, 10, 6, 7, 8, 10, 8, 9, 10],
  [0, 7, 3, 0, 10, 7, 0, 9, 10, 6, 7, 10],
  [10, 6, 7, 1, 10, 7, 1, 7, 8, 1, 8, 0],
  [10, 6, 7, 10, 7, 1, 1, 7, 3],
  [1, 2, 6, 1, 6, 8, 1, 8, 9, 8, 6, 7],
  [2, 6, 9, 2, 9, 1, 6, 7, 9, 0, 9, 3, 7, 3, 9],
  [7, 8, 0, 7, 0, 6, 6, 0, 2],
  [7, 3, 2, 6, 7, 2],
  [11, 2, 3, 6, 7, 10, 7, 8, 10, 8, 9, 10],
  [2, 0, 7, 2, 7, 11, 0, 9, 7, 6, 7, 10, 9, 10, 7],
  [1, 8, 0, 1, 7, 8, 1, 10, 7, 6, 7, 10, 2, 3, 11],
  [11, 2, 1, 11, 1, 7, 10, 6, 1, 6, 7, 1],
  [8, 9, 6, 8, 6, 7, 9, 1, 6, 11, 6, 3, 1, 3, 6],
  [0, 9, 1, 11, 6, 7],
  [7, 8, 0, 7, 0, 6, 3, 11, 0, 11, 6, 0],
  [7, 11, 6],
];

/**
 * The triangles of every cube configuration 0..255, oriented so that the right-hand normal
 * `(b - a) x (c - a)` points from the inside corners to the outside ones.
 *
 * Row `n` of the result holds up to 5 triangles (15 edge indices) at `[16 * n, 16 * n + 15)`,
 * with `-1` after the last one. Orientation is decided geometrically: on each edge a triangle
 * crosses, the inside corner must lie behind the triangle's plane.
 *
 * @example
 * ```ts
 * const table = orientedTriangleTable();
 * table.slice(16, 19); // configuration 1 (corner 0 inside): one triangle on edges 0, 3, 8
 * ```
 */
export function orientedTriangleTable(): Int8Array {
  const out = new Int8Array(256 * 16).fill(-1);
  const mid = (edge: number, d: number): number => {
    const [p, q] = CUBE_EDGES[edge]!;
    return (CUBE_CORNERS[p]![d]! + CUBE_CORNERS[q]![d]!) / 2;
  };
  for (let config = 0; config < 256; config++) {
    const row = HALF_TABLE[config & 0x80 ? config ^ 0xff : config]!;
    for (let t = 0; t < row.length; t += 3) {
      const e = [row[t]!, row[t + 1]!, row[t + 2]!] as const;
      const ax = mid(e[0], 0);
      const ay = mid(e[0], 1);
      const az = mid(e[0], 2);
      const ux = mid(e[1], 0) - ax;
      const uy = mid(e[1], 1) - ay;
      const uz = mid(e[1], 2) - az;
      const vx = mid(e[2], 0) - ax;
      const vy = mid(e[2], 1) - ay;
      const vz = mid(e[2], 2) - az;
      const nx = uy * vz - uz * vy;
      const ny = uz * vx - ux * vz;
      const nz = ux * vy - uy * vx;
      // Sum over the three crossed edges of (outside corner - inside corner) . normal.
      let side = 0;
      for (const edge of e) {
        const [p, q] = CUBE_EDGES[edge]!;
        const inside = config & (1 << p) ? p : q;
        const outside = inside === p ? q : p;
        const cIn = CUBE_CORNERS[inside]!;
        const cOut = CUBE_CORNERS[outside]!;
        side += (cOut[0] - cIn[0]) * nx + (cOut[1] - cIn[1]) * ny + (cOut[2] - cIn[2]) * nz;
      }
      const base = config * 16 + t;
      out[base] = e[0];
      out[base + 1] = side > 0 ? e[1] : e[2];
      out[base + 2] = side > 0 ? e[2] : e[1];
    }
  }
  return out;
}
