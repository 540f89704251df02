import { describe, expect, it } from "vitest";
import { PALETTE, PLOTLY_MIME } from "../../display/plotly";
import { all, parseSvg } from "../../display/test-support/parse-svg";
import { featureTableOf } from "../test-support/feature-rows";
import { thrown } from "../test-support/thrown";
import { featureAssociations, featureLabelComparison } from "./feature-label-view";

const tableOf = featureTableOf;

// Six benign cases then six malignant ones.
const LABELS = [...Array<string>(6).fill("benign"), ...Array<string>(6).fill("malignant")];
const COHORT = tableOf(LABELS, {
  up: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
  flat: Array<number>(12).fill(7),
  mixed: [1, 3, 5, 7, 9, 11, 2, 4, 6, 8, 10, 12],
  down: [7, 8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6],
});

/**
 * scipy 1.17: mannwhitneyu(malignant, benign, alternative="two-sided", method="asymptotic",
 * use_continuity=True), and false_discovery_control of the four p-values.
 */
const P_SEPARATED = 0.005074868097940253;
const P_MIXED = 0.6889205558044607;
const Q_SEPARATED = 0.010149736195880506;
const Q_MIXED = 0.9185607410726142;

describe("featureAssociations", () => {
  it("tests every feature, sorted by separation |AUC - 0.5|, then by name", () => {
    const { positive, negative, rows } = featureAssociations(COHORT);
    // Default positive: the second label in sorted order.
    expect([positive, negative]).toEqual(["malignant", "benign"]);
    expect(rows.map((r) => [r.feature, r.auc, r.medianPositive, r.medianNegative])).toEqual([
      ["down", 0, 3.5, 9.5],
      ["up", 1, 9.5, 3.5],
      ["mixed", 21 / 36, 7, 6],
      ["flat", 0.5, 7, 7],
    ]);
    const expected = [
      [P_SEPARATED, Q_SEPARATED],
      [P_SEPARATED, Q_SEPARATED],
      [P_MIXED, Q_MIXED],
      [1, 1],
    ];
    rows.forEach((r, i) => {
      // normalUpperTail is accurate to a relative 1.2e-7.
      expect(r.p).toBeCloseTo(expected[i]![0]!, 6);
      expect(r.q).toBeCloseTo(expected[i]![1]!, 6);
    });
    // q = p * m / rank, made monotone: the two separated features share rank 2 of 4.
    expect(rows[0]!.q).toBe(rows[0]!.p * 2);
  });

  it("uses the label named positive, and the features asked for", () => {
    const { positive, negative, rows } = featureAssociations(COHORT, { positive: "benign", features: ["up", "mixed"] });
    expect([positive, negative]).toEqual(["benign", "malignant"]);
    expect(rows.map((r) => [r.feature, r.auc])).toEqual([
      ["up", 0],
      ["mixed", 15 / 36],
    ]);
    // Two tests: q of the smaller p is p * 2 / 1.
    expect(rows[0]!.q).toBeCloseTo(P_SEPARATED * 2, 6);
  });

  it("pools the other labels with `positive`, leaving out rows without a label", () => {
    // c against a and b pooled; the unlabelled 100 would make the AUC 0.8 if it were counted.
    const t = tableOf(["a", "a", "b", "b", "c", "c", null], { x: [1, 2, 3, 4, 5, 6, 100] });
    const { positive, negative, rows } = featureAssociations(t, { positive: "c" });
    expect([positive, negative]).toEqual(["c", "not c"]);
    expect(rows).toHaveLength(1);
    expect([rows[0]!.auc, rows[0]!.medianPositive, rows[0]!.medianNegative]).toEqual([1, 5.5, 2.5]);
    expect(rows[0]!.p).toBeCloseTo(0.1051925051200414, 6); // scipy: mannwhitneyu([5, 6], [1, 2, 3, 4])
  });

  it("refuses rows without exactly two labels unless `positive` names one", () => {
    const three = tableOf(["a", "b", "c"], { x: [1, 2, 3] });
    const pool = thrown(() => featureAssociations(three));
    expect([pool.code, pool.evidence.path, pool.message]).toEqual([
      "settings",
      "positive",
      'Comparing features by label needs two labels; the rows carry a, b, c\nHow to fix: Pass { positive: "a" } to compare it with the rest pooled.',
    ]);
    expect(thrown(() => featureAssociations(three, { positive: "d" })).message).toBe(
      'Comparing features by label needs two labels; the rows carry a, b, c\nHow to fix: Pass { positive: "a" } to compare it with the rest pooled.',
    );
    expect(thrown(() => featureAssociations(tableOf(["a", "a", null], { x: [1, 2, 3] }))).message).toBe(
      "Comparing features by label needs two labels; the rows carry a\nHow to fix: Give the cases labels (RadiomicsCase.label) before extracting.",
    );
    expect(thrown(() => featureAssociations(tableOf([null, null], { x: [1, 2] }))).message).toBe(
      "Comparing features by label needs two labels; the rows carry none\nHow to fix: Give the cases labels (RadiomicsCase.label) before extracting.",
    );
  });
});

