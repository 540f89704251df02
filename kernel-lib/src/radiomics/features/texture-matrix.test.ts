import { describe, expect, it } from "vitest";
import { RadiomicsError } from "../radiomics-error";
import { DIRECTIONS_2D, DIRECTIONS_3D, TEXTURE_AGGREGATIONS } from "./neighbourhood";
import { aggregateTextureFeatures, assertTextureAggregations, type TextureFamily } from "./texture-matrix";

// A toy family of 1 x 1 "matrices": slice k, direction d holds 10 k + d + 1 (slice 4, direction 3
// is empty); the volume matrix of 3D direction d holds d + 1. Its one feature is the count.
const family: TextureFamily = {
  rows: 1,
  cols: 1,
  slices: [1, 2, 4],
  accumulate: (directions, slice, out) => {
    expect(directions).toBe(slice === undefined ? DIRECTIONS_3D : DIRECTIONS_2D);
    expect(out).toHaveLength(directions.length);
    directions.forEach((_, d) => {
      out[d] = slice === undefined ? d + 1 : slice === 4 && d === 3 ? 0 : 10 * slice + d + 1;
    });
  },
  features: (counts) => (counts[0] === 0 ? undefined : { toy_count: counts[0]! }),
  featureTags: ["toy_count"],
};

describe("aggregateTextureFeatures", () => {
  it("combines slices and directions as IBSI's six aggregations do", () => {
    expect(aggregateTextureFeatures(family, TEXTURE_AGGREGATIONS)).toEqual({
      toy_count_2D_avg: 266 / 11, // 11 non-empty slice-direction matrices
      toy_count_2D_comb: 266 / 3, // per slice, directions summed: 50, 90, 126
      toy_count_2_5D_avg: 266 / 4, // per direction, slices summed: 73, 76, 79, 38
      toy_count_2_5D_comb: 266,
      toy_count_3D_avg: 7,
      toy_count_3D_comb: 91,
    });
  });

  it("computes only the requested aggregations, and NaN when no matrix is usable", () => {
    let calls = 0;
    const counted: TextureFamily = {
      ...family,
      accumulate: (directions, slice, out) => {
        calls++;
        family.accumulate(directions, slice, out);
      },
    };
    expect(aggregateTextureFeatures(counted, ["3D_comb"])).toEqual({ toy_count_3D_comb: 91 });
    expect(calls).toBe(1);
    const empty: TextureFamily = { ...family, accumulate: () => undefined };
    expect(aggregateTextureFeatures(empty, ["2D_avg", "3D_avg"])).toEqual({
      toy_count_2D_avg: Number.NaN,
      toy_count_3D_avg: Number.NaN,
    });
  });
});

describe("assertTextureAggregations", () => {
  it("accepts IBSI's suffixes and names the bad entry otherwise", () => {
    expect(() => assertTextureAggregations(TEXTURE_AGGREGATIONS)).not.toThrow();
    for (const [list, path, message] of [
      [[], "aggregations", "No texture aggregation was requested"],
      [["2D_avg", "2D_mrg"], "aggregations[1]", 'Unknown texture aggregation "2D_mrg"'],
      [["3D_comb", "3D_comb"], "aggregations[1]", 'The texture aggregation "3D_comb" is requested twice'],
    ] as const) {
      let error: unknown;
      try {
        assertTextureAggregations(list);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RadiomicsError);
      expect((error as RadiomicsError).code).toBe("settings");
      expect((error as RadiomicsError).evidence.path).toBe(path);
      expect((error as RadiomicsError).message).toContain(message);
    }
  });
});
