import { all, parseSvg } from "../../display/test-support/parse-svg";
import { describe, expect, it } from "vitest";
import { PLOTLY_MIME } from "../../display/plotly";
import { confusionMatrix, confusionMatrixFromCounts } from "./confusion-matrix";
import { binaryMetricsTable, classificationReportTable, confusionMatrixView, rocCurveView } from "./evaluation-views";
import { binaryMetrics, classificationReport } from "./metrics";
import { delongAuc, rocCurve } from "./roc";
import { PREDICTED_C, SCORES_A, SCORES_E, TRUTH_A, TRUTH_C, TRUTH_E } from "./test-support/reference-data";
import { thrown } from "./test-support/thrown";

/**
 * The renderer JupyterLab 4.5.11 chooses for a bundle (RenderMimeRegistry.preferredMimeType):
 * the registered MIME type of lowest rank present in the bundle; untrusted output ("ensure") only
 * uses safe renderers. Ranks and safety are those of its default renderer factories.
 */
const JUPYTERLAB_RENDERERS: readonly { mime: string; rank: number; safe: boolean }[] = [
  { mime: "text/html", rank: 50, safe: true },
  { mime: "text/markdown", rank: 60, safe: true },
  { mime: "text/latex", rank: 70, safe: true },
  { mime: "image/svg+xml", rank: 80, safe: false },
  { mime: "image/png", rank: 90, safe: true },
  { mime: "application/javascript", rank: 110, safe: false },
  { mime: "text/plain", rank: 120, safe: true },
];
function preferredMimeType(
  data: Readonly<Record<string, unknown>>,
  renderers: readonly { mime: string; rank: number; safe: boolean }[],
  trusted: boolean,
): string | undefined {
  return [...renderers].sort((a, b) => a.rank - b.rank).find((r) => r.mime in data && (trusted || r.safe))?.mime;
}

const teaching = confusionMatrixFromCounts(
  ["negative", "positive"],
  [
    [81, 13],
    [12, 91],
  ],
);

