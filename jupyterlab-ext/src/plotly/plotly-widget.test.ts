import { Widget } from "@lumino/widgets";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { mimeModel } from "../test-support/mime-model";
import { isPlotlyApi, loadPlotly, PlotlyLoadError } from "./plotly-api";
import { PlotlyWidget } from "./plotly-widget";

// These tests draw with the real plotly.js. jsdom has no canvas: getContext answers null, as a browser
// does for a context it cannot create, instead of jsdom's "not implemented" console noise. Heat maps
// need a canvas (plotly paints their cells into an image), so they are drawn only by the browser test
// (ui-tests/tests/renderers.spec.ts); scatter traces draw here.
beforeAll(() => {
  Object.defineProperty(HTMLCanvasElement.prototype, "getContext", { configurable: true, value: () => null });
});

const MIME = "application/vnd.plotly.v1+json";
const model = (data: unknown) => mimeModel(MIME, data);

/** A ROC figure shaped as @radlab/kernel's rocCurveView sends it: two curves and the chance line. */
const roc = () => ({
  data: [
    { type: "scatter", mode: "lines", name: "A: AUC 0.750", x: [0, 0, 0.5, 1], y: [0, 0.5, 1, 1] },
    { type: "scatter", mode: "lines", name: "B: AUC 0.625", x: [0, 0.5, 1], y: [0, 0.75, 1] },
    { type: "scatter", mode: "lines", name: "Chance (AUC 0.500)", x: [0, 1], y: [0, 1], line: { dash: "dash" } },
  ],
  layout: {
    title: { text: "ROC curve" },
    xaxis: { title: { text: "False-positive rate (1 − specificity)" }, range: [0, 1] },
    yaxis: { title: { text: "True-positive rate (sensitivity)" }, range: [0, 1] },
    width: 560,
    height: 520,
  },
});

const attached: Widget[] = [];
function attachedWidget(widget = new PlotlyWidget()): PlotlyWidget {
  Widget.attach(widget, document.body);
  attached.push(widget);
  return widget;
}

afterEach(() => {
  for (const widget of attached.splice(0)) widget.dispose();
});

const texts = (nodes: NodeListOf<Element>) => [...nodes].map((n) => n.textContent);

