import { escapeHtml } from "../../display/html";
import { DisplayableValue, type MimeBundle } from "../../display/mime-bundle";
import { PLOTLY_MIME } from "../../display/plotly";
import type { FeatureTable } from "../feature-table";
import { RadiomicsError } from "../radiomics-error";
import { pearson, spearman } from "./rank-statistics";

/** Options of {@link correlationHeatmap}. */
export interface CorrelationHeatmapOptions {
  /** The features (default: every feature that is not constant over the rows). */
  readonly features?: readonly string[];
  /** Rank (`spearman`, default) or linear (`pearson`) correlation. */
  readonly method?: "spearman" | "pearson";
  /** Order features so that correlated ones sit together (average-linkage clustering on 1 - |r|; default true). */
  readonly cluster?: boolean;
}

/** A feature-by-feature correlation matrix: the values, and the order they are drawn in. */
export interface CorrelationMatrix {
  readonly features: readonly string[];
  readonly method: "spearman" | "pearson";
  /** `r[i][j]`, `NaN` where a feature is constant. */
  readonly r: readonly (readonly number[])[];
}

/** Average-linkage agglomerative clustering on distance 1 - |r|; returns the leaf order. */
function clusterOrder(r: readonly (readonly number[])[]): number[] {
  const n = r.length;
  const dist = (i: number, j: number): number => {
    const v = r[i]![j]!;
    return Number.isFinite(v) ? 1 - Math.abs(v) : 1;
  };
  let clusters: { members: number[] }[] = Array.from({ length: n }, (_, i) => ({ members: [i] }));
  while (clusters.length > 1) {
    let best = Infinity;
    let bi = 0;
    let bj = 1;
    for (let a = 0; a < clusters.length; a++) {
      for (let b = a + 1; b < clusters.length; b++) {
        let sum = 0;
        for (const i of clusters[a]!.members) for (const j of clusters[b]!.members) sum += dist(i, j);
        const d = sum / (clusters[a]!.members.length * clusters[b]!.members.length);
        if (d < best) {
          best = d;
          bi = a;
          bj = b;
        }
      }
    }
    const merged = { members: [...clusters[bi]!.members, ...clusters[bj]!.members] };
    clusters = clusters.filter((_, k) => k !== bi && k !== bj);
    clusters.push(merged);
  }
  return clusters[0]?.members ?? [];
}

/**
 * The correlation of every pair of features over the rows of a table.
 *
 * @throws {@link RadiomicsError} `settings` when fewer than 3 rows or 2 usable features.
 *
 * @example
 * ```ts
 * import { correlationMatrix } from "@radlab/kernel";
 * const m = correlationMatrix(table, { method: "spearman" });
 * m.r[0][0]; // 1
 * ```
 */
export function correlationMatrix(features: FeatureTable, options: CorrelationHeatmapOptions = {}): CorrelationMatrix {
  const method = options.method ?? "spearman";
  if (features.rows.length < 3) {
    throw new RadiomicsError("settings", `A correlation needs at least 3 rows; the table has ${features.rows.length}`, {
      path: "table.rows",
      hint: "Compute features for more cases (patients, ROIs or ROI perturbations) first.",
    });
  }
  let names = options.features ?? features.featureNames;
  names = names.filter((name) => {
    const values = features.column(name).filter(Number.isFinite);
    return values.length >= 3 && values.some((v) => v !== values[0]);
  });
  if (names.length < 2) {
    throw new RadiomicsError("settings", "Fewer than 2 features vary over the rows", {
      path: "features",
      hint: "Choose features that are not constant over the cases.",
    });
  }
  const columns = names.map((name) => features.column(name));
  const corr = method === "spearman" ? spearman : pearson;
  const r = columns.map((a, i) => columns.map((b, j) => (i === j ? 1 : corr(a, b))));
  if (options.cluster === false) return { features: names, method, r };
  const order = clusterOrder(r);
  return { features: order.map((i) => names[i]!), method, r: order.map((i) => order.map((j) => r[i]![j]!)) };
}

