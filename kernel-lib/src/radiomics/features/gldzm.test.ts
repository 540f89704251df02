import { describe, expect, it } from "vitest";
import type { Mask } from "../image/volume";
import { discretise, type DiscretisedRoi } from "../preprocess/discretise";
import { expectIbsiAgreement } from "../test-support/comparisons";
import { ibsiReferences } from "../test-support/reference-data";
import { readIbsiPhantom } from "../test-support/rois";
import { gldzmFeatures, gldzmMatrix, zoneDistances } from "./gldzm";
import type { ZoneAggregation } from "./neighbourhood";
import { distanceToRoiEdge } from "./distance-map";
import { labelZones } from "./zone-labelling";

async function phantom(): Promise<{ roi: DiscretisedRoi; mask: Mask }> {
  const { image, mask } = await readIbsiPhantom();
  return { roi: discretise(image, mask, { kind: "none", levels: 6 }), mask };
}

describe("gldzmMatrix", () => {
  it("gives each zone the smallest edge distance of its voxels", () => {
    // A 5 x 5 square of grey level 1 around a 3 x 3 core whose centre is 2 and ring is 3.
    const levels = new Int32Array(25).fill(1);
    for (const n of [6, 7, 8, 11, 13, 16, 17, 18]) levels[n] = 3;
    levels[12] = 2;
    const zones = labelZones(levels, [5, 5, 1], "2D");
    expect(zoneDistances(zones, distanceToRoiEdge(levels, [5, 5, 1], "2D"))).toEqual(Int32Array.from([1, 2, 3]));
    expect(gldzmMatrix(levels, levels, [5, 5, 1], "2D")).toEqual({
      rows: 3,
      columns: 3,
      counts: Float64Array.from([1, 0, 0, 0, 0, 1, 0, 1, 0]),
    });
  });
});

describe("gldzmFeatures on the IBSI-1 digital phantom", () => {
  const references = ibsiReferences().filter((r) => r.tag.startsWith("dzm_"));
  for (const aggregation of ["2D", "2_5D", "3D"] as const satisfies readonly ZoneAggregation[]) {
    it(`matches every IBSI reference value (${aggregation})`, async () => {
      const { roi, mask } = await phantom();
      const features = gldzmFeatures(roi, mask, { aggregations: [aggregation] });
      const mine = references.filter((r) => r.tag.endsWith(`_${aggregation}`));
      expectIbsiAgreement(`IBSI GLDZM ${aggregation}`, features, mine);
      expect(mine.length).toBe(16);
      expect(Object.keys(features).sort()).toEqual(mine.map((r) => r.tag).sort());
    });
  }
});

describe("gldzmFeatures failures", () => {
  it("rejects an empty ROI, a mask on another grid and a ROI outside the mask", async () => {
    const { roi, mask } = await phantom();
    const empty: DiscretisedRoi = { ...roi, levels: new Int32Array(roi.levels.length) };
    expect(() => gldzmFeatures(empty, mask)).toThrowError(expect.objectContaining({ code: "empty-roi" }));
    const shifted: Mask = { ...mask, origin: [5, 0, 0] };
    expect(() => gldzmFeatures(roi, shifted)).toThrowError(
      expect.objectContaining({ code: "geometry", evidence: expect.objectContaining({ path: "origin" }) }),
    );
    const smaller: Mask = { ...mask, data: mask.data.map((v, n) => (n === mask.data.indexOf(1) ? 0 : v)) };
    expect(() => gldzmFeatures(roi, smaller)).toThrowError(
      expect.objectContaining({ code: "input", evidence: expect.objectContaining({ path: "morphologicalMask" }) }),
    );
    const bad = ["2.5D"] as unknown as readonly ZoneAggregation[];
    expect(() => gldzmFeatures(roi, mask, { aggregations: bad })).toThrowError(
      expect.objectContaining({ code: "settings" }),
    );
  });
});
