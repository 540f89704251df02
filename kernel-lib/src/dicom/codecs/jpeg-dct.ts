/**
 * A sequential-DCT JPEG decoder (ISO/IEC 10918-1 processes 1, 2 and 4: Huffman coding, 8- or
 * 12-bit samples), for DICOM's JPEG Extended frames of 12 bits, which the 8-bit libjpeg-turbo build
 * cannot read. Written from the standard (Annex F decoding); the inverse DCT is the IJG "islow"
 * integer algorithm (libjpeg's jidctint.c, Loeffler–Ligtenberg–Moschytz), so that samples match
 * libjpeg, libjpeg-turbo and DCMTK exactly rather than within one count.
 */
import { DecodeFailure } from "./decode-error";

/** A decoded image, before any colour conversion. */
export interface DctImage {
  readonly width: number;
  readonly height: number;
  /** Sample precision P (8 or 12). */
  readonly precision: number;
  /** Number of components (frame order). */
  readonly components: number;
  /** Samples interleaved by pixel, in frame component order. */
  readonly samples: Uint16Array;
}

/** Natural (row-major) index of the k-th coefficient in zig-zag order (Figure A.6). */
const ZIGZAG = Int32Array.from([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
  35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47,
  55, 62, 63,
]);

/** A Huffman table in the form of Annex F.2.2.3 (MAXCODE, VALPTR, MINCODE). */
interface HuffmanTable {
  readonly maxCode: Int32Array;
  readonly minCode: Int32Array;
  readonly valuePointer: Int32Array;
  readonly values: Uint8Array;
}

interface Component {
  readonly id: number;
  readonly h: number;
  readonly v: number;
  readonly quantTable: number;
  /** Blocks per line and column, padded to whole MCUs. */
  blocksPerLine: number;
  blocksPerColumn: number;
  coefficients: Int32Array;
  predictor: number;
}

interface Frame {
  readonly precision: number;
  readonly width: number;
  readonly height: number;
  readonly components: Component[];
  readonly maxH: number;
  readonly maxV: number;
  readonly mcusPerLine: number;
  readonly mcusPerColumn: number;
}

/**
 * Decodes a sequential-DCT, Huffman-coded JPEG stream (SOF0 or SOF1).
 *
 * @param data - the whole stream, SOI to EOI.
 * @returns the image's samples, interleaved by pixel, without colour conversion.
 * @throws DecodeFailure for other JPEG processes, missing tables, or entropy-coded data that ends early.
 */
export function decodeJpegDct(data: Uint8Array): DctImage {
  if (data[0] !== 0xff || data[1] !== 0xd8) {
    throw new DecodeFailure("the frame does not start with a JPEG start-of-image marker (FFD8)");
  }
  const quantTables: (Int32Array | undefined)[] = [];
  const dcTables: (HuffmanTable | undefined)[] = [];
  const acTables: (HuffmanTable | undefined)[] = [];
  let frame: Frame | undefined;
  let restartInterval = 0;
  let offset = 2;
  for (;;) {
    if (offset + 2 > data.length) throw new DecodeFailure("the JPEG stream ends before its end-of-image marker");
    if (data[offset] !== 0xff) throw new DecodeFailure(`no JPEG marker at byte ${offset} of the frame`);
    const marker = 0xff00 | byteAt(data, offset + 1);
    if (marker === 0xffff) {
      offset += 1;
      continue;
    }
    if (marker === 0xffd9) break;
    const length = uint16At(data, offset + 2);
    const body = offset + 4;
    const end = offset + 2 + length;
    if (end > data.length) throw new DecodeFailure(`the JPEG marker segment at byte ${offset} runs past the frame`);
    switch (marker) {
      case 0xffdb:
        readQuantTables(data, body, end, quantTables);
        break;
      case 0xffc4:
        readHuffmanTables(data, body, end, dcTables, acTables);
        break;
      case 0xffdd:
        restartInterval = uint16At(data, body);
        break;
      case 0xffc0:
      case 0xffc1:
        if (frame !== undefined) throw new DecodeFailure("the JPEG stream has two frame headers");
        frame = readFrame(data, body);
        break;
      case 0xffda: {
        if (frame === undefined) throw new DecodeFailure("the JPEG scan comes before the frame header");
        offset = decodeScan(data, body, frame, quantTables, dcTables, acTables, restartInterval);
        continue;
      }
      default:
        if (marker >= 0xffc2 && marker <= 0xffcf && marker !== 0xffc4 && marker !== 0xffc8 && marker !== 0xffcc) {
          throw new DecodeFailure(
            `JPEG frame type SOF${marker - 0xffc0} is not sequential Huffman-coded DCT (SOF0 or SOF1), which DICOM's JPEG Baseline and Extended syntaxes use`,
          );
        }
      // APPn, COM and other segments carry nothing the samples depend on.
    }
    offset = end;
  }
  if (frame === undefined) throw new DecodeFailure("the JPEG stream has no frame header");
  return outputImage(frame);
}

