import { escapeHtml } from "../../display/html";
import { DisplayableValue, type MimeBundle } from "../../display/mime-bundle";
import { PALETTE, PLOTLY_MIME } from "../../display/plotly";
import { table, type Table } from "../../display/table";
import { normalizeConfusionMatrix, type ConfusionMatrix, type ConfusionNormalization } from "./confusion-matrix";
import { EvaluationError } from "./evaluation-error";
import type { ClassLabel } from "./evaluation-input";
import type { BinaryMetrics, ClassificationReport } from "./metrics";
import type { DelongAuc, RocCurve } from "./roc";

/** Characters of a class name shown on an axis; the full name is in the SVG tooltip. */
const LABEL_CHARS = 20;
/** matplotlib's "Blues" colour map, sampled at 9 evenly spaced stops. */
const BLUES = ["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"];

/** Options of {@link confusionMatrixView}. */
export interface ConfusionMatrixViewOptions {
  /** The title before the accuracy (default `Confusion matrix`). */
  readonly title?: string;
  /** What the percentages and shading are relative to (default `true`: each true class's row). */
  readonly normalize?: ConfusionNormalization;
}

/**
 * A confusion matrix drawn as a heat map: an SVG (counts and percentages in each cell, class
 * names on the axes, accuracy in the title), the same as a plotly heat map, and a text grid.
 * Create it with {@link confusionMatrixView}.
 */
export class ConfusionMatrixView extends DisplayableValue {
  constructor(
    readonly matrix: ConfusionMatrix,
    readonly normalize: ConfusionNormalization,
    readonly title: string,
  ) {
    super();
  }

  toMimeBundle(): MimeBundle {
    const fractions = normalizeConfusionMatrix(this.matrix, this.normalize);
    return {
      data: {
        [PLOTLY_MIME]: confusionPlotly(this.matrix, fractions, this.heading(), this.normalize),
        "image/svg+xml": confusionSvg(this.matrix, fractions, this.heading(), this.normalize),
        "text/plain": confusionText(this.matrix, fractions, this.heading(), this.normalize),
      },
    };
  }

  private heading(): string {
    const m = this.matrix;
    return `${this.title}: accuracy ${percent(m.accuracy)} (${m.correct} of ${m.total})`;
  }
}

/**
 * Shows a confusion matrix in the notebook.
 *
 * @param matrix - from {@link confusionMatrix} or {@link confusionMatrixFromCounts}.
 * @param options - the title and the normalisation of the percentages and shading.
 * @throws {@link EvaluationError} `evaluation-options` for an unknown normalisation.
 * @example
 * ```ts
 * import { confusionMatrixFromCounts, confusionMatrixView, display } from "@radlab/kernel";
 * display(confusionMatrixView(confusionMatrixFromCounts(["normal", "effusion"], [[81, 13], [12, 91]])));
 * ```
 */
export function confusionMatrixView(
  matrix: ConfusionMatrix,
  options: ConfusionMatrixViewOptions = {},
): ConfusionMatrixView {
  const normalize = options.normalize ?? "true";
  normalizeConfusionMatrix(matrix, normalize); // rejects an unknown normalisation now, not at display time
  return new ConfusionMatrixView(matrix, normalize, options.title ?? "Confusion matrix");
}

/** One curve of a {@link RocCurveView}. */
export interface RocSeries {
  /** The legend's name of the curve, for example the model or the finding. */
  readonly name: string;
  readonly curve: RocCurve;
  /** DeLong's interval of the same curve ({@link delongAuc}), shown in the legend. */
  readonly interval?: DelongAuc;
}

/** Options of {@link rocCurveView}. */
export interface RocCurveViewOptions {
  /** The title (default `ROC curve`). */
  readonly title?: string;
}

/**
 * ROC curves drawn with the chance diagonal and each curve's AUC in the legend: an SVG, the same
 * as a plotly figure, and a text summary. Create it with {@link rocCurveView}.
 */
export class RocCurveView extends DisplayableValue {
  constructor(
    readonly series: readonly RocSeries[],
    readonly title: string,
  ) {
    super();
  }

  toMimeBundle(): MimeBundle {
    return {
      data: {
        [PLOTLY_MIME]: rocPlotly(this.series, this.title),
        "image/svg+xml": rocSvg(this.series, this.title),
        "text/plain": [this.title, ...this.series.map((s) => `  ${legendText(s)}`)].join("\n"),
      },
    };
  }
}

