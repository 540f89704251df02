import { escapeHtml } from "../../display/html";
import { DisplayableValue, type MimeBundle } from "../../display/mime-bundle";
import { PALETTE, PLOTLY_MIME } from "../../display/plotly";
import { table } from "../../display/table";
import type { FeatureTable } from "../feature-table";
import { medianOfSorted, sortedCopy } from "../features/quantiles";
import { RadiomicsError } from "../radiomics-error";
import { benjaminiHochberg, mannWhitney } from "./rank-statistics";

/** How well one feature separates two labels. */
export interface FeatureAssociation {
  readonly feature: string;
  /** AUC of the feature as a score for the positive label (0.5: no separation; below 0.5: lower in positives). */
  readonly auc: number;
  /** Two-sided Mann-Whitney p-value. */
  readonly p: number;
  /** Benjamini-Hochberg q-value over all features tested. */
  readonly q: number;
  readonly medianPositive: number;
  readonly medianNegative: number;
}

/** Options of {@link featureAssociations}. */
export interface FeatureAssociationOptions {
  /** The label counted as positive (default: the second label in sorted order). */
  readonly positive?: string;
  readonly features?: readonly string[];
}

/** The median of the finite values, `NaN` when there are none. */
function median(values: readonly number[]): number {
  const finite = Float64Array.from(values.filter(Number.isFinite));
  return finite.length === 0 ? Number.NaN : medianOfSorted(sortedCopy(finite));
}

/**
 * Tests each feature for a difference between two labels (Mann-Whitney U, AUC, Benjamini-Hochberg
 * q-values), sorted by separation |AUC - 0.5|, for a first look at which features carry signal.
 * With many features and few patients, small p-values arise by chance: read the q-values.
 *
 * @throws {@link RadiomicsError} `settings` unless the rows carry exactly two labels (or
 *   `positive` names one of them and the rest are pooled).
 *
 * @example
 * ```ts
 * import { featureAssociations } from "@radlab/kernel";
 * featureAssociations(table, { positive: "malignant" })[0]; // { feature: "glcm_Idmn", auc: 0.91, ... }
 * ```
 */
export function featureAssociations(
  features: FeatureTable,
  options: FeatureAssociationOptions = {},
): { readonly positive: string; readonly negative: string; readonly rows: readonly FeatureAssociation[] } {
  const labels = [...new Set(features.rows.map((r) => r.label).filter((l): l is string => l !== null))].sort();
  const positive = options.positive ?? labels[1];
  if (positive === undefined || !labels.includes(positive) || (options.positive === undefined && labels.length !== 2)) {
    throw new RadiomicsError(
      "settings",
      `Comparing features by label needs two labels; the rows carry ${labels.length === 0 ? "none" : labels.join(", ")}`,
      {
        path: "positive",
        hint:
          labels.length > 2
            ? `Pass { positive: "${labels[0]}" } to compare it with the rest pooled.`
            : "Give the cases labels (RadiomicsCase.label) before extracting.",
      },
    );
  }
  const isPositive = features.rows.map((r) => r.label === positive);
  const names = options.features ?? features.featureNames;
  const tests = names.map((feature) => {
    const values = features.column(feature);
    const pos = values.filter((_, i) => isPositive[i]);
    const neg = values.filter((_, i) => !isPositive[i] && features.rows[i]!.label !== null);
    return { feature, test: mannWhitney(pos, neg), medianPositive: median(pos), medianNegative: median(neg) };
  });
  const q = benjaminiHochberg(tests.map((t) => t.test.p));
  const rows = tests
    .map((t, i) => ({
      feature: t.feature,
      auc: t.test.auc,
      p: t.test.p,
      q: q[i]!,
      medianPositive: t.medianPositive,
      medianNegative: t.medianNegative,
    }))
    .sort((a, b) => Math.abs(b.auc - 0.5) - Math.abs(a.auc - 0.5) || a.feature.localeCompare(b.feature));
  const negative = labels.length === 2 ? labels.find((l) => l !== positive)! : `not ${positive}`;
  return { positive, negative, rows };
}

/** The features that best separate two labels; create it with {@link featureLabelComparison}. */
export class FeatureLabelView extends DisplayableValue {
  constructor(
    readonly positive: string,
    readonly negative: string,
    readonly rows: readonly FeatureAssociation[],
    readonly top: number,
  ) {
    super();
  }