function byteAt(data: Uint8Array, offset: number): number {
  return data[offset] ?? 0;
}

function uint16At(data: Uint8Array, offset: number): number {
  return (byteAt(data, offset) << 8) | byteAt(data, offset + 1);
}

function readQuantTables(data: Uint8Array, offset: number, end: number, tables: (Int32Array | undefined)[]): void {
  while (offset < end) {
    const precision = byteAt(data, offset) >> 4;
    const id = byteAt(data, offset) & 15;
    offset += 1;
    const table = new Int32Array(64); // zig-zag order, as stored
    for (let k = 0; k < 64; k++) {
      table[k] = precision === 0 ? byteAt(data, offset + k) : uint16At(data, offset + 2 * k);
    }
    offset += precision === 0 ? 64 : 128;
    tables[id] = table;
  }
}

function readHuffmanTables(
  data: Uint8Array,
  offset: number,
  end: number,
  dcTables: (HuffmanTable | undefined)[],
  acTables: (HuffmanTable | undefined)[],
): void {
  while (offset < end) {
    const tableClass = byteAt(data, offset) >> 4;
    const id = byteAt(data, offset) & 15;
    const counts = data.subarray(offset + 1, offset + 17);
    let total = 0;
    for (const count of counts) total += count;
    const values = data.slice(offset + 17, offset + 17 + total);
    if (values.length !== total) throw new DecodeFailure("a JPEG Huffman table runs past the frame");
    offset += 17 + total;
    (tableClass === 0 ? dcTables : acTables)[id] = buildHuffmanTable(counts, values);
  }
}

/** Builds MAXCODE, MINCODE and VALPTR from BITS and HUFFVAL (Figures C.1 to C.3 and F.15). */
function buildHuffmanTable(counts: Uint8Array, values: Uint8Array): HuffmanTable {
  const maxCode = new Int32Array(18).fill(-1);
  const minCode = new Int32Array(17);
  const valuePointer = new Int32Array(17);
  let code = 0;
  let index = 0;
  for (let length = 1; length <= 16; length++) {
    const count = counts[length - 1] ?? 0;
    if (count > 0) {
      valuePointer[length] = index;
      minCode[length] = code;
      code += count;
      index += count;
      maxCode[length] = code - 1;
    }
    code <<= 1;
  }
  maxCode[17] = 0x7fffffff; // sentinel: stops the search (an invalid code is caught by the length check)
  return { maxCode, minCode, valuePointer, values };
}

function readFrame(data: Uint8Array, offset: number): Frame {
  const precision = byteAt(data, offset);
  const height = uint16At(data, offset + 1);
  const width = uint16At(data, offset + 3);
  const count = byteAt(data, offset + 5);
  if (precision !== 8 && precision !== 12) throw new DecodeFailure(`JPEG sample precision ${precision} is not 8 or 12`);
  if (height === 0)
    throw new DecodeFailure("the JPEG frame defines its height with a DNL marker, which is not supported");
  if (width === 0 || count === 0) throw new DecodeFailure("the JPEG frame header declares an empty image");
  const components: Component[] = [];
  for (let i = 0; i < count; i++) {
    const at = offset + 6 + 3 * i;
    const sampling = byteAt(data, at + 1);
    const h = sampling >> 4;
    const v = sampling & 15;
    if (h < 1 || h > 4 || v < 1 || v > 4) throw new DecodeFailure(`JPEG sampling factors ${h}×${v} are invalid`);
    components.push({
      id: byteAt(data, at),
      h,
      v,
      quantTable: byteAt(data, at + 2),
      blocksPerLine: 0,
      blocksPerColumn: 0,
      coefficients: new Int32Array(0),
      predictor: 0,
    });
  }
  const maxH = Math.max(...components.map((c) => c.h));
  const maxV = Math.max(...components.map((c) => c.v));
  const mcusPerLine = Math.ceil(width / (8 * maxH));
  const mcusPerColumn = Math.ceil(height / (8 * maxV));
  for (const component of components) {
    component.blocksPerLine = mcusPerLine * component.h;
    component.blocksPerColumn = mcusPerColumn * component.v;
    component.coefficients = new Int32Array(component.blocksPerLine * component.blocksPerColumn * 64);
  }
  return { precision, width, height, components, maxH, maxV, mcusPerLine, mcusPerColumn };
}