/**
 * Shows one or several ROC curves in the notebook.
 *
 * @param series - the curves, each with a name and optionally DeLong's interval.
 * @throws {@link EvaluationError} `evaluation-empty` without a curve, `evaluation-options` when an
 *   interval's AUC is not its curve's (it was computed on other data).
 * @example
 * ```ts
 * import { delongAuc, display, rocCurve, rocCurveView } from "@radlab/kernel";
 * const truth = [0, 0, 1, 1, 0, 1];
 * const scores = [0.1, 0.4, 0.35, 0.8, 0.2, 0.9];
 * display(rocCurveView([{ name: "DenseNet-121", curve: rocCurve(truth, scores), interval: delongAuc(truth, scores) }]));
 * ```
 */
export function rocCurveView(series: readonly RocSeries[], options: RocCurveViewOptions = {}): RocCurveView {
  if (series.length === 0) {
    throw new EvaluationError("evaluation-empty", "There is no ROC curve to show.", {
      path: "series",
      hint: "Pass at least one { name, curve }.",
    });
  }
  series.forEach((s, i) => {
    if (s.interval !== undefined && Math.abs(s.interval.auc - s.curve.auc) > 1e-12) {
      throw new EvaluationError(
        "evaluation-options",
        `series[${i}] (${s.name}) has an interval around AUC ${s.interval.auc} but its curve's AUC is ${s.curve.auc}.`,
        { path: `series[${i}].interval`, hint: "Compute the curve and the interval from the same truth and scores." },
      );
    }
  });
  return new RocCurveView(
    series.map((s) => Object.freeze({ ...s })),
    options.title ?? "ROC curve",
  );
}

/** Options of {@link classificationReportTable} and {@link binaryMetricsTable}. */
export interface MetricsTableOptions {
  /** A caption (default: one that states the accuracy and the number of samples). */
  readonly caption?: string;
  /** Decimal places of the ratios (default 3). */
  readonly digits?: number;
}

/**
 * A classification report as a table: one row per class (precision, sensitivity, specificity,
 * F1, support), then the macro and weighted averages; the caption gives the accuracy and the
 * balanced accuracy.
 *
 * @throws {@link EvaluationError} `evaluation-options` when `digits` is not an integer from 0 to 15.
 * @example
 * ```ts
 * import { classificationReport, classificationReportTable, display } from "@radlab/kernel";
 * display(classificationReportTable(classificationReport(["a", "b", "b"], ["a", "b", "a"])));
 * ```
 */
export function classificationReportTable<L extends ClassLabel>(
  report: ClassificationReport<L>,
  options: MetricsTableOptions = {},
): Table {
  const round = rounder(options.digits);
  const row = (
    name: string,
    m: { precision: number; sensitivity: number; specificity: number; f1: number; support: number },
  ) => ({
    class: name,
    precision: round(m.precision),
    sensitivity: round(m.sensitivity),
    specificity: round(m.specificity),
    f1: round(m.f1),
    support: m.support,
  });
  const caption =
    options.caption ??
    `Accuracy ${round(report.accuracy)}, balanced accuracy ${round(report.balancedAccuracy)} (${report.confusion.total} samples)`;
  return table(
    [
      ...report.perClass.map((m) => row(String(m.class), m)),
      row("macro avg", report.macro),
      row("weighted avg", report.weighted),
    ],
    { caption },
  );
}

/**
 * Binary metrics as a two-column table (metric, value), with the four counts.
 *
 * @throws {@link EvaluationError} `evaluation-options` when `digits` is not an integer from 0 to 15.
 * @example
 * ```ts
 * import { binaryMetrics, binaryMetricsTable, display } from "@radlab/kernel";
 * display(binaryMetricsTable(binaryMetrics([0, 1, 1, 0], [0, 1, 0, 0])));
 * ```
 */
export function binaryMetricsTable<L extends ClassLabel>(
  metrics: BinaryMetrics<L>,
  options: MetricsTableOptions = {},
): Table {
  const round = rounder(options.digits);
  const rows: { metric: string; value: number }[] = [
    { metric: "accuracy", value: round(metrics.accuracy) },
    { metric: "sensitivity (recall)", value: round(metrics.sensitivity) },
    { metric: "specificity", value: round(metrics.specificity) },
    { metric: "precision (PPV)", value: round(metrics.precision) },
    { metric: "NPV", value: round(metrics.npv) },
    { metric: "F1", value: round(metrics.f1) },
    { metric: "balanced accuracy", value: round(metrics.balancedAccuracy) },
    { metric: "true positives", value: metrics.truePositives },
    { metric: "false positives", value: metrics.falsePositives },
    { metric: "true negatives", value: metrics.trueNegatives },
    { metric: "false negatives", value: metrics.falseNegatives },
  ];
  const undefinedNote =
    metrics.undefinedMetrics.length === 0 ? "" : `; undefined, shown as 0: ${metrics.undefinedMetrics.join(", ")}`;
  return table(rows, {
    caption:
      options.caption ??
      `Positive class ${String(metrics.positive)}: ${metrics.support} positive, ${metrics.negatives} negative${undefinedNote}`,
  });
}

