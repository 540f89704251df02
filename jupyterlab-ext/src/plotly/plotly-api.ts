/**
 * A figure as plotly's `newPlot` and `react` take it in one object. plotly writes into the traces
 * and the layout (trace ids, computed axis ranges), so the renderer passes copies.
 */
export interface PlotlyDrawing {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
  config: Record<string, unknown>;
  frames?: Record<string, unknown>[];
}

/** The part of plotly.js that the renderer calls (the same in plotly.js 2, 3 and 4). */
export interface PlotlyApi {
  readonly version: string;
  /** Draws a figure into an empty element. */
  newPlot(root: HTMLElement, figure: PlotlyDrawing): Promise<unknown>;
  /** Redraws an element already drawn by `newPlot`, changing only what differs. */
  react(root: HTMLElement, figure: PlotlyDrawing): Promise<unknown>;
  /** Removes the figure, its listeners and the state plotly keeps on the element. */
  purge(root: HTMLElement): void;
  readonly Plots: {
    /** Fits an autosized figure to its element's new size; rejects when the element is not displayed. */
    resize(root: HTMLElement): Promise<unknown>;
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null;
}

/** Whether a loaded module is plotly.js, with every function the renderer calls. */
export function isPlotlyApi(value: unknown): value is PlotlyApi {
  return (
    isRecord(value) &&
    typeof value["version"] === "string" &&
    ["newPlot", "react", "purge"].every((name) => typeof value[name] === "function") &&
    isRecord(value["Plots"]) &&
    typeof value["Plots"]["resize"] === "function"
  );
}

/** Thrown when plotly.js cannot be loaded (for example, its chunk failed to download). */
export class PlotlyLoadError extends Error {
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = "PlotlyLoadError";
  }
}

let loading: Promise<PlotlyApi> | null = null;

/**
 * Loads plotly.js (3.5 MB) on the first figure, not at JupyterLab's start-up: the dynamic import makes
 * @jupyterlab/builder emit it as a chunk of its own. Later calls share the first load; a failed load
 * is tried again next time.
 *
 * @throws {@link PlotlyLoadError} when the chunk does not load or is not plotly.js.
 */
export function loadPlotly(): Promise<PlotlyApi> {
  loading ??= import("plotly.js-dist-min").then(
    (module: { default?: unknown }) => {
      // A CommonJS module imported by webpack (or vitest) comes as the namespace's default export.
      const api = module.default;
      if (!isPlotlyApi(api)) throw new PlotlyLoadError("The plotly.js-dist-min module is not plotly.js.");
      return api;
    },
    (error: unknown) => {
      loading = null;
      const reason = error instanceof Error ? error.message : String(error);
      throw new PlotlyLoadError(`plotly.js could not be loaded: ${reason}`, { cause: error });
    },
  );
  return loading;
}
