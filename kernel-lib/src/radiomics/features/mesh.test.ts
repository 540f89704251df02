import path from "node:path";
import { describe, expect, it } from "vitest";
import { maskFromLabel } from "../image/mask";
import { readNifti } from "../image/nifti";
import { readNrrd } from "../image/nrrd";
import { IDENTITY_DIRECTION, type Mask, type Triple } from "../image/volume";
import { RadiomicsError } from "../radiomics-error";
import { IBSI_PHANTOM, PYRADIOMICS_DATA } from "../test-support/reference-data";
import { meshArea, meshVolume, surfaceMesh, type SurfaceMesh } from "./mesh";
import { contourArea, contourMesh, contourPerimeter } from "./mesh-contour";
import { maximumDistance, meshDiameters } from "./mesh-diameters";
import { CUBE_CORNERS, CUBE_EDGES, orientedTriangleTable } from "./mesh-tables";
import { maskBounds } from "./morphology-bounds";
import { convexHull } from "./convex-hull";

function maskOf(dims: Triple, voxels: readonly Triple[], spacing: Triple = [1, 1, 1]): Mask {
  const data = new Uint8Array(dims[0] * dims[1] * dims[2]);
  for (const [i, j, k] of voxels) data[i + dims[0] * (j + dims[1] * k)] = 1;
  return { dims, spacing, origin: [0, 0, 0], direction: IDENTITY_DIRECTION, data };
}

/** Directed edges that do not appear exactly once, or whose reverse does not: 0 for a closed, consistently oriented mesh. */
function openOrFlippedEdges(mesh: SurfaceMesh): number {
  const count = new Map<number, number>();
  const nv = mesh.vertices.length / 3;
  const t = mesh.triangles;
  for (let n = 0; n < t.length; n += 3) {
    for (let e = 0; e < 3; e++) {
      const key = t[n + e]! * nv + t[n + ((e + 1) % 3)]!;
      count.set(key, (count.get(key) ?? 0) + 1);
    }
  }
  let bad = 0;
  for (const [key, c] of count) {
    const a = Math.floor(key / nv);
    const b = key % nv;
    if (c !== 1 || count.get(b * nv + a) !== 1) bad++;
  }
  return bad;
}

