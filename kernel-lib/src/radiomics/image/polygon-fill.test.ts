import { describe, expect, it } from "vitest";
import { fillPolygons } from "./polygon-fill";

function count(mask: Uint8Array): number {
  return mask.reduce((n, v) => n + v, 0);
}

/** The mask as rows of 0/1 characters, top row first. */
function picture(mask: Uint8Array, columns: number): string[] {
  const rows: string[] = [];
  for (let r = 0; r * columns < mask.length; r++) rows.push(mask.subarray(r * columns, (r + 1) * columns).join(""));
  return rows;
}

describe("fillPolygons", () => {
  it("covers exactly the area of a polygon with whole-number vertices (half-open edges)", () => {
    // Pixel centres at 1..3 along x and 1..2 along y: the right and bottom edges are out.
    expect(picture(fillPolygons([[1, 1, 4, 1, 4, 3, 1, 3]], 5, 4), 5)).toEqual(["00000", "01110", "01110", "00000"]);
    for (const [x0, y0, w, h] of [
      [0, 0, 7, 3],
      [2, 5, 1, 1],
      [3, 1, 4, 6],
    ] as const) {
      const mask = fillPolygons([[x0, y0, x0 + w, y0, x0 + w, y0 + h, x0, y0 + h]], 10, 10);
      expect(count(mask)).toBe(w * h);
    }
  });

  it("cuts holes with the even-odd rule, whatever the winding", () => {
    const outer = [0, 0, 4, 0, 4, 4, 0, 4];
    const innerClockwise = [1, 1, 3, 1, 3, 3, 1, 3];
    const innerCounter = [1, 1, 1, 3, 3, 3, 3, 1];
    const expected = ["1111", "1001", "1001", "1111"];
    expect(picture(fillPolygons([outer, innerClockwise], 4, 4), 4)).toEqual(expected);
    expect(picture(fillPolygons([outer, innerCounter], 4, 4), 4)).toEqual(expected);
    // A self-crossing bow tie: its two lobes are in.
    expect(picture(fillPolygons([[0, 0, 4, 4, 4, 0, 0, 4]], 5, 5), 5)).toEqual([
      "00000",
      "10010",
      "11110",
      "10010",
      "00000",
    ]);
  });

  it("never gives a pixel to both of two polygons sharing an edge", () => {
    const left = fillPolygons([[0.3, 0.2, 2.6, 0.2, 2.6, 5.7, 0.3, 5.7]], 6, 6);
    const right = fillPolygons([[2.6, 0.2, 5.2, 0.2, 5.2, 5.7, 2.6, 5.7]], 6, 6);
    const both = fillPolygons([[0.3, 0.2, 5.2, 0.2, 5.2, 5.7, 0.3, 5.7]], 6, 6);
    expect(left.every((v, n) => v + right[n]! === both[n])).toBe(true);
    expect(count(both)).toBe(5 * 5);
  });

  it("clips to the grid, ignores degenerate polygons and snaps near-whole coordinates", () => {
    expect(count(fillPolygons([[-10, -10, 20, -10, 20, 20, -10, 20]], 3, 2))).toBe(6);
    expect(
      count(
        fillPolygons(
          [
            [0, 0, 3, 3],
            [1, 1, 1, 1, 1, 1],
          ],
          4,
          4,
        ),
      ),
    ).toBe(0);
    expect(count(fillPolygons([], 4, 4))).toBe(0);
    // 0.9999999999 is 1: the edge passes through the centres of column 1, which are in (left edge).
    const snapped = fillPolygons([[0.9999999999, 0, 3, 0, 3, 2.0000000001, 0.9999999999, 2.0000000001]], 4, 4);
    expect(picture(snapped, 4)).toEqual(["0110", "0110", "0000", "0000"]);
    // A closing vertex equal to the first is harmless.
    expect(count(fillPolygons([[1, 1, 4, 1, 4, 3, 1, 3, 1, 1]], 5, 4))).toBe(6);
  });
});
