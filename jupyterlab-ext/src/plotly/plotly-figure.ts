import { definePayloadSchema, type IssueCollector } from "@radlab/kernel/contract";

/**
 * plotly's own MIME type of a figure, the one plotly.py and JupyterLab's plotly extension use.
 * `@radlab/kernel` emits it (`PLOTLY_MIME` in `display/plotly.ts`) for its evaluation, training and
 * radiomics views; the extension's tests check that the two strings agree. It is not a radlab MIME
 * type, so it is not in the display contract: the figure format is plotly's, not versioned by radlab.
 */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** One plotly trace (`{ type: "heatmap", z, ... }`): its attributes are plotly's to check. */
export type PlotlyTrace = Readonly<Record<string, unknown>>;

/**
 * A plotly figure as sent under {@link PLOTLY_MIME}: the traces, the layout, and optionally animation
 * frames and a plotly config (plotly.py adds `config` when the user sets one).
 */
export interface PlotlyFigure {
  readonly data: readonly PlotlyTrace[];
  /** The layout; a figure without one is drawn with plotly's default layout. */
  readonly layout?: Readonly<Record<string, unknown>>;
  readonly frames?: readonly Readonly<Record<string, unknown>>[];
  readonly config?: Readonly<Record<string, unknown>>;
}

/**
 * Checks the shape of a figure, not plotly's attributes: plotly itself ignores attributes it does
 * not know and says so in the browser console, which is also what JupyterLab's plotly extension does.
 */
function checkFigure(value: unknown, issues: IssueCollector): value is PlotlyFigure {
  if (!issues.record(value, [])) return false;
  const before = issues.issues.length;
  if (issues.array(value.data, ["data"])) {
    value.data.forEach((trace: unknown, i) => {
      if (issues.record(trace, ["data", i]) && trace.type !== undefined) issues.string(trace.type, ["data", i, "type"]);
    });
  }
  if (value.layout !== undefined) issues.record(value.layout, ["layout"]);
  if (value.frames !== undefined && issues.array(value.frames, ["frames"])) {
    value.frames.forEach((frame: unknown, i) => issues.record(frame, ["frames", i]));
  }
  if (value.config !== undefined) issues.record(value.config, ["config"]);
  return issues.issues.length === before;
}

/**
 * The schema of {@link PLOTLY_MIME} figures: `data` an array of trace objects (a trace's `type`, when
 * given, a string), `layout`, `frames` and `config` objects when given.
 *
 * @example
 * ```ts
 * plotlyFigureSchema.safeParse('{"data":[{"type":"scatter","x":[0,1],"y":[0,1]}],"layout":{}}').ok; // true
 * ```
 */
export const plotlyFigureSchema = definePayloadSchema(PLOTLY_MIME, checkFigure);

/** JupyterLab theme colours and font, resolved from its CSS variables; an empty string is not set. */
export interface PlotlyTheme {
  /** `--jp-ui-font-family` */
  readonly fontFamily: string;
  /** `--jp-ui-font-color1` */
  readonly fontColor: string;
  /** `--jp-layout-color0`, the notebook's background */
  readonly background: string;
  /** `--jp-border-color2` */
  readonly gridColor: string;
  /** `--jp-border-color1` */
  readonly zeroLineColor: string;
}

/** The CSS variable behind each field of {@link PlotlyTheme}. */
export const PLOTLY_THEME_VARIABLES: Readonly<Record<keyof PlotlyTheme, string>> = Object.freeze({
  fontFamily: "--jp-ui-font-family",
  fontColor: "--jp-ui-font-color1",
  background: "--jp-layout-color0",
  gridColor: "--jp-border-color2",
  zeroLineColor: "--jp-border-color1",
});

/** Keeps the entries whose value is a non-empty string. */
function defined(entries: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== ""));
}

/**
 * A copy of `layout` that follows the JupyterLab theme, as a plotly template: a template only fills
 * in what the figure leaves unset, so the figure's own colours (a heat map's colour scale, a curve's
 * colour, an explicit background) win. A figure that brings its own template (plotly.py's figures
 * do) keeps it unchanged.
 *
 * @example
 * ```ts
 * themedLayout({ title: { text: "ROC" } }, { fontFamily: "sans-serif", fontColor: "#222", background: "#fff", gridColor: "#e0e0e0", zeroLineColor: "#bdbdbd" });
 * // { title: { text: "ROC" }, template: { layout: { font: { family: "sans-serif", color: "#222" }, ... } } }
 * ```
 */
export function themedLayout(
  layout: Readonly<Record<string, unknown>>,
  theme: PlotlyTheme,
): Readonly<Record<string, unknown>> {
  if (layout["template"] !== undefined) return layout;
  const axis = defined({ gridcolor: theme.gridColor, zerolinecolor: theme.zeroLineColor });
  const font = defined({ family: theme.fontFamily, color: theme.fontColor });
  const template: Record<string, unknown> = {
    ...defined({ paper_bgcolor: theme.background, plot_bgcolor: theme.background }),
  };
  if (Object.keys(font).length > 0) template["font"] = font;
  if (Object.keys(axis).length > 0) {
    template["xaxis"] = axis;
    template["yaxis"] = { ...axis };
  }
  if (Object.keys(template).length === 0) return layout;
  return { ...layout, template: { layout: template } };
}
