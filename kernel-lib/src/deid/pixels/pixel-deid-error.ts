import { RadlabError, type RadlabErrorOptions } from "../../core/radlab-error";

/**
 * Why burned-in text could not be handled: `ocr-timeout` (creating a worker or reading an image
 * took longer than allowed), `ocr-failed` (tesseract reported an error), `ocr-pool-closed` (the
 * pool was used after {@link OcrPool.terminate}), `template-invalid` (a region template names an
 * unknown attribute or malformed box), `mask-invalid` (a box or frame that cannot be masked).
 */
export type PixelDeidErrorCode = "ocr-timeout" | "ocr-failed" | "ocr-pool-closed" | "template-invalid" | "mask-invalid";

/**
 * An error of burned-in PHI removal; `evidence` names the file, the frame (as `path`, for example
 * `frame[3]`) and, for templates, the rule.
 *
 * @example
 * ```ts
 * import { PixelDeidError } from "@radlab/kernel";
 * const error = new PixelDeidError("ocr-timeout", "OCR of frame 0 took longer than 30000 ms.", {
 *   path: "frame[0]",
 *   hint: "Raise recogniseTimeoutMs.",
 * });
 * error.code; // "ocr-timeout"
 * ```
 */
export class PixelDeidError extends RadlabError {
  declare readonly code: PixelDeidErrorCode;

  constructor(code: PixelDeidErrorCode, message: string, options: RadlabErrorOptions = {}) {
    super(code, message, options);
  }
}
