import { escapeHtml } from "../display/html";
import { DisplayableValue, type MimeBundle } from "../display/mime-bundle";

/** One epoch's figures: training and validation loss and metrics (names as tfjs logs them). */
export interface EpochRecord {
  /** Counted from 1. */
  readonly epoch: number;
  readonly seconds: number;
  readonly logs: Readonly<Record<string, number>>;
}

const PANEL_WIDTH = 320;
const PANEL_HEIGHT = 180;
const PAD = { left: 44, right: 12, top: 24, bottom: 30 };
const COLOURS = { train: "#1565c0", val: "#e65100" } as const;

/**
 * Training curves: one panel per measure (loss, accuracy, AUC...), training and validation lines by
 * epoch, drawn as SVG with a text fallback. Shown live during training (replaced in place after
 * each epoch) and kept as the cell's output afterwards.
 *
 * @example
 * ```ts
 * display(new TrainingCurves([{ epoch: 1, seconds: 4.2, logs: { loss: 0.69, val_loss: 0.68, acc: 0.52, val_acc: 0.55 } }], { epochs: 10 }));
 * ```
 */
export class TrainingCurves extends DisplayableValue {
  constructor(
    readonly history: readonly EpochRecord[],
    readonly options: { readonly epochs: number; readonly status?: string; readonly best?: number | null } = {
      epochs: 1,
    },
  ) {
    super();
  }

  /** The measures shown: every log name without its `val_` prefix, loss first. */
  measures(): string[] {
    const names = new Set<string>();
    for (const r of this.history) for (const k of Object.keys(r.logs)) names.add(k.replace(/^val_/, ""));
    return [...names].sort((a, b) => (a === "loss" ? -1 : b === "loss" ? 1 : a < b ? -1 : a > b ? 1 : 0));
  }

  toSvg(): string {
    const measures = this.measures();
    const width = Math.max(1, measures.length) * PANEL_WIDTH;
    const height = PANEL_HEIGHT + 22;
    const parts = [
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11" role="img">`,
      `<title>${escapeHtml(this.caption())}</title>`,
    ];
    measures.forEach((measure, i) => parts.push(this.panel(measure, i * PANEL_WIDTH)));
    parts.push(
      `<g transform="translate(${PAD.left},${PANEL_HEIGHT + 14})">`,
      `<line x1="0" y1="-4" x2="16" y2="-4" stroke="${COLOURS.train}" stroke-width="2"/><text x="20" y="0">training</text>`,
      `<line x1="90" y1="-4" x2="106" y2="-4" stroke="${COLOURS.val}" stroke-width="2" stroke-dasharray="4 2"/><text x="110" y="0">validation</text>`,
      `<text x="200" y="0" fill="#616161">${escapeHtml(this.caption())}</text>`,
      `</g>`,
      "</svg>",
    );
    return parts.join("");
  }

  caption(): string {
    const last = this.history.at(-1);
    const status = this.options.status === undefined ? "" : ` (${this.options.status})`;
    const best =
      this.options.best === undefined || this.options.best === null ? "" : `, best epoch ${this.options.best}`;
    return `epoch ${last?.epoch ?? 0} of ${this.options.epochs}${best}${status}`;
  }

  toMimeBundle(): MimeBundle {
    const lines = [this.caption()];
    for (const r of this.history) {
      const figures = Object.entries(r.logs)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => `${k} ${v.toFixed(4)}`)
        .join("  ");
      lines.push(`  ${String(r.epoch).padStart(3)}  ${r.seconds.toFixed(1)} s  ${figures}`);
    }
    return { data: { "image/svg+xml": this.toSvg(), "text/plain": lines.join("\n") } };
  }

  private panel(measure: string, x0: number): string {
    const series = (key: string): (readonly [number, number])[] =>
      this.history.flatMap((r) => {
        const v = r.logs[key];
        return v === undefined ? [] : [[r.epoch, v] as const];
      });
    const train = series(measure);
    const val = series(`val_${measure}`);
    const values = [...train, ...val].map(([, v]) => v);
    let lo = Math.min(...values, measure === "loss" ? Infinity : 0);
    let hi = Math.max(...values, measure === "loss" ? -Infinity : 1);
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
    if (hi - lo < 1e-9) [lo, hi] = [lo - 0.5, hi + 0.5];
    const epochs = Math.max(this.options.epochs, this.history.at(-1)?.epoch ?? 1);
    const w = PANEL_WIDTH - PAD.left - PAD.right;
    const h = PANEL_HEIGHT - PAD.top - PAD.bottom;
    const sx = (e: number) => PAD.left + (epochs <= 1 ? w / 2 : ((e - 1) / (epochs - 1)) * w);
    const sy = (v: number) => PAD.top + (1 - (v - lo) / (hi - lo)) * h;
    const line = (points: readonly (readonly [number, number])[], colour: string, dash: string) =>
      points.length === 0
        ? ""
        : `<polyline fill="none" stroke="${colour}" stroke-width="2"${dash} points="${points.map(([e, v]) => `${sx(e).toFixed(1)},${sy(v).toFixed(1)}`).join(" ")}"/>` +
          points
            .map(([e, v]) => `<circle cx="${sx(e).toFixed(1)}" cy="${sy(v).toFixed(1)}" r="2.5" fill="${colour}"/>`)
            .join("");
    const ticks = [lo, (lo + hi) / 2, hi]
      .map(
        (v) =>
          `<text x="${PAD.left - 4}" y="${(sy(v) + 4).toFixed(1)}" text-anchor="end" fill="#616161">${v.toFixed(2)}</text>`,
      )
      .join("");
    return (
      `<g transform="translate(${x0},0)">` +
      `<text x="${PAD.left}" y="14" font-weight="bold">${escapeHtml(measure)}</text>` +
      `<rect x="${PAD.left}" y="${PAD.top}" width="${w}" height="${h}" fill="none" stroke="#bdbdbd"/>` +
      ticks +
      `<text x="${PAD.left + w / 2}" y="${PANEL_HEIGHT - 8}" text-anchor="middle" fill="#616161">epoch (1-${epochs})</text>` +
      line(train, COLOURS.train, "") +
      line(val, COLOURS.val, ` stroke-dasharray="4 2"`) +
      `</g>`
    );
  }
}