/** Reads entropy-coded bits (F.2.2.5), removing stuffed zero bytes and refusing to read into a marker. */
class BitReader {
  private bits = 0;
  private count = 0;

  constructor(
    private readonly data: Uint8Array,
    public offset: number,
  ) {}

  bit(): number {
    if (this.count === 0) {
      const byte = this.data[this.offset];
      if (byte === undefined) throw new DecodeFailure("the entropy-coded data ends before the last block");
      if (byte === 0xff) {
        const next = this.data[this.offset + 1];
        if (next !== 0x00) {
          throw new DecodeFailure(
            `the entropy-coded data ends before the last block (marker FF${hex(next)} at byte ${this.offset})`,
          );
        }
        this.offset += 2;
      } else {
        this.offset += 1;
      }
      this.bits = byte;
      this.count = 8;
    }
    this.count -= 1;
    return (this.bits >> this.count) & 1;
  }

  /** RECEIVE(s) then EXTEND (F.2.2.1). */
  receiveExtend(size: number): number {
    let value = 0;
    for (let i = 0; i < size; i++) value = (value << 1) | this.bit();
    return value < 1 << (size - 1) ? value - (1 << size) + 1 : value;
  }

  /** DECODE (Figure F.16). */
  decode(table: HuffmanTable): number {
    let code = this.bit();
    let length = 1;
    while (code > (table.maxCode[length] ?? -1)) {
      code = (code << 1) | this.bit();
      length += 1;
      if (length > 16) throw new DecodeFailure("the entropy-coded data holds an invalid Huffman code");
    }
    const index = (table.valuePointer[length] ?? 0) + code - (table.minCode[length] ?? 0);
    const value = table.values[index];
    if (value === undefined) throw new DecodeFailure("the entropy-coded data holds an invalid Huffman code");
    return value;
  }

  /** Drops the rest of the current byte and consumes the restart marker RSTn that must follow (F.2.2.5, B.2.1). */
  restart(): void {
    this.count = 0;
    while (this.data[this.offset] === 0xff && this.data[this.offset + 1] === 0xff) this.offset += 1;
    const marker = this.data[this.offset + 1] ?? 0;
    if (this.data[this.offset] !== 0xff || marker < 0xd0 || marker > 0xd7) {
      throw new DecodeFailure(`a JPEG restart marker is missing at byte ${this.offset}`);
    }
    this.offset += 2;
  }

  /** The offset of the marker that follows the scan's entropy-coded data. */
  nextMarker(): number {
    let offset = this.offset;
    while (offset + 1 < this.data.length) {
      const next = this.data[offset + 1] ?? 0;
      if (this.data[offset] === 0xff && next !== 0x00 && next !== 0xff && (next < 0xd0 || next > 0xd7)) return offset;
      offset += 1;
    }
    throw new DecodeFailure("the JPEG stream ends without an end-of-image marker");
  }
}

function hex(value: number | undefined): string {
  return (value ?? 0).toString(16).toUpperCase().padStart(2, "0");
}