describe("featureLabelComparison", () => {
  it("gives plotly, SVG and a text table", () => {
    const bundle = featureLabelComparison(COHORT).toMimeBundle();
    expect(Object.keys(bundle.data)).toEqual([PLOTLY_MIME, "image/svg+xml", "text/plain"]);
    const title = "Features separating malignant from benign (AUC, Mann-Whitney)";
    const text = (bundle.data["text/plain"] as string).split("\n");
    expect(text[0]).toBe(title);
    expect(text[1]!.split(/\s+/)).toEqual(["feature", "auc", "p", "q", "median", "malignant", "median", "benign"]);
    expect(text.slice(2).map((line) => line.split(/\s+/)[0])).toEqual(["down", "up", "mixed", "flat"]);
    const plotly = bundle.data[PLOTLY_MIME] as {
      data: { type: string; y: string[]; x: number[]; base: number; marker: { color: string[] } }[];
      layout: { title: { text: string } };
    };
    const [bars] = plotly.data;
    expect([bars!.type, bars!.y, bars!.base]).toEqual(["bar", ["down", "up", "mixed", "flat"], 0.5]);
    expect(bars!.x.map((x) => Number(x.toFixed(12)))).toEqual([-0.5, 0.5, 0.083333333333, 0]);
    // Red (PALETTE[3]) where higher in the positive label, blue (PALETTE[0]) where lower.
    expect(bars!.marker.color).toEqual([PALETTE[0], PALETTE[3], PALETTE[3], PALETTE[3]]);
    expect(plotly.layout.title.text).toBe(title);
  });

  it("draws one bar per feature from AUC 0.5, marking q < 0.05 with *", () => {
    const svg = parseSvg(featureLabelComparison(COHORT).toMimeBundle().data["image/svg+xml"]);
    const bars = all(svg, "rect");
    expect(bars).toHaveLength(4);
    // The axis is 420 wide: a bar runs from the dashed AUC-0.5 line, 210 per 0.5 of AUC.
    const mid = Number(all(svg, "line[stroke-dasharray]")[0]!.getAttribute("x1"));
    expect(bars.map((b) => [Number(b.getAttribute("x")) - mid, Number(b.getAttribute("width"))])).toEqual([
      [-210, 210],
      [0, 210],
      [0, 35],
      [0, 0],
    ]);
    expect(all(svg, "rect > title")[1]!.textContent).toBe(
      `up: AUC 1.000, p ${P_SEPARATED.toPrecision(3)}, q ${Q_SEPARATED.toPrecision(3)}`,
    );
    expect(all(svg, "svg > text").map((t) => t.textContent)).toEqual([
      "Features separating malignant from benign (AUC, Mann-Whitney)",
      "down",
      "0.00 *",
      "up",
      "1.00 *",
      "mixed",
      "0.58",
      "flat",
      "0.50",
      "0",
      "0.25",
      "0.5",
      "0.75",
      "1",
    ]);
  });

  it("shows the top features only", () => {
    const view = featureLabelComparison(COHORT, { top: 2 });
    expect(view.rows).toHaveLength(4);
    expect(all(parseSvg(view.toMimeBundle().data["image/svg+xml"]), "rect")).toHaveLength(2);
    expect((view.toMimeBundle().data[PLOTLY_MIME] as { data: { y: string[] }[] }).data[0]!.y).toEqual(["down", "up"]);
  });

  it("escapes feature and label names", () => {
    const t = tableOf(["<1cm", "<1cm", "<1cm", "a&b", "a&b", "a&b"], { "size<5 & round": [1, 2, 3, 4, 5, 6] });
    const text = featureLabelComparison(t).toMimeBundle().data["image/svg+xml"] as string;
    expect(text).toContain("size&lt;5 &amp; round");
    expect(text).not.toContain("size<5");
    const svg = parseSvg(text);
    expect(all(svg, "svg > text").map((s) => s.textContent)).toEqual(
      expect.arrayContaining([
        "Features separating a&b from <1cm (AUC, Mann-Whitney)",
        "size<5 & round",
      ]) as unknown as string[],
    );
  });
});