function rounder(digits: number | undefined): (x: number) => number {
  const d = digits ?? 3;
  if (!Number.isInteger(d) || d < 0 || d > 15) {
    throw new EvaluationError("evaluation-options", `digits must be an integer from 0 to 15, got ${d}.`, {
      path: "digits",
      hint: "Pass { digits: 3 }.",
    });
  }
  return (x) => Number(x.toFixed(d));
}

/** Escapes text for SVG (XML 1.0): markup characters, and control characters XML cannot carry. */
function escapeXml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return escapeHtml(text).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "\ufffd");
}

function clip(text: string): string {
  return text.length > LABEL_CHARS ? `${text.slice(0, LABEL_CHARS - 1)}…` : text;
}

function percent(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

/** A number for an SVG attribute: two decimals, without a negative zero. */
function n2(x: number): string {
  const s = x.toFixed(2);
  return s === "-0.00" ? "0.00" : s;
}

function shade(t: number): string {
  const x = Math.min(1, Math.max(0, t)) * (BLUES.length - 1);
  const i = Math.min(BLUES.length - 2, Math.floor(x));
  const f = x - i;
  const rgb = (hex: string) => [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16));
  const a = rgb(BLUES[i] as string);
  const b = rgb(BLUES[i + 1] as string);
  return `#${a
    .map((v, k) =>
      Math.round(v + f * ((b[k] as number) - v))
        .toString(16)
        .padStart(2, "0"),
    )
    .join("")}`;
}

function normalizationNote(by: ConfusionNormalization): string {
  return by === "true" ? "% of each true class" : by === "pred" ? "% of each predicted class" : "% of all samples";
}

function confusionSvg(
  matrix: ConfusionMatrix,
  fractions: readonly (readonly number[])[],
  heading: string,
  by: ConfusionNormalization,
): string {
  const names = matrix.classes.map((c) => String(c));
  const k = names.length;
  const cell = Math.max(40, Math.min(80, Math.floor(480 / k)));
  const longest = Math.max(...names.map((n) => clip(n).length));
  const labelWidth = Math.ceil(longest * 7.2) + 12;
  const rotate = longest * 7.2 > cell - 4;
  const left = 28 + labelWidth;
  const top = 56;
  const gridSize = k * cell;
  const bottom = (rotate ? Math.ceil(longest * 5.2) + 16 : 24) + 28;
  const subtitle = `Rows: true class; columns: predicted class; shading and ${normalizationNote(by)}`;
  // Text widths are estimated (about 0.6 em per character in a sans-serif face, more in bold).
  const width = Math.max(
    left + gridSize + 16,
    Math.ceil(heading.length * 9.2) + 24,
    Math.ceil(subtitle.length * 6.4) + 24,
  );
  const height = top + gridSize + bottom;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" role="img">`,
    `<title>${escapeXml(heading)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="12" y="22" font-size="15" font-weight="bold" fill="#222222">${escapeXml(heading)}</text>`,
    `<text x="12" y="40" font-size="11" fill="#555555">${subtitle}</text>`,
  ];
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const value = fractions[i]?.[j] ?? 0;
      const x = left + j * cell;
      const y = top + i * cell;
      const ink = value > 0.5 ? "#ffffff" : "#222222";
      const count = matrix.counts[i]?.[j] ?? 0;
      parts.push(
        `<g><title>true ${escapeXml(names[i] as string)}, predicted ${escapeXml(names[j] as string)}: ${count} (${percent(value)})</title>` +
          `<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${shade(value)}" stroke="#ffffff"/>` +
          `<text x="${n2(x + cell / 2)}" y="${n2(y + cell / 2 - 2)}" text-anchor="middle" font-size="${cell >= 56 ? 15 : 12}" font-weight="bold" fill="${ink}">${count}</text>` +
          `<text x="${n2(x + cell / 2)}" y="${n2(y + cell / 2 + 14)}" text-anchor="middle" font-size="${cell >= 56 ? 11 : 9}" fill="${ink}">${percent(value)}</text></g>`,
      );
    }
  }
  names.forEach((name, i) => {
    const y = top + i * cell + cell / 2 + 4;
    parts.push(
      `<text x="${left - 6}" y="${n2(y)}" text-anchor="end" font-size="12" fill="#222222"><title>${escapeXml(name)}</title>${escapeXml(clip(name))}</text>`,
    );
    const x = left + i * cell + cell / 2;
    const yx = top + gridSize + 16;
    parts.push(
      rotate
        ? `<text x="${n2(x)}" y="${yx}" text-anchor="end" font-size="12" fill="#222222" transform="rotate(-40 ${n2(x)} ${yx})"><title>${escapeXml(name)}</title>${escapeXml(clip(name))}</text>`
        : `<text x="${n2(x)}" y="${yx}" text-anchor="middle" font-size="12" fill="#222222"><title>${escapeXml(name)}</title>${escapeXml(clip(name))}</text>`,
    );
  });
  parts.push(
    `<text x="${n2(left + gridSize / 2)}" y="${height - 10}" text-anchor="middle" font-size="12" font-weight="bold" fill="#222222">Predicted class</text>`,
    `<text x="16" y="${n2(top + gridSize / 2)}" text-anchor="middle" font-size="12" font-weight="bold" fill="#222222" transform="rotate(-90 16 ${n2(top + gridSize / 2)})">True class</text>`,
    "</svg>",
  );
  return parts.join("");
}

