import { describe, expect, it } from "vitest";
import { convexHull } from "./convex-hull";

/** The largest orientation value of any point above any face (0 when every point is on or below all faces). */
function worstOutside(points: Float64Array, triangles: Uint32Array): number {
  let worst = 0;
  const p = (i: number, d: number): number => points[3 * i + d]!;
  for (let f = 0; f < triangles.length; f += 3) {
    const [a, b, c] = [triangles[f]!, triangles[f + 1]!, triangles[f + 2]!];
    const u = [0, 1, 2].map((d) => p(b, d) - p(a, d));
    const v = [0, 1, 2].map((d) => p(c, d) - p(a, d));
    const n = [u[1]! * v[2]! - u[2]! * v[1]!, u[2]! * v[0]! - u[0]! * v[2]!, u[0]! * v[1]! - u[1]! * v[0]!];
    for (let i = 0; i < points.length / 3; i++) {
      const o = n[0]! * (p(i, 0) - p(a, 0)) + n[1]! * (p(i, 1) - p(a, 1)) + n[2]! * (p(i, 2) - p(a, 2));
      worst = Math.max(worst, o);
    }
  }
  return worst;
}

/** Directed edges that do not pair with their reverse exactly once. */
function unpairedEdges(triangles: Uint32Array): number {
  const count = new Map<string, number>();
  for (let f = 0; f < triangles.length; f += 3) {
    for (let e = 0; e < 3; e++) {
      const key = `${triangles[f + e]},${triangles[f + ((e + 1) % 3)]}`;
      count.set(key, (count.get(key) ?? 0) + 1);
    }
  }
  let bad = 0;
  for (const [key, c] of count) {
    const [a, b] = key.split(",");
    if (c !== 1 || count.get(`${b},${a}`) !== 1) bad++;
  }
  return bad;
}

function volume(points: Float64Array, triangles: Uint32Array): number {
  let sum = 0;
  for (let f = 0; f < triangles.length; f += 3) {
    const [a, b, c] = [3 * triangles[f]!, 3 * triangles[f + 1]!, 3 * triangles[f + 2]!];
    sum +=
      points[a]! * (points[b + 1]! * points[c + 2]! - points[b + 2]! * points[c + 1]!) +
      points[a + 1]! * (points[b + 2]! * points[c]! - points[b]! * points[c + 2]!) +
      points[a + 2]! * (points[b]! * points[c + 1]! - points[b + 1]! * points[c]!);
  }
  return sum / 6;
}

function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

describe("convexHull", () => {
  it("hulls a cube with a centre point: 8 vertices, 12 outward faces, volume 8", () => {
    const cube = new Float64Array([
      0, 0, 0, 2, 0, 0, 0, 2, 0, 2, 2, 0, 0, 0, 2, 2, 0, 2, 0, 2, 2, 2, 2, 2, 1, 1, 1, 1, 0, 0,
    ]);
    const hull = convexHull(cube);
    expect([...hull.vertexIndices]).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(hull.triangles.length / 3).toBe(12);
    expect(unpairedEdges(hull.triangles)).toBe(0);
    expect(volume(cube, hull.triangles)).toBe(8);
  });

  it("is exact on integer points with many coplanar and collinear ones", () => {
    const random = lcg(7);
    for (let trial = 0; trial < 20; trial++) {
      const points = Float64Array.from({ length: 900 }, () => Math.floor(random() * 6));
      const hull = convexHull(points);
      expect(worstOutside(points, hull.triangles)).toBe(0);
      expect(unpairedEdges(hull.triangles)).toBe(0);
    }
  });

  it("hulls non-integer points within a relative tolerance", () => {
    const random = lcg(11);
    for (let trial = 0; trial < 20; trial++) {
      const points = Float64Array.from({ length: 900 }, () => random() * 10 - 5);
      const hull = convexHull(points);
      expect(worstOutside(points, hull.triangles)).toBeLessThan(1e-9);
      expect(unpairedEdges(hull.triangles)).toBe(0);
    }
  });

  it("throws input for point sets without volume or with non-finite coordinates", () => {
    expect(() => convexHull([0, 0, 0, 1, 0, 0, 0, 1, 0])).toThrow(
      expect.objectContaining({ code: "input", message: expect.stringContaining("fewer than 4 points") }),
    );
    expect(() => convexHull([0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0, 5, 5, 0])).toThrow(
      expect.objectContaining({ code: "input", message: expect.stringContaining("on one plane") }),
    );
    expect(() => convexHull([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3])).toThrow(
      expect.objectContaining({ code: "input", message: expect.stringContaining("on one line") }),
    );
    expect(() => convexHull([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, Number.NaN])).toThrow(
      expect.objectContaining({ code: "input", evidence: { path: "points[11]" } }),
    );
  });
});
