// @tesseract.js-data/eng ships no types: it exports the folder of eng.traineddata.gz.
declare module "@tesseract.js-data/eng" {
  const data: { readonly code: string; readonly gzip: boolean; readonly langPath: string };
  export = data;
}