function confusionPlotly(
  matrix: ConfusionMatrix,
  fractions: readonly (readonly number[])[],
  heading: string,
  by: ConfusionNormalization,
): Record<string, unknown> {
  // plotly reads <br>, <b>, ... in text as markup and decodes entities, so names are escaped.
  const names = matrix.classes.map((c) => escapeHtml(String(c)));
  const k = names.length;
  return {
    data: [
      {
        type: "heatmap",
        z: fractions.map((row) => [...row]),
        x: names,
        y: names,
        text: matrix.counts.map((row) => row.map((c) => String(c))),
        texttemplate: "%{text}<br>%{z:.1%}",
        hovertemplate: "true %{y}<br>predicted %{x}<br>%{text} (%{z:.1%})<extra></extra>",
        // matplotlib's Blues, light for 0; plotly's own "Blues" runs the other way.
        colorscale: BLUES.map((colour, i) => [i / (BLUES.length - 1), colour]),
        zmin: 0,
        zmax: 1,
        colorbar: { title: { text: normalizationNote(by) }, tickformat: ".0%" },
      },
    ],
    layout: {
      title: { text: escapeHtml(heading) },
      xaxis: { title: { text: "Predicted class" }, type: "category" },
      yaxis: { title: { text: "True class" }, type: "category", autorange: "reversed" },
      width: Math.max(420, 160 + 80 * k),
      height: Math.max(380, 140 + 80 * k),
    },
  };
}

function confusionText(
  matrix: ConfusionMatrix,
  fractions: readonly (readonly number[])[],
  heading: string,
  by: ConfusionNormalization,
): string {
  const names = matrix.classes.map((c) => String(c));
  const header = ["true \\ predicted", ...names];
  const rows = names.map((name, i) => [
    name,
    ...names.map((_, j) => `${matrix.counts[i]?.[j] ?? 0} (${percent(fractions[i]?.[j] ?? 0)})`),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)))
      .join("  ")
      .trimEnd();
  return [heading, `(${normalizationNote(by)})`, line(header), ...rows.map(line)].join("\n");
}

/** The legend's label: name, AUC and interval. */
function legendLabel(s: RocSeries): string {
  const ci =
    s.interval === undefined
      ? ""
      : ` (${Math.round(s.interval.confidence * 1000) / 10}% CI ${s.interval.lower.toFixed(3)}–${s.interval.upper.toFixed(3)})`;
  return `${s.name}: AUC ${s.curve.auc.toFixed(3)}${ci}`;
}

function legendText(s: RocSeries): string {
  return `${legendLabel(s)}, ${s.curve.positives} positive, ${s.curve.negatives} negative`;
}