/** Decodes one scan (B.2.3, F.2.2) and returns the offset of the marker after it. */
function decodeScan(
  data: Uint8Array,
  offset: number,
  frame: Frame,
  quantTables: (Int32Array | undefined)[],
  dcTables: (HuffmanTable | undefined)[],
  acTables: (HuffmanTable | undefined)[],
  restartInterval: number,
): number {
  const count = byteAt(data, offset);
  const scan: { component: Component; dc: HuffmanTable; ac: HuffmanTable; quant: Int32Array }[] = [];
  for (let i = 0; i < count; i++) {
    const id = byteAt(data, offset + 1 + 2 * i);
    const tables = byteAt(data, offset + 2 + 2 * i);
    const component = frame.components.find((c) => c.id === id);
    const dc = dcTables[tables >> 4];
    const ac = acTables[tables & 15];
    if (component === undefined) throw new DecodeFailure(`the JPEG scan names component ${id}, not in the frame`);
    const quant = quantTables[component.quantTable];
    if (dc === undefined || ac === undefined || quant === undefined) {
      throw new DecodeFailure(`the JPEG scan uses a Huffman or quantisation table that is not defined`);
    }
    component.predictor = 0;
    scan.push({ component, dc, ac, quant });
  }
  const headerEnd = offset + 1 + 2 * count + 3;
  const reader = new BitReader(data, headerEnd);
  const decodeBlock = (entry: (typeof scan)[number], blockRow: number, blockColumn: number) => {
    const { component, dc, ac, quant } = entry;
    const base = (blockRow * component.blocksPerLine + blockColumn) * 64;
    const coefficients = component.coefficients;
    const size = reader.decode(dc);
    component.predictor += size === 0 ? 0 : reader.receiveExtend(size);
    coefficients[base] = component.predictor * (quant[0] ?? 0);
    for (let k = 1; k < 64;) {
      const rs = reader.decode(ac);
      const run = rs >> 4;
      const bits = rs & 15;
      if (bits === 0) {
        if (run < 15) break; // EOB
        k += 16;
        continue;
      }
      k += run;
      if (k > 63) throw new DecodeFailure("the entropy-coded data runs past the end of a block");
      coefficients[base + (ZIGZAG[k] ?? 0)] = reader.receiveExtend(bits) * (quant[k] ?? 0);
      k += 1;
    }
  };
  const first = scan[0];
  if (first === undefined) throw new DecodeFailure("the JPEG scan has no components");
  // A scan of one component codes its blocks one by one, covering only the component's own size (A.2.2).
  const single = scan.length === 1;
  const columns = single ? Math.ceil(Math.ceil((frame.width * first.component.h) / frame.maxH) / 8) : frame.mcusPerLine;
  const rows = single ? Math.ceil(Math.ceil((frame.height * first.component.v) / frame.maxV) / 8) : frame.mcusPerColumn;
  const total = columns * rows;
  for (let mcu = 0; mcu < total; mcu++) {
    if (restartInterval > 0 && mcu > 0 && mcu % restartInterval === 0) {
      reader.restart();
      for (const entry of scan) entry.component.predictor = 0;
    }
    const row = Math.floor(mcu / columns);
    const column = mcu % columns;
    if (single) {
      decodeBlock(first, row, column);
      continue;
    }
    for (const entry of scan) {
      for (let v = 0; v < entry.component.v; v++) {
        for (let h = 0; h < entry.component.h; h++) {
          decodeBlock(entry, row * entry.component.v + v, column * entry.component.h + h);
        }
      }
    }
  }
  return reader.nextMarker();
}

/** Inverse DCT, level shift and upsampling to whole-image samples interleaved by pixel. */
function outputImage(frame: Frame): DctImage {
  const { width, height, precision, components, maxH, maxV } = frame;
  const maxValue = (1 << precision) - 1;
  const shift = 1 << (precision - 1);
  const planes = components.map((component) => {
    const planeWidth = component.blocksPerLine * 8;
    const plane = new Uint16Array(planeWidth * component.blocksPerColumn * 8);
    const block = new Float64Array(64);
    for (let blockRow = 0; blockRow < component.blocksPerColumn; blockRow++) {
      for (let blockColumn = 0; blockColumn < component.blocksPerLine; blockColumn++) {
        inverseDctIslow(
          component.coefficients,
          (blockRow * component.blocksPerLine + blockColumn) * 64,
          precision,
          block,
        );
        for (let y = 0; y < 8; y++) {
          const target = (blockRow * 8 + y) * planeWidth + blockColumn * 8;
          for (let x = 0; x < 8; x++) {
            const value = (block[y * 8 + x] ?? 0) + shift;
            plane[target + x] = value < 0 ? 0 : value > maxValue ? maxValue : value;
          }
        }
      }
    }
    return { plane, planeWidth, h: component.h, v: component.v };
  });
  const count = components.length;
  const samples = new Uint16Array(width * height * count);
  planes.forEach(({ plane, planeWidth, h, v }, c) => {
    for (let y = 0; y < height; y++) {
      const sourceRow = Math.floor((y * v) / maxV) * planeWidth;
      for (let x = 0; x < width; x++) {
        samples[(y * width + x) * count + c] = plane[sourceRow + Math.floor((x * h) / maxH)] ?? 0;
      }
    }
  });
  return { width, height, precision, components: count, samples };
}

