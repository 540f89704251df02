import { describe, expect, it } from "vitest";
import type { Annotation, Geometry } from "../../curation/annotation";
import { thrown } from "../test-support/thrown";
import { annotationMask } from "./annotation-mask";
import { IDENTITY_DIRECTION, type Mask, type Triple, type VoxelGrid } from "./volume";

function grid(dims: Triple): VoxelGrid {
  return { dims, spacing: [0.5, 0.5, 2], origin: [10, 20, 30], direction: IDENTITY_DIRECTION };
}

function annotation(geometry: Geometry, frame = 0): Annotation {
  return { sha256: "ab".repeat(32), labelSet: "nodules", label: "nodule", frame, geometry };
}

/** Slice k of a mask as rows of 0/1 characters, top row first. */
function picture(mask: Mask, k = 0): string[] {
  const [columns, rows] = mask.dims;
  const size = columns * rows;
  return Array.from({ length: rows }, (_, r) =>
    mask.data.subarray(k * size + r * columns, k * size + (r + 1) * columns).join(""),
  );
}

describe("annotationMask", () => {
  it("fills a box by pixel centres: x 2, width 3 covers columns 2 to 4", () => {
    const mask = annotationMask(annotation({ kind: "box", x: 2, y: 1, width: 3, height: 2 }), grid([6, 4, 1]));
    expect(picture(mask)).toEqual(["000000", "001110", "001110", "000000"]);
    expect([mask.dims, mask.spacing, mask.origin, mask.direction]).toEqual([
      [6, 4, 1],
      [0.5, 0.5, 2],
      [10, 20, 30],
      IDENTITY_DIRECTION,
    ]);
    expect(mask.source).toBe(`annotation ${"ab".repeat(32)} frame 0`);
    // Fractional box: centres 2.5 and 3.5 lie in [1.6, 3.7); rows: centre 0.5 in [0.2, 1.1).
    const fractional = annotationMask(
      annotation({ kind: "box", x: 1.6, y: 0.2, width: 2.1, height: 0.9 }),
      grid([6, 4, 1]),
    );
    expect(picture(fractional)).toEqual(["001100", "000000", "000000", "000000"]);
  });

  it("fills a polygon by pixel centres, clipping what lies outside", () => {
    // The triangle (0,0), (4,0), (0,4): centres with x + y < 4 are in; on the hypotenuse (a right edge) out.
    const triangle = annotationMask(
      annotation({
        kind: "polygon",
        points: [
          [0, 0],
          [4, 0],
          [0, 4],
        ],
      }),
      grid([4, 4, 1]),
    );
    expect(picture(triangle)).toEqual(["1110", "1100", "1000", "0000"]);
    const big = annotationMask(
      annotation({
        kind: "polygon",
        points: [
          [-5, -5],
          [50, -5],
          [50, 1],
          [-5, 1],
        ],
      }),
      grid([4, 3, 1]),
    );
    expect(picture(big)).toEqual(["1111", "0000", "0000"]);
  });

  it("copies a mask, non-zero as in", () => {
    const data = new Uint8Array([0, 255, 0, 1, 1, 0]);
    const mask = annotationMask(annotation({ kind: "mask", mask: { rows: 2, columns: 3, data } }), grid([3, 2, 1]));
    expect(picture(mask)).toEqual(["010", "110"]);
    expect(mask.data).not.toBe(data);
  });

  it("puts the region on the given slice of a volume", () => {
    const mask = annotationMask(annotation({ kind: "box", x: 0, y: 0, width: 2, height: 1 }, 4), grid([3, 2, 3]), {
      slice: 1,
    });
    expect([picture(mask, 0), picture(mask, 1), picture(mask, 2)]).toEqual([
      ["000", "000"],
      ["110", "000"],
      ["000", "000"],
    ]);
  });
});

describe("annotationMask refuses", () => {
  it("a volume without a slice, and slices out of range", () => {
    const box = annotation({ kind: "box", x: 0, y: 0, width: 2, height: 1 });
    const missing = thrown(() => annotationMask(box, grid([3, 2, 3])));
    expect([missing.code, missing.evidence.path]).toEqual(["settings", "options.slice"]);
    expect(missing.message.split("\n")[0]).toBe(
      'The image grid has 3 slices; say which one the box annotation "nodule" (nodules, frame 0) lies on',
    );
    expect(thrown(() => annotationMask(box, grid([3, 2, 3]), { slice: 3 })).message).toMatch(
      /^Slice 3 is not a slice of the image grid \(k from 0 to 2\)/,
    );
    expect(thrown(() => annotationMask(box, grid([3, 2, 3]), { slice: 0.5 })).code).toBe("settings");
  });

  it("a mask of another size", () => {
    const geometry: Geometry = { kind: "mask", mask: { rows: 2, columns: 2, data: new Uint8Array(4).fill(1) } };
    const error = thrown(() => annotationMask(annotation(geometry), grid([3, 2, 1])));
    expect(error.code).toBe("geometry");
    expect(error.message.split("\n")[0]).toBe(
      'The mask annotation "nodule" (nodules, frame 0) is 2 x 2 pixels (4 values), the image slices 3 x 2',
    );
  });

  it("regions with no pixel centre, short polygons and broken boxes", () => {
    const tiny = thrown(() =>
      annotationMask(annotation({ kind: "box", x: 0.6, y: 0.6, width: 0.3, height: 0.3 }), grid([3, 3, 1])),
    );
    expect(tiny.code).toBe("empty-roi");
    const outside = thrown(() =>
      annotationMask(annotation({ kind: "box", x: 10, y: 10, width: 3, height: 3 }), grid([3, 3, 1])),
    );
    expect(outside.code).toBe("empty-roi");
    const line = thrown(() =>
      annotationMask(
        annotation({
          kind: "polygon",
          points: [
            [0, 0],
            [3, 3],
          ],
        }),
        grid([3, 3, 1]),
      ),
    );
    expect([line.code, line.evidence.path]).toEqual(["input", "geometry.points"]);
    const nan = thrown(() =>
      annotationMask(annotation({ kind: "box", x: Number.NaN, y: 0, width: 1, height: 1 }), grid([3, 3, 1])),
    );
    expect(nan.code).toBe("input");
    const empty = thrown(() =>
      annotationMask(
        annotation({ kind: "mask", mask: { rows: 1, columns: 2, data: new Uint8Array(2) } }),
        grid([2, 1, 1]),
      ),
    );
    expect(empty.code).toBe("empty-roi");
  });
});
