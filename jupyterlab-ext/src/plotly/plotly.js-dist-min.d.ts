// plotly.js-dist-min ships no types, and @types/plotly.js (3.0) describes plotly.js 3, not the 4.x
// bundled here. The module is typed as unknown and checked by `isPlotlyApi` (plotly-api.ts) when it
// loads, so the renderer calls only what is there.
declare module "plotly.js-dist-min" {
  const plotly: unknown;
  export default plotly;
}