describe("PlotlyWidget", () => {
  it("draws a figure given as an object or as tslab's JSON string, without plotly's logo", async () => {
    for (const data of [roc(), JSON.stringify(roc())]) {
      const widget = attachedWidget();
      await widget.renderModel(model(data));
      const graph = widget.node.querySelector(".radlab-plotly-graph.js-plotly-plot");
      expect(graph).not.toBeNull();
      expect(widget.node.querySelectorAll(".scatterlayer .trace").length).toBe(3);
      expect(widget.node.querySelector(".gtitle")?.textContent).toBe("ROC curve");
      expect(widget.node.querySelector(".xtitle")?.textContent).toBe("False-positive rate (1 − specificity)");
      expect(widget.node.querySelector(".ytitle")?.textContent).toBe("True-positive rate (sensitivity)");
      expect(texts(widget.node.querySelectorAll(".legend .legendtext"))).toEqual([
        "A: AUC 0.750",
        "B: AUC 0.625",
        "Chance (AUC 0.500)",
      ]);
      expect(widget.node.querySelector(".modebar")).not.toBeNull();
      expect(widget.node.querySelector(".plotlyjsicon")).toBeNull();
      expect(widget.node.querySelector(".main-svg")?.getAttribute("width")).toBe("560");
    }
  });

  it("does not change the payload it was given (plotly writes into what it draws)", async () => {
    const figure = roc();
    const before = JSON.stringify(figure);
    const widget = attachedWidget();
    await widget.renderModel(model(figure));
    expect(widget.node.querySelector(".js-plotly-plot")).not.toBeNull();
    expect(JSON.stringify(figure)).toBe(before);
  });

  it("uses the JupyterLab theme's font and colours where the figure sets none", async () => {
    const widget = attachedWidget();
    // JupyterLab sets its variables on :root; jsdom's computed style does not inherit custom
    // properties, so they are set on the output itself here.
    const style = widget.node.style;
    style.setProperty("--jp-ui-font-family", "DejaVu Sans");
    style.setProperty("--jp-ui-font-color1", "#123456");
    style.setProperty("--jp-layout-color0", "#111111");
    await widget.renderModel(model(roc()));
    const title = widget.node.querySelector<SVGElement>(".gtitle");
    expect(title?.style.fill).toBe("rgb(18, 52, 86)");
    expect(title?.style.fontFamily).toBe("DejaVu Sans");
    expect(widget.node.querySelector<SVGElement>(".main-svg .bg")?.style.fill).toBe("rgb(17, 17, 17)");
    // The figure's own colours win over the theme.
    const figure = roc();
    const own = { ...figure, layout: { ...figure.layout, font: { color: "#ff0000" } } };
    await widget.renderModel(model(own));
    expect(widget.node.querySelector<SVGElement>(".gtitle")?.style.fill).toBe("rgb(255, 0, 0)");
  });

  it("redraws in the new colours when JupyterLab's theme changes", async () => {
    const widget = attachedWidget();
    widget.node.style.setProperty("--jp-ui-font-color1", "#123456");
    await widget.renderModel(model(roc()));
    const graph = widget.node.querySelector(".js-plotly-plot");
    widget.node.style.setProperty("--jp-ui-font-color1", "#fedcba");
    document.body.setAttribute("data-jp-theme-name", "JupyterLab Dark");
    await vi.waitFor(() =>
      expect(widget.node.querySelector<SVGElement>(".gtitle")?.style.fill).toBe("rgb(254, 220, 186)"),
    );
    expect(widget.node.querySelector(".js-plotly-plot")).toBe(graph);
    document.body.removeAttribute("data-jp-theme-name");
  });

  it("redraws the same plot in place when the output is updated", async () => {
    const widget = attachedWidget();
    await widget.renderModel(model(roc()));
    const graph = widget.node.querySelector(".js-plotly-plot");
    const figure = roc();
    const updated = { data: figure.data.slice(0, 1), layout: { ...figure.layout, title: { text: "Epoch 2" } } };
    await widget.renderModel(model(updated));
    expect(widget.node.querySelector(".js-plotly-plot")).toBe(graph);
    expect(widget.node.querySelector(".gtitle")?.textContent).toBe("Epoch 2");
    expect(widget.node.querySelectorAll(".scatterlayer .trace").length).toBe(1);
  });

  it("waits until it is in the document to draw, showing that it is loading", async () => {
    const widget = new PlotlyWidget();
    const rendering = widget.renderModel(model(roc()));
    expect(widget.node.querySelector(".radlab-plotly-loading")?.textContent).toBe("Loading the interactive figure…");
    attachedWidget(widget);
    await rendering;
    expect(widget.node.querySelector(".radlab-plotly-loading")).toBeNull();
    expect(widget.node.querySelectorAll(".scatterlayer .trace").length).toBe(3);
  });

  it("shows every issue of an invalid figure, purging a figure drawn before, and recovers", async () => {
    const widget = attachedWidget();
    await widget.renderModel(model(roc()));
    const graph = widget.node.querySelector(".js-plotly-plot");
    await widget.renderModel(model({ data: 3, layout: "wide" }));
    expect(widget.node.getAttribute("role")).toBe("alert");
    expect(widget.node.querySelector("strong")?.textContent).toBe(
      "radlab cannot show this output: the application/vnd.plotly.v1+json payload is invalid.",
    );
    expect(texts(widget.node.querySelectorAll("li"))).toEqual([
      "data: expected an array, got the number 3",
      'layout: expected an object, got a string ("wide")',
    ]);
    expect(widget.node.querySelector(".js-plotly-plot")).toBeNull();
    expect(graph?.children.length).toBe(0);
    await widget.renderModel(model(roc()));
    expect(widget.node.classList.contains("radlab-payload-error")).toBe(false);
    expect(widget.node.hasAttribute("role")).toBe(false);
    expect(widget.node.querySelectorAll(".scatterlayer .trace").length).toBe(3);
  });

  it("purges the plot when disposed", async () => {
    const widget = attachedWidget();
    await widget.renderModel(model(roc()));
    const graph = widget.node.querySelector(".js-plotly-plot");
    expect(graph?.children.length).toBeGreaterThan(0);
    widget.dispose();
    expect(widget.isDisposed).toBe(true);
    expect(graph?.children.length).toBe(0);
  });

  it("refits an autosized figure to its element when the output area is resized", async () => {
    const widget = attachedWidget();
    const figure = roc();
    const { title, xaxis, yaxis } = figure.layout; // no width or height: autosized
    await widget.renderModel(model({ data: figure.data, layout: { title, xaxis, yaxis } }));
    const svgWidth = () => widget.node.querySelector(".main-svg")?.getAttribute("width");
    expect(svgWidth()).toBe("700"); // jsdom lays nothing out: plotly's default width
    // plotly reads the element's computed width, which jsdom takes from its style.
    widget.node.querySelector<HTMLElement>(".js-plotly-plot")?.style.setProperty("width", "300px");
    widget.processMessage(Widget.ResizeMessage.UnknownSize);
    await vi.waitFor(() => expect(svgWidth()).toBe("300"));
  });

  it("says so when plotly.js does not load, and draws when a later figure loads it", async () => {
    const failing = attachedWidget(
      new PlotlyWidget({
        load: () => Promise.reject(new PlotlyLoadError("plotly.js could not be loaded: Loading chunk 512 failed.")),
      }),
    );
    await failing.renderModel(model(roc()));
    expect(failing.node.getAttribute("role")).toBe("alert");
    expect(texts(failing.node.querySelectorAll("strong, p"))).toEqual([
      "radlab cannot show this figure: plotly.js did not load.",
      "plotly.js could not be loaded: Loading chunk 512 failed.",
      "Reload JupyterLab; if this persists, reinstall radlab-jupyterlab.",
    ]);
    const widget = attachedWidget(new PlotlyWidget({ load: loadPlotly }));
    await widget.renderModel(model(roc()));
    expect(widget.node.hasAttribute("role")).toBe(false);
    expect(widget.node.querySelectorAll(".scatterlayer .trace").length).toBe(3);
  });
});

describe("loadPlotly", () => {
  it("loads plotly.js 4 once and checks it has what the renderer calls", async () => {
    const plotly = await loadPlotly();
    expect(plotly.version).toBe("4.1.2");
    expect(await loadPlotly()).toBe(plotly);
    expect(isPlotlyApi(plotly)).toBe(true);
    expect(isPlotlyApi({ version: "4.1.2", newPlot: () => undefined })).toBe(false);
    expect(isPlotlyApi(null)).toBe(false);
  });
});