describe("confusionMatrixView", () => {
  it("shows the teaching exercise's matrix as text with counts, row percentages and the accuracy", () => {
    const bundle = confusionMatrixView(teaching).toMimeBundle();
    expect(Object.keys(bundle.data)).toEqual([PLOTLY_MIME, "image/svg+xml", "text/plain"]);
    expect(bundle.data["text/plain"]).toBe(
      [
        "Confusion matrix: accuracy 87.3% (172 of 197)",
        "(% of each true class)",
        "true \\ predicted    negative    positive",
        "negative          81 (86.2%)  13 (13.8%)",
        "positive          12 (11.7%)  91 (88.3%)",
      ].join("\n"),
    );
  });

  it("draws a well-formed SVG: title with accuracy, a count and a percentage per cell, class names on both axes", () => {
    const svg = parseSvg(confusionMatrixView(teaching).toMimeBundle().data["image/svg+xml"]);
    const texts = all(svg, "svg > text").map((t) => t.textContent);
    expect(texts[0]).toBe("Confusion matrix: accuracy 87.3% (172 of 197)");
    expect(texts.filter((t) => t === "negativenegative" || t === "positivepositive")).toHaveLength(4); // <title> + label, rows and columns
    const cells = all(svg, "g").map((g) => all(g, "text").map((t) => t.textContent));
    expect(cells).toEqual([
      ["81", "86.2%"],
      ["13", "13.8%"],
      ["12", "11.7%"],
      ["91", "88.3%"],
    ]);
    expect(all(svg, "g > title").map((t) => t.textContent)[1]).toBe("true negative, predicted positive: 13 (13.8%)");
    // White ink on cells darker than the middle of the colour map (above 50%), dark ink elsewhere.
    expect(all(svg, "g > text").map((t) => t.getAttribute("fill"))).toEqual([
      "#ffffff",
      "#ffffff",
      "#222222",
      "#222222",
      "#222222",
      "#222222",
      "#ffffff",
      "#ffffff",
    ]);
  });

  it("shades cells from matplotlib's Blues: white-blue at 0, dark blue at 1, with readable ink", () => {
    const svg = parseSvg(
      confusionMatrixView(
        confusionMatrixFromCounts(
          [0, 1],
          [
            [2, 0],
            [0, 3],
          ],
        ),
      ).toMimeBundle().data["image/svg+xml"],
    );
    expect(all(svg, "g > rect").map((r) => r.getAttribute("fill"))).toEqual([
      "#08306b",
      "#f7fbff",
      "#f7fbff",
      "#08306b",
    ]);
    expect(all(svg, "g > text").map((t) => t.getAttribute("fill"))).toEqual([
      "#ffffff",
      "#ffffff",
      "#222222",
      "#222222",
      "#222222",
      "#222222",
      "#ffffff",
      "#ffffff",
    ]);
  });

  it("is deterministic and escapes class names (markup and control characters)", () => {
    const name = `a<b>&"x'\u0001`;
    const make = () => confusionMatrixView(confusionMatrix([name, "ok"], [name, name])).toMimeBundle();
    const svgText = make().data["image/svg+xml"] as string;
    expect(make().data["image/svg+xml"]).toBe(svgText);
    expect(svgText).not.toContain("<b>");
    expect(svgText).toContain("a&lt;b&gt;&amp;&quot;x&#39;\ufffd");
    const svg = parseSvg(svgText);
    expect(all(svg, "svg > text").map((t) => t.textContent)).toContain(`a<b>&"x'\ufffda<b>&"x'\ufffd`);
  });

  it("sends a plotly heat map with the same numbers", () => {
    const figure = confusionMatrixView(
      confusionMatrixFromCounts(
        [0, 1],
        [
          [3, 1],
          [0, 0],
        ],
      ),
      {
        normalize: "true",
        title: "Fold 1",
      },
    ).toMimeBundle().data[PLOTLY_MIME];
    expect(figure).toEqual({
      data: [
        {
          type: "heatmap",
          z: [
            [0.75, 0.25],
            [0, 0],
          ],
          x: ["0", "1"],
          y: ["0", "1"],
          text: [
            ["3", "1"],
            ["0", "0"],
          ],
          texttemplate: "%{text}<br>%{z:.1%}",
          hovertemplate: "true %{y}<br>predicted %{x}<br>%{text} (%{z:.1%})<extra></extra>",
          // matplotlib's Blues from white-blue at 0 (plotly's "Blues" runs dark to light).
          colorscale: [
            [0, "#f7fbff"],
            [0.125, "#deebf7"],
            [0.25, "#c6dbef"],
            [0.375, "#9ecae1"],
            [0.5, "#6baed6"],
            [0.625, "#4292c6"],
            [0.75, "#2171b5"],
            [0.875, "#08519c"],
            [1, "#08306b"],
          ],
          zmin: 0,
          zmax: 1,
          colorbar: { title: { text: "% of each true class" }, tickformat: ".0%" },
        },
      ],
      layout: {
        title: { text: "Fold 1: accuracy 75.0% (3 of 4)" },
        xaxis: { title: { text: "Predicted class" }, type: "category" },
        yaxis: { title: { text: "True class" }, type: "category", autorange: "reversed" },
        width: 420,
        height: 380,
      },
    });
  });

  it("shows the SVG in JupyterLab without a plotly renderer, and plotly when its extension is installed", () => {
    const data = confusionMatrixView(teaching).toMimeBundle().data;
    expect(preferredMimeType(data, JUPYTERLAB_RENDERERS, true)).toBe("image/svg+xml");
    expect(preferredMimeType(data, [...JUPYTERLAB_RENDERERS, { mime: PLOTLY_MIME, rank: 0, safe: true }], true)).toBe(
      PLOTLY_MIME,
    );
    // An untrusted notebook does not render SVG (JupyterLab marks it unsafe): the text remains.
    expect(preferredMimeType(data, JUPYTERLAB_RENDERERS, false)).toBe("text/plain");
  });

  it("rejects an unknown normalisation when the view is made", () => {
    expect(thrown(() => confusionMatrixView(teaching, { normalize: "row" as never })).code).toBe("evaluation-options");
  });
});