/** Red-white-blue for -1..1 (ColorBrewer RdBu, reversed so positive is red). */
function divergingColour(v: number): string {
  if (!Number.isFinite(v)) return "#dddddd";
  const t = Math.max(-1, Math.min(1, v));
  const mix = (a: number, b: number, f: number): number => Math.round(a + (b - a) * f);
  const [r, g, b] =
    t >= 0
      ? [mix(247, 178, t), mix(247, 24, t), mix(247, 43, t)]
      : [mix(247, 33, -t), mix(247, 102, -t), mix(247, 172, -t)];
  return `rgb(${r},${g},${b})`;
}

/** A correlation heat map; create it with {@link correlationHeatmap}. */
export class CorrelationHeatmapView extends DisplayableValue {
  constructor(readonly matrix: CorrelationMatrix) {
    super();
  }

  toMimeBundle(): MimeBundle {
    const m = this.matrix;
    const title = `${m.method === "spearman" ? "Spearman" : "Pearson"} correlation of ${m.features.length} features`;
    return {
      data: {
        [PLOTLY_MIME]: {
          data: [
            {
              type: "heatmap",
              z: m.r.map((row) => row.map((v) => (Number.isFinite(v) ? v : null))),
              x: m.features,
              y: m.features,
              zmin: -1,
              zmax: 1,
              colorscale: "RdBu",
              hovertemplate: "%{y}<br>%{x}<br>r = %{z:.3f}<extra></extra>",
            },
          ],
          layout: {
            title: { text: title },
            height: Math.max(400, 14 * m.features.length + 200),
            xaxis: { tickangle: -60, automargin: true },
            yaxis: { autorange: "reversed", automargin: true },
          },
        },
        "image/svg+xml": this.svg(title),
        "text/plain": `${title}: ${m.features.join(", ")}`,
      },
    };
  }

  private svg(title: string): string {
    const m = this.matrix;
    const n = m.features.length;
    const cell = Math.max(4, Math.min(16, Math.floor(640 / n)));
    const label = 180;
    const size = label + cell * n + 20;
    const parts = [
      `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size + 30}" font-family="sans-serif" font-size="${Math.min(11, cell)}">`,
    ];
    parts.push(`<text x="${size / 2}" y="16" text-anchor="middle" font-size="13">${escapeHtml(title)}</text>`);
    for (let i = 0; i < n; i++) {
      const y = 30 + label + i * cell;
      if (cell >= 8)
        parts.push(
          `<text x="${label - 4}" y="${y + cell * 0.75}" text-anchor="end">${escapeHtml(m.features[i]!.slice(0, 30))}</text>`,
        );
      for (let j = 0; j < n; j++) {
        const v = m.r[i]![j]!;
        parts.push(
          `<rect x="${label + j * cell}" y="${y}" width="${cell}" height="${cell}" fill="${divergingColour(v)}"><title>${escapeHtml(`${m.features[i]} / ${m.features[j]}: r = ${Number.isFinite(v) ? v.toFixed(3) : "n/a"}`)}</title></rect>`,
        );
      }
    }
    if (cell >= 8) {
      for (let j = 0; j < n; j++) {
        const x = label + j * cell + cell * 0.75;
        parts.push(
          `<text transform="translate(${x},${30 + label - 4}) rotate(-60)">${escapeHtml(m.features[j]!.slice(0, 30))}</text>`,
        );
      }
    }
    parts.push("</svg>");
    return parts.join("");
  }
}

/**
 * Shows how features correlate with each other over the cases of a table (many radiomics
 * features are near-duplicates; pick one per cluster before modelling). Plotly heat map with
 * hover values when the plotly extension is present, SVG otherwise.
 *
 * @example
 * ```ts
 * import { correlationHeatmap, display } from "@radlab/kernel";
 * display(correlationHeatmap(table, { method: "spearman" }));
 * ```
 */
export function correlationHeatmap(
  features: FeatureTable,
  options: CorrelationHeatmapOptions = {},
): CorrelationHeatmapView {
  return new CorrelationHeatmapView(correlationMatrix(features, options));
}
