import { describe, expect, it } from "vitest";
import { IDENTITY_DIRECTION, type Volume } from "../image/volume";
import { thrown } from "../test-support/thrown";
import { meanFilter } from "./mean-filter";
import { at, ibsi2Phantom } from "./test-support/filter-references";

describe("meanFilter on IBSI-2's checkerboard", () => {
  // The checkerboard is 64^3 voxels in cubes of 8^3, 255 where the cube indices' sum is odd and 0
  // elsewhere. At voxel (63, 0, 0) a 21-voxel support reads i = 53..73 and j, k = -10..10. Per axis,
  // count the samples in even (E) and odd (O) cubes: along i, 53-55 are in cube 6 and 56-63 in cube 7;
  // along j and k, 0-7 are in cube 0 and 8-10 in cube 1. What the padding adds:
  //   zero:     i: 10 reads of 0; j, k: 10 reads of 0 (only the 11^3 = 1331 voxels inside count)
  //   nearest:  i: 63 repeated (O + 10);  j, k: 0 repeated (E + 10)
  //   periodic: i: 0-9 (8 E, 2 O);       j, k: 54-63 (2 E, 8 O)
  //   mirror:   i: 63-54 (8 O, 2 E);      j, k: 0-9 (8 E, 2 O)
  // A voxel is 255 when an odd number of its three cubes is odd: with (E - O) per axis multiplied
  // over the axes, #odd = (N - prod(E - O)) / 2 of the N voxels counted.
  //   zero:     E-O = 3-8, 8-3, 8-3 over 1331 inside: #odd = (1331 + 125) / 2 = 728
  //   nearest:  3-18, 18-3, 18-3 over 9261: #odd = (9261 + 3375) / 2 = 6318
  //   periodic: 11-10, 10-11, 10-11: #odd = (9261 - 1) / 2 = 4630
  //   mirror:   5-16, 16-5, 16-5: #odd = (9261 + 1331) / 2 = 5296
  // and the mean is 255 #odd / 21^3 (9261).
  const expected = {
    zero: (255 * 728) / 9261,
    nearest: (255 * 6318) / 9261,
    periodic: (255 * 4630) / 9261,
    mirror: (255 * 5296) / 9261,
  } as const;

  it("equals the hand-computed mean at the edge voxel (63, 0, 0) with support 21, for each padding", async () => {
    const image = await ibsi2Phantom("checkerboard");
    expect(image.dims).toEqual([64, 64, 64]);
    for (const boundary of ["zero", "nearest", "periodic", "mirror"] as const) {
      const response = meanFilter(image, { size: 21, boundary });
      expect(at(response, 63, 0, 0), boundary).toBeCloseTo(expected[boundary], 11);
    }
  });

  it("equals the hand-computed means with IBSI-2's support of 15 (mirror and nearest agree there)", async () => {
    // With 7 voxels of padding, mirror reads 63..57 and nearest 63: all in cube 7 along i and cube 0
    // along j, k, so every voxel of the support has cube sum 7: 255. Periodic: E-O = 7-8, 8-7, 8-7, so
    // #odd = (3375 + 1) / 2 = 1688; zero: the 8^3 voxels inside, all odd: 512 of 3375.
    const image = await ibsi2Phantom("checkerboard");
    const value = (boundary: "zero" | "nearest" | "periodic" | "mirror") =>
      at(meanFilter(image, { size: 15, boundary }), 63, 0, 0);
    expect(value("zero")).toBeCloseTo((255 * 512) / 3375, 11);
    expect(value("nearest")).toBeCloseTo(255, 11);
    expect(value("periodic")).toBeCloseTo((255 * 1688) / 3375, 11);
    expect(value("mirror")).toBeCloseTo(255, 11);
  });

  it("leaves a constant image constant, except near the edge with zero padding", () => {
    const image: Volume = {
      dims: [9, 8, 7],
      spacing: [1, 1, 1],
      origin: [0, 0, 0],
      direction: IDENTITY_DIRECTION,
      data: new Float64Array(9 * 8 * 7).fill(3),
    };
    for (const boundary of ["nearest", "periodic", "mirror"] as const) {
      const response = meanFilter(image, { size: 5, boundary });
      expect(Math.max(...response.data.map((v) => Math.abs(v - 3)))).toBeLessThan(1e-14);
    }
    const zero = meanFilter(image, { size: 5, boundary: "zero" });
    expect(at(zero, 4, 4, 3)).toBeCloseTo(3, 14);
    expect(at(zero, 0, 0, 0)).toBeCloseTo((3 * 27) / 125, 14);
    expect(image.data[0]).toBe(3);
  });
});

describe("meanFilter settings", () => {
  it("refuses an even or non-integer support and an unknown padding", async () => {
    const image = await ibsi2Phantom("empty");
    for (const size of [0, 4, 2.5, Number.NaN]) {
      const error = thrown(() => meanFilter(image, { size, boundary: "zero" }));
      expect(error.code).toBe("settings");
      expect(error.evidence.path).toBe("size");
    }
    expect(thrown(() => meanFilter(image, { size: 15, boundary: "mirrored" as "mirror" })).evidence.path).toBe(
      "boundary",
    );
  });
});
