import { describe, expect, it } from "vitest";
import { PLOTLY_MIME } from "../../display/plotly";
import { all, parseSvg } from "../../display/test-support/parse-svg";
import type { FeatureTable } from "../feature-table";
import { featureTableOf } from "../test-support/feature-rows";
import { thrown } from "../test-support/thrown";
import { correlationHeatmap, correlationMatrix } from "./correlation-heatmap-view";

/** A table with one row per value of the columns (case `c1`, `c2`, ...), without labels. */
function tableOf(columns: Readonly<Record<string, readonly number[]>>): FeatureTable {
  const n = Object.values(columns)[0]!.length;
  return featureTableOf(Array<null>(n).fill(null), columns);
}

function expectMatrix(actual: readonly (readonly number[])[], expected: readonly (readonly number[])[]): void {
  expect(actual.map((row) => row.length)).toEqual(expected.map((row) => row.length));
  actual.forEach((row, i) =>
    row.forEach((v, j) => {
      if (Number.isNaN(expected[i]![j])) expect(v).toBeNaN();
      else expect(v).toBeCloseTo(expected[i]![j]!, 12);
    }),
  );
}

// b = 2a (r = 1 with a); c against a: deviations sum to -8 over sqrt(10 * 10), r = -0.8; d constant.
const COLUMNS = { a: [1, 2, 3, 4, 5], c: [5, 3, 4, 1, 2], d: [7, 7, 7, 7, 7], b: [2, 4, 6, 8, 10] };

describe("correlationMatrix", () => {
  it("drops constant features and keeps the table's order without clustering", () => {
    const m = correlationMatrix(tableOf(COLUMNS), { cluster: false });
    expect([m.features, m.method]).toEqual([["a", "c", "b"], "spearman"]);
    expectMatrix(m.r, [
      [1, -0.8, 1],
      [-0.8, 1, -0.8],
      [1, -0.8, 1],
    ]);
  });

  it("clusters perfectly correlated features next to each other", () => {
    const m = correlationMatrix(tableOf(COLUMNS));
    expect(m.features).toEqual(["c", "a", "b"]);
    expectMatrix(m.r, [
      [1, -0.8, -0.8],
      [-0.8, 1, 1],
      [-0.8, 1, 1],
    ]);
    // Four features in two pairs: each pair stays together whatever the input order.
    const pairs = correlationMatrix(
      tableOf({ x: [1, 2, 3, 4, 5], y: [3, 1, 5, 2, 4], x2: [10, 20, 30, 40, 50], y2: [30, 10, 50, 20, 40] }),
    ).features;
    const at = (name: string) => pairs.indexOf(name);
    expect([Math.abs(at("x") - at("x2")), Math.abs(at("y") - at("y2"))]).toEqual([1, 1]);
  });

  it("computes Spearman on average ranks and Pearson on values (scipy 1.17 values)", () => {
    // e = a^2: monotone, so Spearman 1; Pearson 60 / sqrt(10 * 374). f has ties: ranks 1.5, 1.5, 3, 4.5, 4.5.
    const t = tableOf({ a: [1, 2, 3, 4, 5], e: [1, 4, 9, 16, 25], f: [1, 1, 2, 3, 3] });
    const spearman = correlationMatrix(t, { cluster: false });
    expect(spearman.r[0]![1]).toBeCloseTo(1, 12);
    expect(spearman.r[0]![2]).toBeCloseTo(0.9486832980505138, 12); // scipy.stats.spearmanr
    const pearson = correlationMatrix(t, { method: "pearson", cluster: false });
    expect(pearson.method).toBe("pearson");
    expect(pearson.r[0]![1]).toBeCloseTo(0.981104910251593, 12); // scipy.stats.pearsonr
    expect(pearson.r[0]![1]).toBeCloseTo(60 / Math.sqrt(3740), 14);
    expect(pearson.r[1]![0]).toBe(pearson.r[0]![1]);
  });

  it("leaves out values that are not finite, pair by pair, and gives NaN for fewer than 3 pairs", () => {
    const nan = Number.NaN;
    const m = correlationMatrix(tableOf({ x: [1, 2, 3, nan, nan], y: [nan, nan, 1, 2, 3], z: [1, 2, 3, 4, 5] }), {
      cluster: false,
      method: "pearson",
    });
    expect(m.features).toEqual(["x", "y", "z"]);
    expectMatrix(m.r, [
      [1, nan, 1],
      [nan, 1, 1],
      [1, 1, 1],
    ]);
  });

  it("uses only the features asked for", () => {
    expect(correlationMatrix(tableOf(COLUMNS), { features: ["b", "c", "d"], cluster: false }).features).toEqual([
      "b",
      "c",
    ]);
    expect(thrown(() => correlationMatrix(tableOf(COLUMNS), { features: ["a", "nope"] })).message).toBe(
      'No feature named "nope" in this table\nHow to fix: The table has 4 features, for example a, c, d.',
    );
  });

  it("refuses fewer than 3 rows or 2 varying features", () => {
    const rows = thrown(() => correlationMatrix(tableOf({ a: [1, 2], b: [2, 1] })));
    expect([rows.code, rows.evidence.path, rows.message]).toEqual([
      "settings",
      "table.rows",
      "A correlation needs at least 3 rows; the table has 2\nHow to fix: Compute features for more cases (patients, ROIs or ROI perturbations) first.",
    ]);
    const flat = thrown(() => correlationMatrix(tableOf({ a: [1, 2, 3], d: [7, 7, 7], n: [1, Number.NaN, 2] })));
    expect([flat.code, flat.evidence.path, flat.message]).toEqual([
      "settings",
      "features",
      "Fewer than 2 features vary over the rows\nHow to fix: Choose features that are not constant over the cases.",
    ]);
  });
});

