import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import { progressRendererFactory } from "./progress/progress-widget";
import { tableRendererFactory } from "./table/table-widget";

/**
 * The radlab MIME renderers. Rank 0 puts them ahead of the `text/html` and `text/plain` fallbacks
 * that every radlab bundle also carries for viewers without this extension.
 */
const extensions: IRenderMime.IExtension[] = [
  { id: "@radlab/jupyterlab:table", rendererFactory: tableRendererFactory, rank: 0, dataType: "json" },
  { id: "@radlab/jupyterlab:progress", rendererFactory: progressRendererFactory, rank: 0, dataType: "json" },
];

// JupyterLab loads a MIME extension from its module's default export.
export default extensions;
