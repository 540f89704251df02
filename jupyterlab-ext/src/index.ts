import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import { plotlyRendererFactory } from "./plotly/plotly-widget";
import { progressRendererFactory } from "./progress/progress-widget";
import { tableRendererFactory } from "./table/table-widget";

/**
 * The radlab MIME renderers. Rank 0 puts them ahead of the `text/html`, `image/svg+xml` and
 * `text/plain` fallbacks that every radlab bundle also carries for viewers without this extension.
 *
 * The plotly renderer takes plotly's own MIME type, which JupyterLab's plotly extension (plugin
 * `@jupyterlab/plotly-extension:factory` of the `jupyterlab-plotly` package, from plotly.py) also
 * registers at rank 0. The two coexist: JupyterLab keeps one renderer per MIME type, and whichever
 * registers last replaces the other (ranks order different MIME types, not two renderers of one), so
 * with both installed either one draws the figure, interactively. To choose, disable the other plugin:
 * `jupyter labextension disable @radlab/jupyterlab:plotly` or
 * `jupyter labextension disable @jupyterlab/plotly-extension:factory`.
 */
const extensions: IRenderMime.IExtension[] = [
  { id: "@radlab/jupyterlab:table", rendererFactory: tableRendererFactory, rank: 0, dataType: "json" },
  { id: "@radlab/jupyterlab:progress", rendererFactory: progressRendererFactory, rank: 0, dataType: "json" },
  { id: "@radlab/jupyterlab:plotly", rendererFactory: plotlyRendererFactory, rank: 0, dataType: "json" },
];

// JupyterLab loads a MIME extension from its module's default export.
export default extensions;