describe("correlationHeatmap", () => {
  it("gives plotly, SVG and text, with NaN as null for plotly", () => {
    const bundle = correlationHeatmap(tableOf(COLUMNS)).toMimeBundle();
    expect(Object.keys(bundle.data)).toEqual([PLOTLY_MIME, "image/svg+xml", "text/plain"]);
    expect(bundle.data["text/plain"]).toBe("Spearman correlation of 3 features: c, a, b");
    const plotly = bundle.data[PLOTLY_MIME] as {
      data: { type: string; x: string[]; y: string[]; z: (number | null)[][]; zmin: number; zmax: number }[];
      layout: { title: { text: string } };
    };
    expect(plotly.data).toHaveLength(1);
    const [trace] = plotly.data;
    expect([trace!.type, trace!.x, trace!.y, trace!.zmin, trace!.zmax]).toEqual([
      "heatmap",
      ["c", "a", "b"],
      ["c", "a", "b"],
      -1,
      1,
    ]);
    expect(trace!.z[1]![2]).toBeCloseTo(1, 12);
    expect(plotly.layout.title.text).toBe("Spearman correlation of 3 features");
    const nan = Number.NaN;
    const withNan = correlationHeatmap(tableOf({ x: [1, 2, 3, nan, nan], y: [nan, nan, 1, 2, 3] }), {
      cluster: false,
    }).toMimeBundle().data[PLOTLY_MIME] as { data: { z: (number | null)[][] }[] };
    expect(withNan.data[0]!.z).toEqual([
      [1, null],
      [null, 1],
    ]);
  });

  it("draws one cell per pair, coloured by r, with the names on both axes", () => {
    const svg = parseSvg(correlationHeatmap(tableOf(COLUMNS)).toMimeBundle().data["image/svg+xml"]);
    const cells = all(svg, "rect");
    expect(cells).toHaveLength(9);
    expect(cells.map((c) => c.getAttribute("fill"))).toEqual([
      // r = 1: RdBu's red end; r = -0.8: 80% of the way to the blue end (33, 102, 172).
      "rgb(178,24,43)",
      "rgb(76,131,187)",
      "rgb(76,131,187)",
      "rgb(76,131,187)",
      "rgb(178,24,43)",
      "rgb(178,24,43)",
      "rgb(76,131,187)",
      "rgb(178,24,43)",
      "rgb(178,24,43)",
    ]);
    expect(all(svg, "rect > title")[1]!.textContent).toBe("c / a: r = -0.800");
    expect(all(svg, "svg > text").map((t) => t.textContent)).toEqual([
      "Spearman correlation of 3 features",
      "c",
      "a",
      "b",
      "c",
      "a",
      "b",
    ]);
  });

  it("greys out an undefined correlation", () => {
    const nan = Number.NaN;
    const svg = parseSvg(
      correlationHeatmap(tableOf({ x: [1, 2, 3, nan, nan], y: [nan, nan, 1, 2, 3] }), { cluster: false }).toMimeBundle()
        .data["image/svg+xml"],
    );
    expect(all(svg, "rect")[1]!.getAttribute("fill")).toBe("#dddddd");
    expect(all(svg, "rect > title")[1]!.textContent).toBe("x / y: r = n/a");
  });

  it("escapes feature names", () => {
    const bundle = correlationHeatmap(tableOf({ "a<b": [1, 2, 3], "c&d": [3, 1, 2] })).toMimeBundle();
    const text = bundle.data["image/svg+xml"] as string;
    expect(text).toContain("a&lt;b");
    expect(text).toContain("c&amp;d");
    expect(text).not.toContain("a<b");
    const svg = parseSvg(text);
    expect(all(svg, "svg > text").map((t) => t.textContent)).toEqual(
      expect.arrayContaining(["a<b", "c&d"]) as unknown as string[],
    );
    expect(all(svg, "rect > title").map((t) => t.textContent)).toContain("a<b / c&d: r = -0.500");
  });

  it("leaves out the axis names when there are too many features for readable cells", () => {
    const columns = Object.fromEntries(Array.from({ length: 81 }, (_, k) => [`f${k}`, [0, 1, k + 2]]));
    const svg = correlationHeatmap(tableOf(columns), { cluster: false }).toMimeBundle().data["image/svg+xml"] as string;
    // Counted in the text: jsdom takes most of a second to parse 6561 cells. Width 180 + 81 * 7 + 20.
    expect(svg.match(/<rect /g)).toHaveLength(81 * 81);
    expect(svg.match(/<rect [^>]*width="7"/g)).toHaveLength(81 * 81); // floor(640 / 81)
    expect(svg.match(/<text [^>]*>[^<]*<\/text>/g)).toEqual([
      '<text x="383.5" y="16" text-anchor="middle" font-size="13">Spearman correlation of 81 features</text>',
    ]);
  });
});