// jidctint.c's constants: FIX(x) = round(x * 2^13).
const CONST_BITS = 13;
const FIX_0_298631336 = 2446;
const FIX_0_390180644 = 3196;
const FIX_0_541196100 = 4433;
const FIX_0_765366865 = 6270;
const FIX_0_899976223 = 7373;
const FIX_1_175875602 = 9633;
const FIX_1_501321110 = 12299;
const FIX_1_847759065 = 15137;
const FIX_1_961570560 = 16069;
const FIX_2_053119869 = 16819;
const FIX_2_562915447 = 20995;
const FIX_3_072711026 = 25172;

/** DESCALE(x, n): x / 2^n rounded half up, as an arithmetic shift would give (doubles: no 32-bit overflow). */
function descale(value: number, bits: number): number {
  return Math.floor((value + 2 ** (bits - 1)) / 2 ** bits);
}

/**
 * One 1-D 8-point IDCT of jidctint.c over `input[at + k * stride]`, written to `output[to + k * outStride]`
 * after DESCALE by `bits`.
 */
function idct1d(
  input: ArrayLike<number>,
  at: number,
  stride: number,
  output: Float64Array,
  to: number,
  outStride: number,
  bits: number,
): void {
  const c0 = input[at] ?? 0;
  const c1 = input[at + stride] ?? 0;
  const c2 = input[at + 2 * stride] ?? 0;
  const c3 = input[at + 3 * stride] ?? 0;
  const c4 = input[at + 4 * stride] ?? 0;
  const c5 = input[at + 5 * stride] ?? 0;
  const c6 = input[at + 6 * stride] ?? 0;
  const c7 = input[at + 7 * stride] ?? 0;
  // Even part.
  const z1 = (c2 + c6) * FIX_0_541196100;
  const even2 = z1 - c6 * FIX_1_847759065;
  const even3 = z1 + c2 * FIX_0_765366865;
  const even0 = (c0 + c4) * 2 ** CONST_BITS;
  const even1 = (c0 - c4) * 2 ** CONST_BITS;
  const tmp10 = even0 + even3;
  const tmp13 = even0 - even3;
  const tmp11 = even1 + even2;
  const tmp12 = even1 - even2;
  // Odd part.
  const z5 = (c7 + c3 + c5 + c1) * FIX_1_175875602;
  const za = (c7 + c1) * -FIX_0_899976223;
  const zb = (c5 + c3) * -FIX_2_562915447;
  const zc = (c7 + c3) * -FIX_1_961570560 + z5;
  const zd = (c5 + c1) * -FIX_0_390180644 + z5;
  const odd0 = c7 * FIX_0_298631336 + za + zc;
  const odd1 = c5 * FIX_2_053119869 + zb + zd;
  const odd2 = c3 * FIX_3_072711026 + zb + zc;
  const odd3 = c1 * FIX_1_501321110 + za + zd;
  output[to] = descale(tmp10 + odd3, bits);
  output[to + 7 * outStride] = descale(tmp10 - odd3, bits);
  output[to + outStride] = descale(tmp11 + odd2, bits);
  output[to + 6 * outStride] = descale(tmp11 - odd2, bits);
  output[to + 2 * outStride] = descale(tmp12 + odd1, bits);
  output[to + 5 * outStride] = descale(tmp12 - odd1, bits);
  output[to + 3 * outStride] = descale(tmp13 + odd0, bits);
  output[to + 4 * outStride] = descale(tmp13 - odd0, bits);
}

const workspace = new Float64Array(64);

/**
 * The inverse DCT of one block of dequantised coefficients (jpeg_idct_islow): columns first into
 * a workspace with PASS1_BITS of extra precision (2 for 8-bit samples, 1 for 12-bit), then rows.
 * Writes samples before the level shift into `out` (row-major).
 */
function inverseDctIslow(coefficients: Int32Array, base: number, precision: number, out: Float64Array): void {
  const pass1Bits = precision === 8 ? 2 : 1;
  for (let column = 0; column < 8; column++) {
    idct1d(coefficients, base + column, 8, workspace, column, 8, CONST_BITS - pass1Bits);
  }
  for (let row = 0; row < 8; row++) {
    idct1d(workspace, row * 8, 1, out, row * 8, 1, CONST_BITS + pass1Bits + 3);
  }
}
