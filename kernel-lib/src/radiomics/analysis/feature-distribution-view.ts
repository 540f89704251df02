import { escapeHtml } from "../../display/html";
import { DisplayableValue, type MimeBundle } from "../../display/mime-bundle";
import { PALETTE, PLOTLY_MIME } from "../../display/plotly";
import type { FeatureTable } from "../feature-table";
import { quantileOfSorted, sortedCopy } from "../features/quantiles";
import { RadiomicsError } from "../radiomics-error";

/** Options of {@link featureDistributions}. */
export interface FeatureDistributionOptions {
  /** The features to draw (default: the first 12 that vary). */
  readonly features?: readonly string[];
  /**
   * Put every feature on one axis as z-scores over all rows (default true: features have
   * different units and ranges); `false` keeps raw values (one feature at a time reads best).
   */
  readonly standardise?: boolean;
}

/** Values of one feature per label, as drawn. */
export interface FeatureDistribution {
  readonly feature: string;
  readonly groups: readonly { readonly label: string; readonly values: readonly number[] }[];
}

/** Box plots of features by label; create it with {@link featureDistributions}. */
export class FeatureDistributionView extends DisplayableValue {
  constructor(
    readonly distributions: readonly FeatureDistribution[],
    readonly labels: readonly string[],
    readonly standardised: boolean,
  ) {
    super();
  }

  toMimeBundle(): MimeBundle {
    const title = `Feature distributions by label${this.standardised ? " (z-scores)" : ""}`;
    const traces = this.labels.map((label, l) => {
      const x: string[] = [];
      const y: number[] = [];
      for (const d of this.distributions) {
        for (const v of d.groups.find((g) => g.label === label)?.values ?? []) {
          x.push(d.feature);
          y.push(v);
        }
      }
      return {
        type: "box",
        name: label,
        x,
        y,
        boxpoints: "all",
        jitter: 0.4,
        pointpos: 0,
        marker: { color: PALETTE[l % PALETTE.length], size: 4 },
      };
    });
    return {
      data: {
        [PLOTLY_MIME]: {
          data: traces,
          layout: {
            title: { text: title },
            boxmode: "group",
            yaxis: { title: { text: this.standardised ? "z-score" : "value" }, zeroline: true },
            xaxis: { tickangle: -40, automargin: true },
          },
        },
        "image/svg+xml": this.svg(title),
        "text/plain": `${title}: ${this.distributions.map((d) => d.feature).join(", ")} for ${this.labels.join(", ")}`,
      },
    };
  }

  private svg(title: string): string {
    const all = this.distributions.flatMap((d) => d.groups.flatMap((g) => g.values)).filter(Number.isFinite);
    const lo = Math.min(...all);
    const hi = Math.max(...all);
    const span = hi - lo || 1;
    const plotTop = 40;
    const plotHeight = 260;
    const left = 50;
    const slot = Math.max(24, 14 * this.labels.length + 10);
    const width = left + slot * this.distributions.length + 20;
    const y = (v: number): number => plotTop + plotHeight - ((v - lo) / span) * plotHeight;
    const parts = [
      `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.max(width + 110, 360)}" height="${plotTop + plotHeight + 140}" font-family="sans-serif" font-size="11">`,
    ];
    parts.push(`<text x="${left}" y="16" font-size="13">${escapeHtml(title)}</text>`);
    this.labels.forEach((label, l) =>
      parts.push(
        `<rect x="${left + l * 110}" y="22" width="10" height="10" fill="${PALETTE[l % PALETTE.length]}"/><text x="${left + l * 110 + 14}" y="31">${escapeHtml(label)}</text>`,
      ),
    );
    parts.push(`<line x1="${left}" y1="${plotTop}" x2="${left}" y2="${plotTop + plotHeight}" stroke="#444"/>`);
    for (const t of [lo, (lo + hi) / 2, hi])
      parts.push(`<text x="${left - 4}" y="${y(t) + 4}" text-anchor="end">${Number(t.toPrecision(3))}</text>`);
    this.distributions.forEach((d, f) => {
      const x0 = left + f * slot + 6;
      d.groups.forEach((g, l) => {
        const values = sortedCopy(Float64Array.from(g.values.filter(Number.isFinite)));
        if (values.length === 0) return;
        const cx = x0 + l * 14 + 5;
        const colour = PALETTE[this.labels.indexOf(g.label) % PALETTE.length]!;
        const [q1, q2, q3] = [0.25, 0.5, 0.75].map((q) => quantileOfSorted(values, q)) as [number, number, number];
        parts.push(
          `<line x1="${cx}" y1="${y(values[0]!)}" x2="${cx}" y2="${y(values[values.length - 1]!)}" stroke="${colour}"/>`,
        );
        parts.push(
          `<rect x="${cx - 5}" y="${y(q3)}" width="10" height="${Math.max(1, y(q1) - y(q3))}" fill="${colour}" fill-opacity="0.35" stroke="${colour}"><title>${escapeHtml(`${d.feature}, ${g.label}: median ${q2.toPrecision(4)}, n = ${values.length}`)}</title></rect>`,
        );
        parts.push(
          `<line x1="${cx - 5}" y1="${y(q2)}" x2="${cx + 5}" y2="${y(q2)}" stroke="${colour}" stroke-width="2"/>`,
        );
      });
      parts.push(
        `<text transform="translate(${x0 + 4},${plotTop + plotHeight + 12}) rotate(45)">${escapeHtml(d.feature.slice(0, 28))}</text>`,
      );
    });
    parts.push("</svg>");
    return parts.join("");
  }
}

/**
 * Shows how features are distributed in each label: grouped box plots with every case as a
 * point (plotly), or boxes alone (SVG fallback). Rows without a label are drawn as `(none)`.
 *
 * @throws {@link RadiomicsError} `settings` for an empty table or unknown feature names.
 *
 * @example
 * ```ts
 * import { display, featureDistributions } from "@radlab/kernel";
 * display(featureDistributions(table, { features: ["firstorder_Mean", "glcm_Contrast"] }));
 * ```
 */
export function featureDistributions(
  features: FeatureTable,
  options: FeatureDistributionOptions = {},
): FeatureDistributionView {
  if (features.rows.length === 0) {
    throw new RadiomicsError("settings", "The feature table has no rows to draw", {
      path: "table.rows",
      hint: "Extract features first (extractBatch).",
    });
  }
  const standardise = options.standardise ?? true;
  const names =
    options.features ??
    features.featureNames
      .filter((name) => {
        const v = features.column(name).filter(Number.isFinite);
        return v.some((x) => x !== v[0]);
      })
      .slice(0, 12);
  const labelOf = features.rows.map((r) => r.label ?? "(none)");
  const labels = [...new Set(labelOf)].sort();
  const distributions = names.map((feature) => {
    let values = features.column(feature);
    if (standardise) {
      const finite = values.filter(Number.isFinite);
      const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
      const sd = Math.sqrt(finite.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, finite.length - 1));
      values = values.map((v) => (sd > 0 ? (v - mean) / sd : 0));
    }
    return {
      feature,
      groups: labels.map((label) => ({ label, values: values.filter((_, i) => labelOf[i] === label) })),
    };
  });
  return new FeatureDistributionView(distributions, labels, standardise);
}
