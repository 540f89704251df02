/** An axis-aligned box in pixel coordinates: `left`/`top` inclusive, `width`/`height` in pixels. */
export interface Box {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** An 8-bit greyscale image, row by row, as given to OCR. */
export interface GreyImage {
  readonly width: number;
  readonly height: number;
  /** width x height bytes. */
  readonly pixels: Uint8Array;
}

/** One word read by OCR, with its box in the coordinates of the image that was read. */
export interface OcrWord {
  readonly text: string;
  /** Tesseract's confidence, 0 to 100. */
  readonly confidence: number;
  readonly box: Box;
}

/** One line of words, in reading order. */
export interface OcrLine {
  readonly text: string;
  readonly words: readonly OcrWord[];
  readonly box: Box;
}

/**
 * Anything that reads the text of a greyscale image: the tesseract.js {@link OcrPool}, or a test
 * double. {@link cleanBurnedInPhi} depends only on this.
 */
export interface TextReader {
  /** Reads the lines of text in `image`; boxes are in `image`'s coordinates. */
  read(image: GreyImage): Promise<readonly OcrLine[]>;
}

/** The union of boxes (the smallest box holding all of them); `undefined` for none. */
export function unionBox(boxes: readonly Box[]): Box | undefined {
  if (boxes.length === 0) return undefined;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const b of boxes) {
    x0 = Math.min(x0, b.left);
    y0 = Math.min(y0, b.top);
    x1 = Math.max(x1, b.left + b.width);
    y1 = Math.max(y1, b.top + b.height);
  }
  return { left: x0, top: y0, width: x1 - x0, height: y1 - y0 };
}