  toMimeBundle(): MimeBundle {
    const shown = this.rows.slice(0, this.top).filter((r) => Number.isFinite(r.auc));
    const title = `Features separating ${this.positive} from ${this.negative} (AUC, Mann-Whitney)`;
    const text = table(
      shown.map((r) => ({
        feature: r.feature,
        auc: round(r.auc),
        p: round(r.p),
        q: round(r.q),
        [`median ${this.positive}`]: r.medianPositive,
        [`median ${this.negative}`]: r.medianNegative,
      })),
      { caption: title },
    ).toMimeBundle().data["text/plain"];
    return {
      data: {
        [PLOTLY_MIME]: {
          data: [
            {
              type: "bar",
              orientation: "h",
              y: shown.map((r) => r.feature),
              x: shown.map((r) => r.auc - 0.5),
              base: 0.5,
              marker: { color: shown.map((r) => (r.auc >= 0.5 ? PALETTE[3] : PALETTE[0])) },
              customdata: shown.map((r) => [r.p, r.q]),
              hovertemplate: "%{y}<br>AUC %{x:.3f}<br>p %{customdata[0]:.3g}, q %{customdata[1]:.3g}<extra></extra>",
            },
          ],
          layout: {
            title: { text: title },
            xaxis: { range: [0, 1], title: { text: `AUC (higher in ${this.positive} →)` } },
            yaxis: { autorange: "reversed", automargin: true },
            height: 120 + 22 * shown.length,
          },
        },
        "image/svg+xml": this.svg(shown, title),
        "text/plain": text ?? title,
      },
    };
  }

  private svg(shown: readonly FeatureAssociation[], title: string): string {
    const label = 270;
    const width = 420;
    const row = 18;
    const height = 50 + row * shown.length + 30;
    const x = (auc: number): number => label + auc * width;
    const parts = [
      `<svg xmlns="http://www.w3.org/2000/svg" width="${label + width + 120}" height="${height}" font-family="sans-serif" font-size="11">`,
    ];
    parts.push(`<text x="${label}" y="16" font-size="13">${escapeHtml(title)}</text>`);
    shown.forEach((r, i) => {
      const y = 40 + i * row;
      const x0 = x(Math.min(0.5, r.auc));
      const w = Math.abs(x(r.auc) - x(0.5));
      parts.push(`<text x="${label - 6}" y="${y + 12}" text-anchor="end">${escapeHtml(r.feature)}</text>`);
      parts.push(
        `<rect x="${x0}" y="${y + 2}" width="${w}" height="${row - 5}" fill="${r.auc >= 0.5 ? PALETTE[3] : PALETTE[0]}"><title>${escapeHtml(`${r.feature}: AUC ${r.auc.toFixed(3)}, p ${r.p.toPrecision(3)}, q ${r.q.toPrecision(3)}`)}</title></rect>`,
      );
      parts.push(`<text x="${label + width + 6}" y="${y + 12}">${r.auc.toFixed(2)}${r.q < 0.05 ? " *" : ""}</text>`);
    });
    const axisY = 40 + shown.length * row + 4;
    parts.push(
      `<line x1="${x(0)}" y1="${axisY}" x2="${x(1)}" y2="${axisY}" stroke="#444"/><line x1="${x(0.5)}" y1="36" x2="${x(0.5)}" y2="${axisY}" stroke="#444" stroke-dasharray="3,3"/>`,
    );
    for (const t of [0, 0.25, 0.5, 0.75, 1])
      parts.push(`<text x="${x(t)}" y="${axisY + 14}" text-anchor="middle">${t}</text>`);
    parts.push("</svg>");
    return parts.join("");
  }
}

function round(v: number): number | null {
  return Number.isFinite(v) ? Number(v.toPrecision(4)) : null;
}

/**
 * Shows the features that best separate two labels: a bar per feature from AUC 0.5 (red: higher
 * in the positive label, blue: lower), with p- and q-values on hover and `*` where q < 0.05.
 *
 * @example
 * ```ts
 * import { display, featureLabelComparison } from "@radlab/kernel";
 * display(featureLabelComparison(table, { positive: "breast", top: 15 }));
 * ```
 */
export function featureLabelComparison(
  features: FeatureTable,
  options: FeatureAssociationOptions & { readonly top?: number } = {},
): FeatureLabelView {
  const { positive, negative, rows } = featureAssociations(features, options);
  return new FeatureLabelView(positive, negative, rows, options.top ?? 20);
}
