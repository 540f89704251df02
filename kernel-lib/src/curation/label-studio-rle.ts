import { RadlabError } from "../core/radlab-error";

/**
 * Label Studio's brush masks are not COCO RLE: they are the bit-packed run-length format of
 * `@thi.ng/rle-pack` (which Label Studio's editor uses, and `label_studio_converter.brush` decodes),
 * over the flattened RGBA canvas (`width * height * 4` bytes, the mask in the alpha channel).
 *
 * The stream, most significant bit first: 32 bits value count; 5 bits word size - 1; four 4-bit
 * run-length field sizes - 1; then chunks, each a 1-bit flag, a 2-bit index into the four sizes
 * and the chunk length - 1 in that many bits, followed by one word (flag 1: a run of that value)
 * or by one word per value (flag 0: literal values).
 */

/** Options of {@link encodeLabelStudioRle}. */
export interface LabelStudioRleOptions {
  /** Bits per value, 1 to 32; 8 for an RGBA canvas. */
  readonly wordSize?: number;
  /** The four run-length field sizes in bits, 1 to 16 each; Label Studio uses [3, 4, 8, 16]. */
  readonly runSizes?: readonly [number, number, number, number];
}

/** The index of the first value that is not an integer from 0 to 2^bits - 1, or -1. */
function firstOutOfRange(values: ArrayLike<number>, bits: number): number {
  const limit = 2 ** bits;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= limit) return i;
  }
  return -1;
}

class BitReader {
  private position = 0;
  constructor(private readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length * 8 - this.position;
  }

  read(bits: number): number {
    if (bits > this.remaining) {
      throw new RadlabError(
        "label-studio-rle",
        `The Label Studio brush RLE ends at bit ${this.bytes.length * 8}, ${bits - this.remaining} bit(s) short of the value it declares.`,
        {
          offset: Math.floor(this.position / 8),
          hint: "Export the annotation again from Label Studio: the 'rle' array was cut short.",
        },
      );
    }
    let value = 0;
    for (let i = 0; i < bits; i++) {
      const p = this.position++;
      value = value * 2 + ((this.bytes[p >> 3]! >> (7 - (p & 7))) & 1);
    }
    return value;
  }
}

class BitWriter {
  private readonly bytes: number[] = [];
  private bits = 0;

  write(value: number, size: number): void {
    for (let i = size - 1; i >= 0; i--) {
      if ((this.bits & 7) === 0) this.bytes.push(0);
      if (Math.floor(value / 2 ** i) % 2 === 1) this.bytes[this.bytes.length - 1]! |= 1 << (7 - (this.bits & 7));
      this.bits++;
    }
  }

  result(): number[] {
    return this.bytes;
  }
}

/**
 * Decodes a Label Studio brush `rle` array into the values it packs.
 *
 * @param rle - The `rle` array of a `brushlabels` result (bytes, as numbers or a `Uint8Array`).
 * @returns The decoded values; for a brush, the flattened RGBA canvas (`width * height * 4`).
 * @throws {@link RadlabError} `label-studio-rle` when the stream is shorter than it declares, or a
 *   value is not a byte.
 *
 * @example
 * ```ts
 * import { decodeLabelStudioRle, encodeLabelStudioRle } from "@radlab/kernel";
 * decodeLabelStudioRle(encodeLabelStudioRle([0, 0, 0, 255])); // Uint32Array [0, 0, 0, 255]
 * ```
 */
export function decodeLabelStudioRle(rle: ArrayLike<number>): Uint32Array {
  return decode(rle);
}

/** Decodes; `checkCount` sees the declared value count before anything that size is allocated. */
function decode(rle: ArrayLike<number>, checkCount?: (count: number) => void): Uint32Array {
  const bad = firstOutOfRange(rle, 8);
  if (bad >= 0) {
    throw new RadlabError(
      "label-studio-rle",
      `The Label Studio brush RLE holds ${rle[bad]} at index ${bad}, not a byte.`,
      {
        path: `rle[${bad}]`,
        hint: "Pass the 'rle' array of the brushlabels result as Label Studio exported it.",
      },
    );
  }
  const input = new BitReader(Uint8Array.from(rle));
  const count = input.read(32);
  checkCount?.(count);
  const wordSize = input.read(5) + 1;
  const runSizes = [0, 1, 2, 3].map(() => input.read(4) + 1);
  const out = new Uint32Array(count);
  let i = 0;
  while (i < count) {
    const repeated = input.read(1) === 1;
    const end = Math.min(count, i + 1 + input.read(runSizes[input.read(2)]!));
    if (repeated) {
      out.fill(input.read(wordSize), i, end);
      i = end;
    } else {
      while (i < end) out[i++] = input.read(wordSize);
    }
  }
  return out;
}

