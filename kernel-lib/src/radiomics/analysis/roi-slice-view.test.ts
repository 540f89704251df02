import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { IDENTITY_DIRECTION, type Mask, type Volume } from "../image/volume";
import { thrown } from "../test-support/thrown";
import { roiSlice } from "./roi-slice-view";

const grid = {
  dims: [6, 5, 3] as const,
  spacing: [1, 1, 1] as const,
  origin: [0, 0, 0] as const,
  direction: IDENTITY_DIRECTION,
};
const image: Volume = { ...grid, data: Float64Array.from({ length: 90 }, (_, n) => n) };

/** A 3 x 3 square at i, j in 1..3 on slice 2, one voxel on slice 0. */
function mask(): Mask {
  const data = new Uint8Array(90);
  for (let j = 1; j <= 3; j++) for (let i = 1; i <= 3; i++) data[60 + i + 6 * j] = 1;
  data[0] = 1;
  return { ...grid, data };
}

function decode(bundle: ReturnType<ReturnType<typeof roiSlice>["toMimeBundle"]>): PNG {
  return PNG.sync.read(Buffer.from(bundle.data["image/png"] as string, "base64"));
}

describe("roiSlice", () => {
  it("draws the slice with the most ROI voxels, its 8 edge voxels in red, zoomed", () => {
    const view = roiSlice(image, mask(), { zoom: 2 });
    expect(view.caption).toMatch(/^Slice 2 of 3: 9 ROI voxel\(s\) outlined/);
    const png = decode(view.toMimeBundle());
    expect([png.width, png.height]).toEqual([12, 10]);
    let red = 0;
    for (let p = 0; p < png.width * png.height; p++) if (png.data[4 * p] === 230 && png.data[4 * p + 1] === 30) red++;
    expect(red).toBe(8 * 4);
  });

  it("applies the window: values below it are black, above it white", () => {
    const png = decode(roiSlice(image, mask(), { slice: 0, window: { center: 3, width: 2 }, zoom: 1 }).toMimeBundle());
    expect(png.data[4 * 1]).toBe(0); // value 1, below 2
    expect(png.data[4 * 5]).toBe(255); // value 5, above 4
  });

  it("refuses a slice outside the volume and a mask on another grid", () => {
    expect(thrown(() => roiSlice(image, mask(), { slice: 3 })).code).toBe("settings");
    expect(thrown(() => roiSlice(image, { ...mask(), spacing: [2, 1, 1] })).code).toBe("geometry");
  });
});
