/**
 * The MIME type of a plotly figure (`{ data, layout }`), rendered interactively by radlab's
 * JupyterLab extension (or plotly's own, if installed; both register it at rank 0, ahead of the
 * built-in `image/svg+xml` at rank 80 and `text/plain` at 120). Viewers without either (nbviewer,
 * GitHub, HTML exports) show the SVG, so radlab's views send both.
 */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** Line and marker colours (Tableau 10, matplotlib's and plotly's default cycle). */
export const PALETTE: readonly string[] = Object.freeze([
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
  "#17becf",
]);
