import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import { PayloadRenderer } from "../payload-renderer";
import { loadPlotly, PlotlyLoadError, type PlotlyApi, type PlotlyDrawing } from "./plotly-api";
import {
  PLOTLY_MIME,
  PLOTLY_THEME_VARIABLES,
  plotlyFigureSchema,
  themedLayout,
  type PlotlyFigure,
  type PlotlyTheme,
} from "./plotly-figure";

/** Options of {@link PlotlyWidget}. */
export interface PlotlyWidgetOptions {
  /** Where plotly.js comes from (default {@link loadPlotly}: the chunk loaded on the first figure). */
  readonly load?: () => Promise<PlotlyApi>;
}

/** The attribute that JupyterLab's theme manager sets on `<body>` once a theme's CSS has loaded. */
const THEME_ATTRIBUTE = "data-jp-theme-name";

/** What the renderer adds to a figure's own config. */
const DEFAULT_CONFIG = Object.freeze({ responsive: true, displaylogo: false });

/** Reads the JupyterLab theme's font and colours where `node` is; unset variables read as "". */
function readTheme(node: HTMLElement): PlotlyTheme {
  const style = getComputedStyle(node);
  const read = (name: string) => style.getPropertyValue(name).trim();
  return {
    fontFamily: read(PLOTLY_THEME_VARIABLES.fontFamily),
    fontColor: read(PLOTLY_THEME_VARIABLES.fontColor),
    background: read(PLOTLY_THEME_VARIABLES.background),
    gridColor: read(PLOTLY_THEME_VARIABLES.gridColor),
    zeroLineColor: read(PLOTLY_THEME_VARIABLES.zeroLineColor),
  };
}

/**
 * Renders {@link PLOTLY_MIME}: an interactive plotly figure (hover, zoom, pan, the mode bar), drawn
 * with plotly.js once its chunk has loaded, in the JupyterLab theme's font and colours where the figure
 * sets none (redrawn when the theme changes). An update of the output (a display id) redraws with
 * `Plotly.react`; a resize of the output area refits autosized figures; disposal purges the plot.
 */
export class PlotlyWidget extends PayloadRenderer<PlotlyFigure> {
  private readonly load: () => Promise<PlotlyApi>;
  private plotly: PlotlyApi | null = null;
  /** The element plotly draws into, while a figure is shown. */
  private graph: HTMLDivElement | null = null;
  /** The figure shown in `graph`, to redraw it in a new theme. */
  private figure: PlotlyFigure | null = null;
  private themeObserver: MutationObserver | null = null;
  /** Counts payloads, so that a drawing overtaken by a newer payload is dropped. */
  private generation = 0;
  /** Drawings run one after another: plotly must not redraw an element it is still drawing. */
  private queue: Promise<void> = Promise.resolve();
  private attachWaiters: (() => void)[] = [];

  constructor(options: PlotlyWidgetOptions = {}) {
    super(plotlyFigureSchema, "radlab-plotly-output");
    this.load = options.load ?? loadPlotly;
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.purge();
    super.dispose();
    this.releaseAttachWaiters();
  }

  protected override renderPayload(figure: PlotlyFigure): Promise<void> {
    const generation = ++this.generation;
    this.node.classList.remove("radlab-render-error");
    if (this.graph === null) this.showLoading();
    // draw() never rejects: a failure is shown in the output.
    this.queue = this.queue.then(() => this.draw(figure, generation));
    return this.queue;
  }

  protected override renderInvalid(): void {
    this.generation++;
    this.purge();
  }

  protected override onAfterAttach(): void {
    this.themeObserver = new MutationObserver(() => this.redrawInTheme());
    this.themeObserver.observe(document.body, { attributes: true, attributeFilter: [THEME_ATTRIBUTE] });
    this.releaseAttachWaiters();
    this.resize();
  }

  protected override onBeforeDetach(): void {
    this.themeObserver?.disconnect();
    this.themeObserver = null;
  }

  protected override onAfterShow(): void {
    this.resize();
  }

