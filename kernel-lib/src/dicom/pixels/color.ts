import type { DicomDataset } from "../dataset";
import { DicomError } from "../dicom-errors";
import { formatTag } from "../tag";
import type { PixelSamples } from "./pixel-frame";

const clamp8 = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** YBR_FULL to RGB (PS3.3 C.7.6.3.1.2), 8-bit interleaved samples. */
export function ybrFullToRgb(samples: PixelSamples): Uint8Array {
  const out = new Uint8Array(samples.length);
  for (let i = 0; i < samples.length; i += 3) {
    const y = samples[i] ?? 0;
    const cb = (samples[i + 1] ?? 0) - 128;
    const cr = (samples[i + 2] ?? 0) - 128;
    out[i] = clamp8(y + 1.402 * cr);
    out[i + 1] = clamp8(y - 0.344136 * cb - 0.714136 * cr);
    out[i + 2] = clamp8(y + 1.772 * cb);
  }
  return out;
}

/**
 * Native YBR_FULL_422 (two luminance samples share one Cb and Cr: Y1 Y2 Cb Cr) to interleaved
 * YBR_FULL, 8-bit. `bytes` holds rows x columns x 2 samples.
 */
export function ybr422ToYbrFull(bytes: Uint8Array, rows: number, columns: number): Uint8Array {
  const out = new Uint8Array(rows * columns * 3);
  let o = 0;
  for (let i = 0; i + 3 < bytes.length && o < out.length; i += 4) {
    const y1 = bytes[i] ?? 0;
    const y2 = bytes[i + 1] ?? 0;
    const cb = bytes[i + 2] ?? 0;
    const cr = bytes[i + 3] ?? 0;
    out.set([y1, cb, cr, y2, cb, cr], o);
    o += 6;
  }
  return out;
}

/**
 * PALETTE COLOR to RGB through the Red, Green and Blue Palette Color Lookup Tables
 * (PS3.3 C.7.6.3.1.5-6): descriptor (entries, first mapped value, bits), 8- or 16-bit entries
 * (16-bit scaled to 8), segmented palettes included (C.7.9.2).
 */
export function paletteToRgb(ds: DicomDataset, indices: PixelSamples): Uint8Array {
  const channels = (["Red", "Green", "Blue"] as const).map((c) => paletteTable(ds, c));
  const out = new Uint8Array(indices.length * 3);
  for (let i = 0; i < indices.length; i++) {
    for (let c = 0; c < 3; c++) {
      const { table, first, bits } = channels[c] as PaletteTable;
      const index = Math.min(table.length - 1, Math.max(0, (indices[i] ?? 0) - first));
      const value = table[index] ?? 0;
      out[3 * i + c] = bits > 8 ? value >> 8 : value;
    }
  }
  return out;
}

interface PaletteTable {
  readonly table: Uint16Array;
  readonly first: number;
  readonly bits: number;
}

function paletteTable(ds: DicomDataset, colour: "Red" | "Green" | "Blue"): PaletteTable {
  const descriptorKeyword = `${colour}PaletteColorLookupTableDescriptor` as const;
  const descriptor = ds.numbers(descriptorKeyword);
  if (descriptor.length < 3) {
    throw new DicomError(
      "pixel-module",
      `${formatTag(descriptorKeyword)} is missing in ${ds.file} (PALETTE COLOR image).`,
      {
        file: ds.file,
        tag: formatTag(descriptorKeyword),
      },
    );
  }
  const entries = descriptor[0] === 0 ? 65536 : (descriptor[0] ?? 0);
  const first = descriptor[1] ?? 0;
  const bits = descriptor[2] ?? 8;
  const segmentedKeyword = `Segmented${colour}PaletteColorLookupTableData` as const;
  const dataKeyword = `${colour}PaletteColorLookupTableData` as const;
  const segmented = ds.has(segmentedKeyword) ? ds.bytes(segmentedKeyword) : undefined;
  const raw = segmented ?? ds.bytes(dataKeyword);
  if (raw === undefined) {
    throw new DicomError("pixel-module", `${formatTag(dataKeyword)} is missing in ${ds.file} (PALETTE COLOR image).`, {
      file: ds.file,
      tag: formatTag(dataKeyword),
    });
  }
  const words = new Uint16Array(raw.byteLength >> 1);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  for (let i = 0; i < words.length; i++) words[i] = view.getUint16(2 * i, true);
  let table: Uint16Array;
  if (segmented !== undefined) table = expandSegmented(words, entries);
  else if (bits === 8 && words.length * 2 >= entries && words.length < entries) {
    // 8-bit entries packed two per 16-bit word.
    table = new Uint16Array(entries);
    for (let i = 0; i < entries; i++) table[i] = raw[i] ?? 0;
  } else table = words.subarray(0, entries);
  return { table, first, bits };
}

/** Expands a segmented palette (discrete, linear and indirect segments; PS3.3 C.7.9.2). */
function expandSegmented(words: Uint16Array, entries: number): Uint16Array {
  const out: number[] = [];
  const readSegments = (start: number, end: number) => {
    let i = start;
    while (i < end && out.length < entries) {
      const type = words[i] ?? 0;
      const length = words[i + 1] ?? 0;
      if (type === 0) {
        for (let k = 0; k < length; k++) out.push(words[i + 2 + k] ?? 0);
        i += 2 + length;
      } else if (type === 1) {
        const y0 = out[out.length - 1] ?? 0;
        const y1 = words[i + 2] ?? 0;
        for (let k = 1; k <= length; k++) out.push(Math.round(y0 + ((y1 - y0) * k) / length));
        i += 3;
      } else if (type === 2) {
        const offset = (words[i + 2] ?? 0) | ((words[i + 3] ?? 0) << 16);
        // Indirect: repeat `length` segments starting at word `offset`.
        let j = offset;
        for (let s = 0; s < length; s++) {
          const t = words[j] ?? 0;
          const n = words[j + 1] ?? 0;
          const size = t === 0 ? 2 + n : t === 1 ? 3 : 4;
          readSegments(j, j + size);
          j += size;
        }
        i += 4;
      } else break;
    }
  };
  readSegments(0, words.length);
  return Uint16Array.from(out.slice(0, entries));
}
