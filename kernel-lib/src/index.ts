/**
 * `@radlab/kernel`: clinical images from the PACS to a machine-learning model, for TypeScript
 * notebooks (tslab) in JupyterLab.
 *
 * The folders follow the data journey; this file lists the public API of each.
 *
 * @example
 * ```ts
 * import { about, display } from "@radlab/kernel";
 * display(about());
 * ```
 */
export * from "./core/index";
export * from "./dicom/index";
export * from "./deid/index";
export * from "./store/index";
export * from "./display/index";
export * from "./pacs/index";
export * from "./curation/index";
export * from "./datasets/index";
export * from "./transforms/index";
export * from "./ml/index";
export * from "./radiomics/index";