describe("orientedTriangleTable", () => {
  it("uses exactly the crossing edges of every configuration, as surface pieces bounded on the cube's faces", () => {
    const table = orientedTriangleTable();
    const mid = (e: number): number[] => {
      const [p, q] = CUBE_EDGES[e]!;
      return [0, 1, 2].map((d) => (CUBE_CORNERS[p]![d]! + CUBE_CORNERS[q]![d]!) / 2);
    };
    const problems: string[] = [];
    for (let config = 0; config < 256; config++) {
      const crossing = CUBE_EDGES.flatMap(([p, q], e) => (((config >> p) & 1) !== ((config >> q) & 1) ? [e] : []));
      const used = new Set<number>();
      const segments = new Map<string, number>();
      for (let t = 16 * config; table[t]! >= 0; t += 3) {
        const tri = [table[t]!, table[t + 1]!, table[t + 2]!];
        for (let k = 0; k < 3; k++) {
          used.add(tri[k]!);
          const a = Math.min(tri[k]!, tri[(k + 1) % 3]!);
          const b = Math.max(tri[k]!, tri[(k + 1) % 3]!);
          segments.set(`${a}-${b}`, (segments.get(`${a}-${b}`) ?? 0) + 1);
        }
      }
      if ([...used].sort((x, y) => x - y).join() !== crossing.join()) problems.push(`${config}: edges`);
      for (const [key, n] of segments) {
        const [a, b] = key.split("-").map((v) => mid(Number(v)));
        const onFace = [0, 1, 2].some((d) => a![d] === b![d] && (a![d] === 0 || a![d] === 1));
        if (n !== (onFace ? 1 : 2)) problems.push(`${config}: segment ${key} used ${n} times`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe("surfaceMesh", () => {
  it("meshes one voxel as an octahedron, scaled by the spacing", () => {
    const unit = surfaceMesh(maskOf([1, 1, 1], [[0, 0, 0]]));
    expect(unit.vertices.length / 3).toBe(6);
    expect(unit.triangles.length / 3).toBe(8);
    expect(meshVolume(unit)).toBeCloseTo(1 / 6, 14);
    expect(meshArea(unit)).toBeCloseTo(Math.sqrt(3), 14);
    const tips = Array.from({ length: 6 }, (_, v) => [...unit.lattice.subarray(3 * v, 3 * v + 3)].join(" ")).sort();
    expect(tips).toEqual(["-1 0 0", "0 -1 0", "0 0 -1", "0 0 1", "0 1 0", "1 0 0"]);

    const box = surfaceMesh(maskOf([3, 3, 3], [[1, 1, 1]], [2, 3, 4]));
    expect(meshVolume(box)).toBeCloseTo(24 / 6, 13);
    // Faces are right triangles' hypotenuse planes: 8 triangles with legs (1, 1.5, 2) mm.
    const face = 0.5 * Math.hypot(1.5 * 2, 1 * 2, 1 * 1.5);
    expect(meshArea(box)).toBeCloseTo(8 * face, 13);
  });

  it("gives closed, outward-oriented meshes for the IBSI phantom and pyradiomics' ROIs", async () => {
    const phantom = maskFromLabel(await readNifti(IBSI_PHANTOM.mask), 1);
    for (const mask of [
      phantom,
      maskFromLabel(readNrrd(path.join(PYRADIOMICS_DATA, "brain1_label.nrrd")), 1),
      maskFromLabel(readNrrd(path.join(PYRADIOMICS_DATA, "breast1_label.nrrd")), 1),
    ]) {
      const mesh = surfaceMesh(mask);
      expect(openOrFlippedEdges(mesh)).toBe(0);
      expect(meshVolume(mesh)).toBeGreaterThan(0);
    }
    const mesh = surfaceMesh(phantom);
    expect(meshVolume(mesh)).toBeCloseTo(1669 / 3, 10); // 556.33 mm3
    expect(meshArea(mesh)).toBeCloseTo(388.0706298811, 9);
  });

  it("throws empty-roi for an empty mask", () => {
    const empty = maskOf([4, 4, 4], []);
    expect(() => surfaceMesh(empty)).toThrow(RadiomicsError);
    expect(() => surfaceMesh(empty)).toThrow(expect.objectContaining({ code: "empty-roi" }));
  });
});

describe("maskBounds", () => {
  it("finds the box of the voxels, also for masks that are views at odd byte offsets", () => {
    const backing = new Uint8Array(1 + 5 * 4 * 3);
    const data = backing.subarray(1);
    data[1 + 5 * (2 + 4 * 0)] = 1; // (1, 2, 0)
    data[4 + 5 * (3 + 4 * 2)] = 1; // (4, 3, 2), the last byte
    const mask: Mask = { dims: [5, 4, 3], spacing: [1, 1, 1], origin: [0, 0, 0], direction: IDENTITY_DIRECTION, data };
    expect(maskBounds(mask)).toEqual({ min: [1, 2, 0], max: [4, 3, 2] });
  });
});

describe("meshDiameters", () => {
  it("measures an octahedron: 1 mm tip to tip overall and in each plane through its centre", () => {
    const mesh = surfaceMesh(maskOf([1, 1, 1], [[0, 0, 0]]));
    const hull = convexHull(mesh.lattice);
    expect(meshDiameters(mesh, hull.vertexIndices)).toEqual({ max3d: 1, slice: 1, column: 1, row: 1 });
    const all = Uint32Array.from({ length: mesh.vertices.length / 3 }, (_, i) => i);
    expect(maximumDistance(mesh.vertices, all)).toBe(1);
  });

  it("keeps planes apart: two voxels stacked in k have no in-slice pair spanning both", () => {
    const mesh = surfaceMesh(
      maskOf(
        [1, 1, 2],
        [
          [0, 0, 0],
          [0, 0, 1],
        ],
        [1, 1, 3],
      ),
    );
    const d = meshDiameters(mesh, convexHull(mesh.lattice).vertexIndices);
    expect(d.max3d).toBeCloseTo(6, 14); // tip (z = -1.5) to tip (z = 4.5)
    expect(d.slice).toBeCloseTo(1, 14); // within z = 0 or z = 3: the square of four edge midpoints
    expect(d.row).toBeCloseTo(6, 14);
  });
});

describe("contourMesh", () => {
  it("outlines one pixel as a diamond and keeps diagonal pixels apart", () => {
    const one = contourMesh(maskOf([1, 1, 1], [[0, 0, 0]], [2, 2, 5]));
    expect(contourArea(one)).toBeCloseTo(2, 14); // half of the 2 x 2 mm pixel
    expect(contourPerimeter(one)).toBeCloseTo(4 * Math.SQRT2, 14);
    const diagonal = contourMesh(
      maskOf(
        [2, 2, 1],
        [
          [0, 0, 0],
          [1, 1, 0],
        ],
      ),
    );
    expect(contourArea(diagonal)).toBeCloseTo(1, 14);
    expect(diagonal.segments.length / 2).toBe(8);
  });

  it("throws input when the ROI spans more than one slice, and empty-roi when there is none", () => {
    const twoSlices = maskOf(
      [2, 2, 2],
      [
        [0, 0, 0],
        [0, 0, 1],
      ],
    );
    expect(() => contourMesh(twoSlices)).toThrow(
      expect.objectContaining({ code: "input", evidence: { path: "mask" } }),
    );
    expect(() => contourMesh(maskOf([2, 2, 1], []))).toThrow(expect.objectContaining({ code: "empty-roi" }));
  });
});
