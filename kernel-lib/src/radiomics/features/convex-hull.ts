import { RadiomicsError } from "../radiomics-error";

/** A 3D convex hull as a closed triangle mesh over the input points. */
export interface ConvexHull {
  /** Indices (into the input point list) of the points the hull's faces use. */
  readonly vertexIndices: Uint32Array;
  /** Faces as triples of input point indices, ordered so that the right-hand normal points outwards. */
  readonly triangles: Uint32Array;
}

/**
 * Largest integer coordinate for which the orientation test below is exact in double precision:
 * differences stay below 2^16, the 3 x 3 determinant's products below 2^48 and its sum below 2^51.
 */
const EXACT_LIMIT = 2 ** 15;

/**
 * Drops points that lie strictly between two other points along a coordinate axis (they cannot
 * be hull vertices), for integer coordinates on a small grid: per line parallel to `axis`, only
 * the lowest and highest points are kept. Returns the surviving indices.
 */
function axisExtremes(p: Float64Array, candidates: Uint32Array, axis: 0 | 1 | 2): Uint32Array {
  const u = axis === 0 ? 1 : 0;
  const v = axis === 2 ? 1 : 2;
  let uLo = Infinity;
  let uHi = -Infinity;
  let vLo = Infinity;
  let vHi = -Infinity;
  for (const c of candidates) {
    const a = p[3 * c + u]!;
    const b = p[3 * c + v]!;
    if (a < uLo) uLo = a;
    if (a > uHi) uHi = a;
    if (b < vLo) vLo = b;
    if (b > vHi) vHi = b;
  }
  const width = uHi - uLo + 1;
  const cells = width * (vHi - vLo + 1);
  if (!(cells <= 4 * candidates.length + 1024)) return candidates;
  const lowest = new Int32Array(cells).fill(-1);
  const highest = new Int32Array(cells).fill(-1);
  for (const c of candidates) {
    const cell = p[3 * c + u]! - uLo + width * (p[3 * c + v]! - vLo);
    const lo = lowest[cell]!;
    if (lo < 0 || p[3 * c + axis]! < p[3 * lo + axis]!) lowest[cell] = c;
    const hi = highest[cell]!;
    if (hi < 0 || p[3 * c + axis]! > p[3 * hi + axis]!) highest[cell] = c;
  }
  const out: number[] = [];
  for (let cell = 0; cell < cells; cell++) {
    const lo = lowest[cell]!;
    if (lo < 0) continue;
    out.push(lo);
    if (highest[cell] !== lo) out.push(highest[cell]!);
  }
  return Uint32Array.from(out).sort();
}

/**
 * The convex hull of a 3D point set, by Quickhull (Barber, Dobkin and Huhdanpaa, 1996).
 *
 * The orientation test is exact when every coordinate is an integer below 2^15 in magnitude, as
 * for the half-voxel lattice coordinates of a {@link SurfaceMesh} (`mesh.lattice`): pass those
 * and scale the result, since a hull's faces are unchanged by scaling each axis. Points inside
 * the hull or on its surface are not used, except that a point taken as a vertex early can end
 * up inside a flat part of the final hull; adjacent faces may be coplanar. Neither changes the
 * hull's volume, area or farthest pair. For other coordinates a relative tolerance of about
 * 1e-12 decides "outside".
 *
 * @param points - Coordinates `x, y, z` interleaved.
 * @returns The hull; its arrays are new and owned by the caller.
 * @throws {@link RadiomicsError} `input` when the points do not span a volume (fewer than 4
 *   points, or all on one plane), or a coordinate is not finite.
 *
 * @example
 * ```ts
 * const cube = new Float64Array([0,0,0, 2,0,0, 0,2,0, 2,2,0, 0,0,2, 2,0,2, 0,2,2, 2,2,2, 1,1,1]);
 * const hull = convexHull(cube);
 * hull.triangles.length / 3; // 12 faces (two per side); the centre point is not a vertex
 * ```
 */