describe("rocCurveView", () => {
  const small = rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);

  it("draws the curve, the chance diagonal and a legend with each AUC", () => {
    const bundle = rocCurveView([{ name: "model", curve: small }]).toMimeBundle();
    expect(Object.keys(bundle.data)).toEqual([PLOTLY_MIME, "image/svg+xml", "text/plain"]);
    expect(bundle.data["text/plain"]).toBe("ROC curve\n  model: AUC 0.750, 2 positive, 2 negative");
    const svg = parseSvg(bundle.data["image/svg+xml"]);
    // fpr [0, 0, 0.5, 0.5, 1], tpr [0, 0.5, 0.5, 1, 1] on a 320-pixel square whose corner is (60, 40).
    expect(all(svg, "polyline").map((p) => p.getAttribute("points"))).toEqual([
      "60.00,360.00 60.00,200.00 220.00,200.00 220.00,40.00 380.00,40.00",
    ]);
    const diagonal = all(svg, "line").filter((l) => l.getAttribute("stroke-dasharray") === "5,4")[0];
    expect(["x1", "y1", "x2", "y2"].map((a) => diagonal?.getAttribute(a))).toEqual([
      "60.00",
      "360.00",
      "380.00",
      "40.00",
    ]);
    const texts = all(svg, "svg > text").map((t) => t.textContent);
    expect(texts.slice(-2)).toEqual(["model: AUC 0.750, 2 positive, 2 negative", "Chance (AUC 0.500)"]);
  });

  it("puts DeLong's interval in the legend and checks it belongs to the curve", () => {
    const view = rocCurveView(
      [
        { name: "A", curve: rocCurve(TRUTH_A, SCORES_A), interval: delongAuc(TRUTH_A, SCORES_A) },
        { name: "E <test>", curve: rocCurve(TRUTH_E, SCORES_E), interval: delongAuc(TRUTH_E, SCORES_E) },
      ],
      { title: "Validation" },
    );
    expect(view.toMimeBundle().data["text/plain"]).toBe(
      [
        "Validation",
        "  A: AUC 0.614 (95% CI 0.271–0.958), 7 positive, 5 negative",
        "  E <test>: AUC 0.880 (95% CI 0.771–0.990), 24 positive, 16 negative",
      ].join("\n"),
    );
    const svg = parseSvg(view.toMimeBundle().data["image/svg+xml"]);
    expect(all(svg, "polyline")).toHaveLength(2);
    expect(view.toMimeBundle().data["image/svg+xml"]).toBe(view.toMimeBundle().data["image/svg+xml"]);
    const mismatch = thrown(() =>
      rocCurveView([{ name: "A", curve: rocCurve(TRUTH_A, SCORES_A), interval: delongAuc(TRUTH_E, SCORES_E) }]),
    );
    expect([mismatch.code, mismatch.evidence.path]).toEqual(["evaluation-options", "series[0].interval"]);
    expect(thrown(() => rocCurveView([])).code).toBe("evaluation-empty");
  });

  it("sends a plotly figure whose JSON keeps every threshold", () => {
    const figure = rocCurveView([{ name: "model", curve: small }]).toMimeBundle().data[PLOTLY_MIME] as {
      data: Record<string, unknown>[];
      layout: Record<string, unknown>;
    };
    expect(figure.data).toHaveLength(2);
    expect(figure.data[0]).toEqual({
      type: "scatter",
      mode: "lines",
      name: "model: AUC 0.750",
      x: [0, 0, 0.5, 0.5, 1],
      y: [0, 0.5, 0.5, 1, 1],
      text: ["inf", "0.8", "0.4", "0.35", "0.1"],
      hovertemplate: "FPR %{x:.3f}<br>TPR %{y:.3f}<br>threshold %{text}<extra></extra>",
      line: { color: "#1f77b4", width: 2 },
    });
    expect(figure.data[1]).toMatchObject({ name: "Chance (AUC 0.500)", x: [0, 1], y: [0, 1] });
    expect(JSON.parse(JSON.stringify(figure))).toEqual(figure);
  });
});

describe("metrics tables", () => {
  it("lays out a classification report, one row per class then the averages", () => {
    const t = classificationReportTable(classificationReport(TRUTH_C, PREDICTED_C));
    expect(t.payload.caption).toBe("Accuracy 0.6, balanced accuracy 0.589 (15 samples)");
    expect(t.payload.columns.map((c) => [c.name, c.type])).toEqual([
      ["class", "string"],
      ["precision", "number"],
      ["sensitivity", "number"],
      ["specificity", "number"],
      ["f1", "number"],
      ["support", "number"],
    ]);
    expect(t.payload.rows).toEqual([
      ["effusion", 0.6, 0.6, 0.8, 0.6, 5],
      ["nodule", 0.5, 0.5, 0.818, 0.5, 4],
      ["normal", 0.667, 0.667, 0.778, 0.667, 6],
      ["macro avg", 0.589, 0.589, 0.799, 0.589, 15],
      ["weighted avg", 0.6, 0.6, 0.796, 0.6, 15],
    ]);
  });

  it("lists binary metrics with the counts and names the undefined ones", () => {
    const t = binaryMetricsTable(binaryMetrics([1, 1, 1, 1], [1, 0, 1, 1]), { digits: 4 });
    expect(t.payload.caption).toBe("Positive class 1: 4 positive, 0 negative; undefined, shown as 0: specificity");
    expect(t.payload.rows).toEqual([
      ["accuracy", 0.75],
      ["sensitivity (recall)", 0.75],
      ["specificity", 0],
      ["precision (PPV)", 1],
      ["NPV", 0],
      ["F1", 0.8571],
      ["balanced accuracy", 0.75],
      ["true positives", 3],
      ["false positives", 0],
      ["true negatives", 0],
      ["false negatives", 1],
    ]);
    expect(thrown(() => binaryMetricsTable(binaryMetrics([0, 1], [0, 1]), { digits: 1.5 })).code).toBe(
      "evaluation-options",
    );
  });
});
