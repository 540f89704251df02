import { describe, expect, it } from "vitest";
import { PALETTE, PLOTLY_MIME } from "../../display/plotly";
import { all, parseSvg } from "../../display/test-support/parse-svg";
import { FeatureTable } from "../feature-table";
import { featureTableOf } from "../test-support/feature-rows";
import { thrown } from "../test-support/thrown";
import { featureDistributions } from "./feature-distribution-view";

const tableOf = featureTableOf;

function expectValues(actual: readonly number[], expected: readonly number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 12));
}

// p: mean 3, sample standard deviation sqrt(10 / 4); q: mean 30, sd 10 * sqrt(2.5); k constant.
const LABELS = ["b", "a", "b", "a", null];
const TABLE = tableOf(LABELS, { p: [1, 2, 3, 4, 5], k: [9, 9, 9, 9, 9], q: [50, 40, 30, 20, 10] });
const SD = Math.sqrt(2.5);

describe("featureDistributions", () => {
  it("groups z-scores by label, sorted, unlabelled rows as (none), constant features left out", () => {
    const view = featureDistributions(TABLE);
    expect([view.labels, view.standardised]).toEqual([["(none)", "a", "b"], true]);
    expect(view.distributions.map((d) => [d.feature, d.groups.map((g) => g.label)])).toEqual([
      ["p", ["(none)", "a", "b"]],
      ["q", ["(none)", "a", "b"]],
    ]);
    const [p, q] = view.distributions;
    expectValues(p!.groups[0]!.values, [2 / SD]);
    expectValues(p!.groups[1]!.values, [-1 / SD, 1 / SD]);
    expectValues(p!.groups[2]!.values, [-2 / SD, 0]);
    expectValues(q!.groups[0]!.values, [-2 / SD]);
    expectValues(q!.groups[1]!.values, [1 / SD, -1 / SD]);
    expectValues(q!.groups[2]!.values, [2 / SD, 0]);
  });

  it("keeps raw values with standardise: false, and draws the features asked for", () => {
    const view = featureDistributions(TABLE, { standardise: false, features: ["k", "p"] });
    expect(view.standardised).toBe(false);
    expect(view.distributions).toEqual([
      {
        feature: "k",
        groups: [
          { label: "(none)", values: [9] },
          { label: "a", values: [9, 9] },
          { label: "b", values: [9, 9] },
        ],
      },
      {
        feature: "p",
        groups: [
          { label: "(none)", values: [5] },
          { label: "a", values: [2, 4] },
          { label: "b", values: [1, 3] },
        ],
      },
    ]);
    // A constant feature asked for standardises to 0.
    expect(featureDistributions(TABLE, { features: ["k"] }).distributions[0]!.groups[1]!.values).toEqual([0, 0]);
  });

  it("draws at most the first 12 features that vary", () => {
    const columns = Object.fromEntries(Array.from({ length: 14 }, (_, k) => [`f${k}`, [k, k + 1, k + 3]]));
    const view = featureDistributions(tableOf(["a", "a", "b"], { flat: [1, 1, 1], ...columns }));
    expect(view.distributions.map((d) => d.feature)).toEqual(Array.from({ length: 12 }, (_, k) => `f${k}`));
  });

  it("refuses an empty table and unknown features", () => {
    const empty = thrown(() => featureDistributions(new FeatureTable([])));
    expect([empty.code, empty.evidence.path, empty.message]).toEqual([
      "settings",
      "table.rows",
      "The feature table has no rows to draw\nHow to fix: Extract features first (extractBatch).",
    ]);
    const unknown = thrown(() => featureDistributions(TABLE, { features: ["p", "glcm_Contrast"] }));
    expect([unknown.code, unknown.evidence.path]).toEqual(["settings", "feature"]);
  });
});

describe("FeatureDistributionView", () => {
  it("gives plotly box traces per label, SVG and text", () => {
    const bundle = featureDistributions(TABLE, { standardise: false }).toMimeBundle();
    expect(Object.keys(bundle.data)).toEqual([PLOTLY_MIME, "image/svg+xml", "text/plain"]);
    expect(bundle.data["text/plain"]).toBe("Feature distributions by label: p, q for (none), a, b");
    const plotly = bundle.data[PLOTLY_MIME] as {
      data: { type: string; name: string; x: string[]; y: number[]; marker: { color: string } }[];
      layout: { title: { text: string }; yaxis: { title: { text: string } } };
    };
    expect(plotly.data.map((t) => [t.type, t.name, t.x, t.y, t.marker.color])).toEqual([
      ["box", "(none)", ["p", "q"], [5, 10], PALETTE[0]],
      ["box", "a", ["p", "p", "q", "q"], [2, 4, 40, 20], PALETTE[1]],
      ["box", "b", ["p", "p", "q", "q"], [1, 3, 50, 30], PALETTE[2]],
    ]);
    expect([plotly.layout.title.text, plotly.layout.yaxis.title.text]).toEqual([
      "Feature distributions by label",
      "value",
    ]);
    const z = featureDistributions(TABLE).toMimeBundle();
    expect(z.data["text/plain"]).toBe("Feature distributions by label (z-scores): p, q for (none), a, b");
    expect((z.data[PLOTLY_MIME] as { layout: { yaxis: { title: { text: string } } } }).layout.yaxis.title.text).toBe(
      "z-score",
    );
  });

  it("draws a legend square per label and a box per feature and label, with quartiles and medians", () => {
    const svg = parseSvg(featureDistributions(TABLE, { standardise: false }).toMimeBundle().data["image/svg+xml"]);
    const rects = all(svg, "rect");
    const boxes = all(svg, "rect > title").map((t) => t.textContent);
    // 3 legend squares + 2 features x 3 labels.
    expect(rects).toHaveLength(9);
    expect(boxes).toEqual([
      "p, (none): median 5.000, n = 1",
      "p, a: median 3.000, n = 2",
      "p, b: median 2.000, n = 2",
      "q, (none): median 10.00, n = 1",
      "q, a: median 30.00, n = 2",
      "q, b: median 40.00, n = 2",
    ]);
    const texts = all(svg, "svg > text").map((t) => t.textContent);
    expect(texts).toEqual(["Feature distributions by label", "(none)", "a", "b", "1", "25.5", "50", "p", "q"]);
  });

  it("skips a group without finite values", () => {
    const t = tableOf(["a", "a", "b", "b"], { x: [1, 2, Number.NaN, Number.NaN], y: [1, 2, 3, 4] });
    const svg = parseSvg(featureDistributions(t, { standardise: false }).toMimeBundle().data["image/svg+xml"]);
    expect(all(svg, "rect > title").map((s) => s.textContent)).toEqual([
      "x, a: median 1.500, n = 2",
      "y, a: median 1.500, n = 2",
      "y, b: median 3.500, n = 2",
    ]);
  });

  it("escapes feature and label names", () => {
    const t = tableOf(["<1cm", "a&b", "<1cm", "a&b"], { "size<5 & round": [1, 2, 3, 4], y: [4, 3, 2, 1] });
    const text = featureDistributions(t).toMimeBundle().data["image/svg+xml"] as string;
    expect(text).toContain("size&lt;5 &amp; round");
    expect(text).toContain("&lt;1cm");
    expect(text).not.toContain("<1cm");
    const svg = parseSvg(text);
    expect(all(svg, "svg > text").map((s) => s.textContent)).toEqual(
      expect.arrayContaining(["<1cm", "a&b", "size<5 & round"]) as unknown as string[],
    );
  });
});