function rocSvg(series: readonly RocSeries[], title: string): string {
  const plot = 320;
  const left = 60;
  const top = 40;
  const legendTop = top + plot + 64;
  const legendLine = 18;
  const entries = [...series.map(legendText), "Chance (AUC 0.500)"];
  const width = Math.max(
    left + plot + 24,
    Math.ceil(Math.max(...entries.map((e) => e.length)) * 7.2) + left + 40,
    Math.ceil(title.length * 9.2) + 24,
  );
  const height = legendTop + entries.length * legendLine + 8;
  const px = (fpr: number) => left + fpr * plot;
  const py = (tpr: number) => top + (1 - tpr) * plot;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" role="img">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="12" y="24" font-size="15" font-weight="bold" fill="#222222">${escapeXml(title)}</text>`,
  ];
  for (let t = 0; t <= 5; t++) {
    const v = t / 5;
    const label = v.toFixed(1);
    parts.push(
      `<line x1="${n2(px(v))}" y1="${top}" x2="${n2(px(v))}" y2="${top + plot}" stroke="#e6e6e6"/>`,
      `<line x1="${left}" y1="${n2(py(v))}" x2="${left + plot}" y2="${n2(py(v))}" stroke="#e6e6e6"/>`,
      `<text x="${n2(px(v))}" y="${top + plot + 16}" text-anchor="middle" font-size="11" fill="#444444">${label}</text>`,
      `<text x="${left - 6}" y="${n2(py(v) + 4)}" text-anchor="end" font-size="11" fill="#444444">${label}</text>`,
    );
  }
  parts.push(
    `<rect x="${left}" y="${top}" width="${plot}" height="${plot}" fill="none" stroke="#444444"/>`,
    `<line x1="${n2(px(0))}" y1="${n2(py(0))}" x2="${n2(px(1))}" y2="${n2(py(1))}" stroke="#888888" stroke-dasharray="5,4"/>`,
  );
  series.forEach((s, i) => {
    const points = s.curve.fpr.map((f, k) => `${n2(px(f))},${n2(py(s.curve.tpr[k] ?? 0))}`).join(" ");
    parts.push(
      `<polyline points="${points}" fill="none" stroke="${PALETTE[i % PALETTE.length]}" stroke-width="2" stroke-linejoin="round"><title>${escapeXml(legendText(s))}</title></polyline>`,
    );
  });
  parts.push(
    `<text x="${left + plot / 2}" y="${top + plot + 36}" text-anchor="middle" font-size="12" fill="#222222">False-positive rate (1 − specificity)</text>`,
    `<text x="18" y="${top + plot / 2}" text-anchor="middle" font-size="12" fill="#222222" transform="rotate(-90 18 ${top + plot / 2})">True-positive rate (sensitivity)</text>`,
  );
  entries.forEach((entry, i) => {
    const y = legendTop + i * legendLine;
    const chance = i === series.length;
    const stroke = chance ? "#888888" : PALETTE[i % PALETTE.length];
    parts.push(
      `<line x1="${left}" y1="${y - 4}" x2="${left + 24}" y2="${y - 4}" stroke="${stroke}" stroke-width="2"${chance ? ' stroke-dasharray="5,4"' : ""}/>`,
      `<text x="${left + 32}" y="${y}" font-size="12" fill="#222222">${escapeXml(entry)}</text>`,
    );
  });
  parts.push("</svg>");
  return parts.join("");
}

function rocPlotly(series: readonly RocSeries[], title: string): Record<string, unknown> {
  const curves = series.map((s, i) => ({
    type: "scatter",
    mode: "lines",
    name: escapeHtml(legendLabel(s)),
    x: [...s.curve.fpr],
    y: [...s.curve.tpr],
    // JSON has no Infinity: the first threshold is written as "inf", every threshold as text.
    text: s.curve.thresholds.map((t) => (Number.isFinite(t) ? String(t) : "inf")),
    hovertemplate: "FPR %{x:.3f}<br>TPR %{y:.3f}<br>threshold %{text}<extra></extra>",
    line: { color: PALETTE[i % PALETTE.length], width: 2 },
  }));
  return {
    data: [
      ...curves,
      {
        type: "scatter",
        mode: "lines",
        name: "Chance (AUC 0.500)",
        x: [0, 1],
        y: [0, 1],
        hoverinfo: "skip",
        line: { color: "#888888", dash: "dash", width: 1 },
      },
    ],
    layout: {
      title: { text: escapeHtml(title) },
      xaxis: { title: { text: "False-positive rate (1 − specificity)" }, range: [0, 1], constrain: "domain" },
      yaxis: { title: { text: "True-positive rate (sensitivity)" }, range: [0, 1], scaleanchor: "x", scaleratio: 1 },
      legend: { x: 1, xanchor: "right", y: 0, yanchor: "bottom" },
      width: 560,
      height: 520,
    },
  };
}
