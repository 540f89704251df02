import { describe, expect, it } from "vitest";
import type { ZoneAggregation } from "./neighbourhood";
import { aggregateZoneFeatures, zoneAggregationsOf } from "./zone-aggregations";

describe("zone aggregations", () => {
  it("keeps the requested aggregations in IBSI's order", () => {
    expect(zoneAggregationsOf(undefined, "GLSZM")).toEqual(["2D", "2_5D", "3D"]);
    expect(zoneAggregationsOf(["3D", "2D"], "GLSZM")).toEqual(["2D", "3D"]);
  });
  it("rejects unknown and empty aggregation lists", () => {
    const bad = ["2D", "3D_comb"] as unknown as readonly ZoneAggregation[];
    expect(() => zoneAggregationsOf(bad, "GLDZM")).toThrowError(
      expect.objectContaining({
        code: "settings",
        evidence: { path: "aggregations[1]" },
        message: expect.stringContaining('"3D_comb" is not an aggregation of the GLDZM'),
      }),
    );
    expect(() => zoneAggregationsOf([], "GLDZM")).toThrowError(
      expect.objectContaining({ code: "settings", evidence: { path: "aggregations" } }),
    );
  });
  it("averages per-slice features (2D), merges slices (2.5D) and uses the volume (3D)", () => {
    let volumeCalls = 0;
    const plan = {
      slices: () => [1, 3],
      volume: () => {
        volumeCalls++;
        return 10;
      },
      merge: (parts: readonly number[]) => parts.reduce((a, b) => a + b, 0),
      features: (m: number) => ({ demo_inverse: 1 / m }),
    };
    expect(aggregateZoneFeatures(["2D", "2_5D", "3D"], plan)).toEqual({
      demo_inverse_2D: (1 + 1 / 3) / 2,
      demo_inverse_2_5D: 1 / 4,
      demo_inverse_3D: 1 / 10,
    });
    expect(aggregateZoneFeatures(["2_5D"], plan)).toEqual({ demo_inverse_2_5D: 1 / 4 });
    expect(volumeCalls).toBe(1);
  });
});
