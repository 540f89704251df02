import { describe, expect, it } from "vitest";
import { PLOTLY_MIME as KERNEL_PLOTLY_MIME } from "../../../kernel-lib/src/display/plotly";
import { PLOTLY_MIME, plotlyFigureSchema, themedLayout, type PlotlyTheme } from "./plotly-figure";

const theme: PlotlyTheme = {
  fontFamily: "system-ui, sans-serif",
  fontColor: "rgba(0, 0, 0, 0.87)",
  background: "#ffffff",
  gridColor: "#e0e0e0",
  zeroLineColor: "#bdbdbd",
};

describe("plotlyFigureSchema", () => {
  it("renders the MIME type that @radlab/kernel emits", () => {
    expect(PLOTLY_MIME).toBe(KERNEL_PLOTLY_MIME);
    expect(plotlyFigureSchema.mimeType).toBe("application/vnd.plotly.v1+json");
  });

  it("accepts a figure as an object or a JSON string, with or without layout, frames and config", () => {
    const figure = {
      data: [
        { type: "heatmap", z: [[1]] },
        { x: [1], y: [2] },
      ],
      layout: { width: 400 },
    };
    expect(plotlyFigureSchema.safeParse(figure)).toEqual({ ok: true, value: figure });
    expect(plotlyFigureSchema.safeParse(JSON.stringify(figure))).toEqual({ ok: true, value: figure });
    expect(plotlyFigureSchema.safeParse({ data: [] }).ok).toBe(true);
    expect(plotlyFigureSchema.safeParse({ data: [], frames: [{ name: "a", data: [] }], config: {} }).ok).toBe(true);
  });

  it("collects every shape issue with its path", () => {
    expect(
      plotlyFigureSchema.safeParse({
        data: [{ type: "heatmap" }, 3, { type: 7 }, [1]],
        layout: "wide",
        frames: [null],
        config: [],
      }),
    ).toEqual({
      ok: false,
      issues: [
        { code: "expected-object", path: ["data", 1], message: "expected an object, got the number 3" },
        { code: "expected-string", path: ["data", 2, "type"], message: "expected a string, got the number 7" },
        { code: "expected-object", path: ["data", 3], message: "expected an object, got an array" },
        { code: "expected-object", path: ["layout"], message: 'expected an object, got a string ("wide")' },
        { code: "expected-object", path: ["frames", 0], message: "expected an object, got null" },
        { code: "expected-object", path: ["config"], message: "expected an object, got an array" },
      ],
    });
    expect(plotlyFigureSchema.safeParse({ layout: {} })).toEqual({
      ok: false,
      issues: [{ code: "expected-array", path: ["data"], message: "expected an array, got nothing" }],
    });
    expect(plotlyFigureSchema.safeParse([])).toEqual({
      ok: false,
      issues: [{ code: "expected-object", path: [], message: "expected an object, got an array" }],
    });
  });
});

describe("themedLayout", () => {
  it("adds the theme as a template, which fills in only what the figure leaves unset", () => {
    const layout = { title: { text: "ROC" }, paper_bgcolor: "#fafafa" };
    expect(themedLayout(layout, theme)).toEqual({
      title: { text: "ROC" },
      paper_bgcolor: "#fafafa",
      template: {
        layout: {
          paper_bgcolor: "#ffffff",
          plot_bgcolor: "#ffffff",
          font: { family: "system-ui, sans-serif", color: "rgba(0, 0, 0, 0.87)" },
          xaxis: { gridcolor: "#e0e0e0", zerolinecolor: "#bdbdbd" },
          yaxis: { gridcolor: "#e0e0e0", zerolinecolor: "#bdbdbd" },
        },
      },
    });
    expect(layout).toEqual({ title: { text: "ROC" }, paper_bgcolor: "#fafafa" });
  });

  it("keeps a figure's own template, and sets nothing outside a JupyterLab theme", () => {
    const plotlyPy = { template: { layout: { font: { color: "#2a3f5f" } } } };
    expect(themedLayout(plotlyPy, theme)).toBe(plotlyPy);
    const none = { fontFamily: "", fontColor: "", background: "", gridColor: "", zeroLineColor: "" };
    expect(themedLayout({ width: 300 }, none)).toEqual({ width: 300 });
    expect(themedLayout({}, { ...none, fontColor: "#fff" })).toEqual({
      template: { layout: { font: { color: "#fff" } } },
    });
  });
});