export function convexHull(points: ArrayLike<number>): ConvexHull {
  const n = Math.floor(points.length / 3);
  const p = Float64Array.from(points);
  let integral = true;
  let scale = 0;
  for (let q = 0; q < 3 * n; q++) {
    const v = p[q]!;
    if (!Number.isFinite(v)) {
      throw new RadiomicsError("input", `Point ${Math.floor(q / 3)} has a coordinate that is not finite (${v})`, {
        path: `points[${q}]`,
        hint: "Remove NaN or infinite coordinates before computing a convex hull.",
      });
    }
    if (!Number.isInteger(v) || Math.abs(v) >= EXACT_LIMIT) integral = false;
    scale = Math.max(scale, Math.abs(v));
  }
  const eps = integral ? 0 : 1e-12 * Math.max(scale, 1) ** 3;

  const notSolid = (why: string): RadiomicsError =>
    new RadiomicsError("input", `The ${n} points do not span a volume: ${why}`, {
      hint: "A convex hull needs at least 4 points that do not lie on one plane.",
    });
  if (n < 4) throw notSolid("fewer than 4 points");
  let candidates = new Uint32Array(n);
  for (let i = 0; i < n; i++) candidates[i] = i;
  if (integral) for (const axis of [0, 1, 2] as const) candidates = axisExtremes(p, candidates, axis);

  const x = (i: number): number => p[3 * i]!;
  const y = (i: number): number => p[3 * i + 1]!;
  const z = (i: number): number => p[3 * i + 2]!;
  /** Six times the signed volume of tetrahedron (a, b, c, d): positive when d is above abc. */
  const orient = (a: number, b: number, c: number, d: number): number => {
    const ux = x(b) - x(a);
    const uy = y(b) - y(a);
    const uz = z(b) - z(a);
    const vx = x(c) - x(a);
    const vy = y(c) - y(a);
    const vz = z(c) - z(a);
    const wx = x(d) - x(a);
    const wy = y(d) - y(a);
    const wz = z(d) - z(a);
    return wx * (uy * vz - uz * vy) + wy * (uz * vx - ux * vz) + wz * (ux * vy - uy * vx);
  };

  // Initial tetrahedron: the extremes along x, then the farthest from their line and plane.
  let i0 = candidates[0]!;
  let i1 = i0;
  for (const i of candidates) {
    if (x(i) < x(i0) || (x(i) === x(i0) && (y(i) < y(i0) || (y(i) === y(i0) && z(i) < z(i0))))) i0 = i;
    if (x(i) > x(i1) || (x(i) === x(i1) && (y(i) > y(i1) || (y(i) === y(i1) && z(i) > z(i1))))) i1 = i;
  }
  if (i0 === i1 || (x(i0) === x(i1) && y(i0) === y(i1) && z(i0) === z(i1))) throw notSolid("all points coincide");
  let i2 = -1;
  let best = 0;
  for (const i of candidates) {
    const ux = x(i1) - x(i0);
    const uy = y(i1) - y(i0);
    const uz = z(i1) - z(i0);
    const wx = x(i) - x(i0);
    const wy = y(i) - y(i0);
    const wz = z(i) - z(i0);
    const cx = uy * wz - uz * wy;
    const cy = uz * wx - ux * wz;
    const cz = ux * wy - uy * wx;
    const d = cx * cx + cy * cy + cz * cz;
    if (d > best) {
      best = d;
      i2 = i;
    }
  }
  if (i2 < 0 || best <= eps * eps) throw notSolid("they lie on one line");
  let i3 = -1;
  best = 0;
  for (const i of candidates) {
    const d = Math.abs(orient(i0, i1, i2, i));
    if (d > best) {
      best = d;
      i3 = i;
    }
  }
  if (i3 < 0 || best <= eps) throw notSolid("they lie on one plane");

  // Face storage (grown as needed): vertices, neighbours across edges (v0v1, v1v2, v2v0), alive.
  let cap = 64;
  let fv = new Int32Array(3 * cap);
  let fn = new Int32Array(3 * cap);
  let alive = new Uint8Array(cap);
  let faceCount = 0;
  const outside: (number[] | undefined)[] = [];
  const addFace = (a: number, b: number, c: number): number => {
    if (faceCount === cap) {
      cap *= 2;
      const v2 = new Int32Array(3 * cap);
      v2.set(fv);
      fv = v2;
      const n2 = new Int32Array(3 * cap);
      n2.set(fn);
      fn = n2;
      const a2 = new Uint8Array(cap);
      a2.set(alive);
      alive = a2;
    }
    const f = faceCount++;
    fv[3 * f] = a;
    fv[3 * f + 1] = b;
    fv[3 * f + 2] = c;
    fn[3 * f] = fn[3 * f + 1] = fn[3 * f + 2] = -1;
    alive[f] = 1;
    outside[f] = undefined;
    return f;
  };
  const above = (f: number, i: number): number => orient(fv[3 * f]!, fv[3 * f + 1]!, fv[3 * f + 2]!, i);
  /** Sets the neighbour of face f across its edge (a, b). */
  const link = (f: number, a: number, b: number, g: number): void => {
    for (let e = 0; e < 3; e++) {
      if (fv[3 * f + e] === a && fv[3 * f + ((e + 1) % 3)] === b) {
        fn[3 * f + e] = g;
        return;
      }
    }
  };

  // Orient the tetrahedron outwards: i3 must be below face (i0, i1, i2).
  const [a0, b0] = orient(i0, i1, i2, i3) > 0 ? [i1, i0] : [i0, i1];
  const t0 = addFace(a0, b0, i2);
  const t1 = addFace(a0, i3, b0);
  const t2 = addFace(b0, i3, i2);
  const t3 = addFace(i2, i3, a0);
  const tetra = [t0, t1, t2, t3];
  for (const f of tetra) {
    for (const g of tetra) {
      if (f === g) continue;
      for (let e = 0; e < 3; e++) {
        const u = fv[3 * f + e]!;
        const v = fv[3 * f + ((e + 1) % 3)]!;
        for (let h = 0; h < 3; h++) {
          if (fv[3 * g + h] === v && fv[3 * g + ((h + 1) % 3)] === u) fn[3 * f + e] = g;
        }
      }
    }
  }
  for (const i of candidates) {
    if (i === i0 || i === i1 || i === i2 || i === i3) continue;
    for (const f of tetra) {
      if (above(f, i) > eps) {
        (outside[f] ??= []).push(i);
        break;
      }
    }
  }

  const stack: number[] = [];
  const visible: number[] = [];
  let stamp = new Int32Array(cap);
  let round = 0;
  for (let f = 0; f < faceCount; f++) {
    const list = outside[f];
    if (alive[f] === 0 || list === undefined || list.length === 0) continue;
    // The eye: the point of f's outside set farthest from its plane.
    let eye = list[0]!;
    let far = above(f, eye);
    for (const i of list) {
      const d = above(f, i);
      if (d > far) {
        far = d;
        eye = i;
      }
    }
    round++;
    if (stamp.length < cap) {
      const s2 = new Int32Array(cap);
      s2.set(stamp);
      stamp = s2;
    }
    // Visible faces, by a walk across neighbours; the horizon is the set of edges to faces not visible.
    visible.length = 0;
    stack.length = 0;
    stack.push(f);
    stamp[f] = round;
    const horizon: number[] = []; // triples: u, v, face across (u, v)
    while (stack.length > 0) {
      const g = stack.pop()!;
      visible.push(g);
      for (let e = 0; e < 3; e++) {
        const h = fn[3 * g + e]!;
        if (stamp[h] === round) continue;
        if (above(h, eye) > eps) {
          stamp[h] = round;
          stack.push(h);
        } else {
          horizon.push(fv[3 * g + e]!, fv[3 * g + ((e + 1) % 3)]!, h);
        }
      }
    }
    const startOf = new Map<number, number>();
    const endOf = new Map<number, number>();
    const created: number[] = [];
    for (let q = 0; q < horizon.length; q += 3) {
      const u = horizon[q]!;
      const v = horizon[q + 1]!;
      const h = horizon[q + 2]!;
      const g = addFace(u, v, eye);
      fn[3 * g] = h;
      link(h, v, u, g);
      startOf.set(u, g);
      endOf.set(v, g);
      created.push(g);
    }
    for (const g of created) {
      const v = fv[3 * g + 1]!;
      const u = fv[3 * g]!;
      fn[3 * g + 1] = startOf.get(v)!; // across (v, eye): the new face whose horizon edge starts at v
      fn[3 * g + 2] = endOf.get(u)!; // across (eye, u): the new face whose horizon edge ends at u
    }
    for (const g of visible) {
      alive[g] = 0;
      const pts = outside[g];
      outside[g] = undefined;
      if (pts === undefined) continue;
      for (const i of pts) {
        if (i === eye) continue;
        for (const c of created) {
          if (above(c, i) > eps) {
            (outside[c] ??= []).push(i);
            break;
          }
        }
      }
    }
  }

  let live = 0;
  for (let f = 0; f < faceCount; f++) live += alive[f]!;
  const triangles = new Uint32Array(3 * live);
  const used = new Uint8Array(n);
  let t = 0;
  for (let f = 0; f < faceCount; f++) {
    if (alive[f] === 0) continue;
    for (let e = 0; e < 3; e++) {
      const v = fv[3 * f + e]!;
      triangles[t++] = v;
      used[v] = 1;
    }
  }
  let count = 0;
  for (let i = 0; i < n; i++) count += used[i]!;
  const vertexIndices = new Uint32Array(count);
  count = 0;
  for (let i = 0; i < n; i++) if (used[i] === 1) vertexIndices[count++] = i;
  return { vertexIndices, triangles };
}