/**
 * Encodes values (for a brush, the flattened RGBA canvas) as Label Studio's brush RLE: runs of two
 * or more equal values as run chunks, everything else as literal chunks.
 *
 * @returns The `rle` byte array Label Studio imports.
 * @throws {@link RadlabError} `label-studio-rle` for a value that does not fit the word size, or a
 *   word size or run field size out of range.
 *
 * @example
 * ```ts
 * import { encodeLabelStudioRle } from "@radlab/kernel";
 * const rle = encodeLabelStudioRle(new Uint8Array(64 * 64 * 4)); // an empty 64 x 64 brush
 * ```
 */
export function encodeLabelStudioRle(values: ArrayLike<number>, options: LabelStudioRleOptions = {}): number[] {
  const wordSize = options.wordSize ?? 8;
  const runSizes = options.runSizes ?? [3, 4, 8, 16];
  if (
    firstOutOfRange([wordSize - 1], 5) >= 0 ||
    firstOutOfRange(
      [...runSizes].map((size) => size - 1),
      4,
    ) >= 0
  ) {
    throw new RadlabError(
      "label-studio-rle",
      `wordSize ${wordSize} and runSizes [${runSizes.join(", ")}] do not fit the format's header.`,
      { hint: "Pass a wordSize from 1 to 32 and four runSizes from 1 to 16 bits." },
    );
  }
  const bad = firstOutOfRange(values, wordSize);
  if (bad >= 0) {
    throw new RadlabError(
      "label-studio-rle",
      `Value ${values[bad]} at index ${bad} does not fit in ${wordSize} bits.`,
      {
        path: `values[${bad}]`,
        hint: `Pass integers from 0 to ${2 ** wordSize - 1}, or a larger wordSize.`,
      },
    );
  }
  const out = new BitWriter();
  out.write(values.length, 32);
  out.write(wordSize - 1, 5);
  for (const size of runSizes) out.write(size - 1, 4);
  const longest = 2 ** Math.max(...runSizes);
  const chunkHeader = (repeated: boolean, length: number) => {
    const index = runSizes.findIndex((size) => length - 1 < 2 ** size);
    out.write(repeated ? 1 : 0, 1);
    out.write(index, 2);
    out.write(length - 1, runSizes[index]!);
  };
  let i = 0;
  while (i < values.length) {
    let run = 1;
    while (i + run < values.length && values[i + run] === values[i] && run < longest) run++;
    if (run >= 2) {
      chunkHeader(true, run);
      out.write(values[i]!, wordSize);
      i += run;
      continue;
    }
    // Literal values up to the next run of two.
    let end = i + 1;
    while (end < values.length && end - i < longest && !(end + 1 < values.length && values[end] === values[end + 1])) {
      end++;
    }
    chunkHeader(false, end - i);
    for (let k = i; k < end; k++) out.write(values[k]!, wordSize);
    i = end;
  }
  return out.result();
}

/**
 * Decodes a Label Studio brush into a binary mask, row-major, one byte per pixel (1 inside).
 *
 * @param rle - The `rle` array of a `brushlabels` result.
 * @param width - `original_width` of the result.
 * @param height - `original_height` of the result.
 * @throws {@link RadlabError} `label-studio-rle` when the canvas size is not `width * height * 4`.
 *
 * @example
 * ```ts
 * import { brushToMask, maskToBrush } from "@radlab/kernel";
 * const mask = brushToMask(maskToBrush(new Uint8Array([0, 1, 1, 0]), 2, 2), 2, 2); // [0, 1, 1, 0]
 * ```
 */
export function brushToMask(rle: ArrayLike<number>, width: number, height: number): Uint8Array {
  // The declared size is checked before decoding: a corrupt header may claim billions of values.
  const rgba = decode(rle, (count) => {
    if (count !== width * height * 4) {
      throw new RadlabError(
        "label-studio-rle",
        `The brush holds ${count} values, not the ${width * height * 4} of a ${width} x ${height} RGBA canvas.`,
        { hint: "Pass the result's original_width and original_height." },
      );
    }
  });
  const mask = new Uint8Array(width * height);
  for (let p = 0; p < mask.length; p++) mask[p] = rgba[p * 4 + 3]! > 0 ? 1 : 0;
  return mask;
}

/**
 * Encodes a binary mask (row-major, non-zero inside) as a Label Studio brush `rle` array: the mask
 * in the alpha channel of a `width * height` RGBA canvas, as Label Studio's editor paints it.
 *
 * @throws {@link RadlabError} `label-studio-rle` when the mask is not `width * height` long.
 */
export function maskToBrush(mask: ArrayLike<number>, width: number, height: number): number[] {
  if (mask.length !== width * height) {
    throw new RadlabError(
      "label-studio-rle",
      `The mask holds ${mask.length} pixels, not the ${width * height} of ${width} x ${height}.`,
      { hint: "Pass a row-major mask of width * height pixels." },
    );
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let p = 0; p < mask.length; p++) if (mask[p] !== 0) rgba.fill(255, p * 4, p * 4 + 4);
  return encodeLabelStudioRle(rgba);
}