  protected override onResize(): void {
    this.resize();
  }

  private async draw(figure: PlotlyFigure, generation: number): Promise<void> {
    const current = () => generation === this.generation && !this.isDisposed;
    try {
      const plotly = await this.load();
      // plotly measures text as it lays a figure out: it draws into an element in the document.
      await this.whenAttached();
      if (!current()) return;
      this.plotly = plotly;
      const drawing = this.drawing(figure);
      if (this.graph === null) {
        const graph = document.createElement("div");
        graph.className = "radlab-plotly-graph";
        this.node.replaceChildren(graph);
        this.graph = graph;
        await plotly.newPlot(graph, drawing);
        // Disposed, or replaced by an invalid payload, while plotly drew: nothing shows this plot.
        if (this.graph !== graph) plotly.purge(graph);
      } else {
        await plotly.react(this.graph, drawing);
      }
      if (current()) this.figure = figure;
    } catch (error) {
      if (!current()) return;
      this.purge();
      this.showFailure(error);
    }
  }

  /** Copies of the figure's parts (plotly writes into what it is given), themed and configured. */
  private drawing(figure: PlotlyFigure): PlotlyDrawing {
    const layout = themedLayout(figure.layout ?? {}, readTheme(this.node));
    return {
      data: [...structuredClone(figure.data)],
      layout: structuredClone(layout),
      config: { ...DEFAULT_CONFIG, ...structuredClone(figure.config ?? {}) },
      ...(figure.frames === undefined ? {} : { frames: [...structuredClone(figure.frames)] }),
    };
  }

  private redrawInTheme(): void {
    const figure = this.figure;
    if (figure === null) return;
    const generation = this.generation;
    this.queue = this.queue.then(() => this.draw(figure, generation));
  }

  private resize(): void {
    const { plotly, graph } = this;
    if (plotly === null || graph === null || !this.isVisible) return;
    // plotly rejects a resize of an element that is not displayed (a collapsed output); the next
    // resize or show message fits it.
    plotly.Plots.resize(graph).catch(() => undefined);
  }

  private purge(): void {
    if (this.plotly !== null && this.graph !== null) this.plotly.purge(this.graph);
    this.graph = null;
    this.figure = null;
  }

  private whenAttached(): Promise<void> {
    if (this.isAttached || this.isDisposed) return Promise.resolve();
    return new Promise((resolve) => this.attachWaiters.push(resolve));
  }

  private releaseAttachWaiters(): void {
    const waiters = this.attachWaiters;
    this.attachWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private showLoading(): void {
    const loading = document.createElement("div");
    loading.className = "radlab-plotly-loading";
    loading.textContent = "Loading the interactive figure…";
    this.node.replaceChildren(loading);
  }

  private showFailure(error: unknown): void {
    const loadFailed = error instanceof PlotlyLoadError;
    const title = document.createElement("strong");
    title.textContent = loadFailed
      ? "radlab cannot show this figure: plotly.js did not load."
      : "radlab cannot show this figure: plotly.js failed to draw it.";
    const reason = document.createElement("p");
    reason.textContent = error instanceof Error ? error.message : String(error);
    const advice = document.createElement("p");
    advice.textContent = loadFailed
      ? "Reload JupyterLab; if this persists, reinstall radlab-jupyterlab."
      : `The figure may use a trace type or attribute that plotly.js ${this.plotly?.version ?? "(unknown version)"} does not support.`;
    this.node.replaceChildren(title, reason, advice);
    this.node.classList.add("radlab-render-error");
    this.node.setAttribute("role", "alert");
  }
}

/** The renderer factory of plotly figures. */
export const plotlyRendererFactory: IRenderMime.IRendererFactory = {
  // plotly.js draws text itself, with its own sanitised subset of HTML, as JupyterLab's plotly
  // extension relies on too: untrusted outputs can be shown.
  safe: true,
  mimeTypes: [PLOTLY_MIME],
  createRenderer: () => new PlotlyWidget(),
};
