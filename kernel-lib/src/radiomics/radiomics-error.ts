import { RadlabError, type RadlabErrorOptions } from "../core/radlab-error";

/**
 * What went wrong in radiomics: `input` (an image or mask file radlab cannot read, or one that
 * contradicts itself), `geometry` (an image and a mask that do not share a voxel grid), `empty-roi`
 * (a mask with no voxel left, before or after re-segmentation), `settings` (a parameter outside
 * what the feature definitions allow) and `unsupported` (a valid file using something radlab does
 * not read yet).
 */
export type RadiomicsErrorCode = "input" | "geometry" | "empty-roi" | "settings" | "unsupported";

/**
 * Thrown by `radiomics/` with the file, the field (`evidence.path`, for example `space directions`
 * or `settings.binWidth`) and a hint that says how to fix it.
 *
 * @example
 * ```ts
 * import { RadiomicsError } from "@radlab/kernel";
 * const error = new RadiomicsError("empty-roi", "The mask has no voxel with label 2", {
 *   file: "liver-label.nrrd",
 *   hint: "Check the label value: the mask holds labels 0 and 1.",
 * });
 * error.code; // "empty-roi"
 * ```
 */
export class RadiomicsError extends RadlabError {
  declare readonly code: RadiomicsErrorCode;

  constructor(code: RadiomicsErrorCode, message: string, options: RadlabErrorOptions = {}) {
    super(code, message, options);
  }
}
