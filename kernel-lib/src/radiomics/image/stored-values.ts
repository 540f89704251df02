import type { StoredPixelType } from "./volume";

/** The bytes per value of each stored voxel type. */
export const STORED_TYPE_BYTES: Readonly<Record<StoredPixelType, number>> = Object.freeze({
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  float32: 4,
  float64: 8,
});

const ARRAYS: Readonly<Record<StoredPixelType, new (buffer: ArrayBuffer) => ArrayLike<number>>> = {
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  float32: Float32Array,
  float64: Float64Array,
};

const MACHINE_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const READERS: Readonly<Record<StoredPixelType, (view: DataView, offset: number, little: boolean) => number>> = {
  int8: (v, o) => v.getInt8(o),
  uint8: (v, o) => v.getUint8(o),
  int16: (v, o, l) => v.getInt16(o, l),
  uint16: (v, o, l) => v.getUint16(o, l),
  int32: (v, o, l) => v.getInt32(o, l),
  uint32: (v, o, l) => v.getUint32(o, l),
  float32: (v, o, l) => v.getFloat32(o, l),
  float64: (v, o, l) => v.getFloat64(o, l),
};

/**
 * The first `count` values of `type` stored in `bytes` with the given byte order, as doubles
 * (the image readers' common last step). The caller has checked that `bytes` holds them.
 *
 * @example
 * ```ts
 * import { readStoredValues } from "./stored-values";
 * readStoredValues(Uint8Array.of(0xff, 0x7f, 0x00, 0x80), "int16", 2, true); // Float64Array [32767, -32768]
 * ```
 */
export function readStoredValues(
  bytes: Uint8Array,
  type: StoredPixelType,
  count: number,
  littleEndian: boolean,
): Float64Array {
  const size = STORED_TYPE_BYTES[type];
  if (littleEndian === MACHINE_LITTLE_ENDIAN) {
    // The machine's own order: a typed array over a copy of the bytes reads them natively.
    // (A copy of its own: a Node Buffer's slice() shares a pooled ArrayBuffer.)
    const copy = new Uint8Array(count * size);
    copy.set(bytes.subarray(0, count * size));
    return Float64Array.from(new ARRAYS[type](copy.buffer));
  }
  const read = READERS[type];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(count);
  for (let n = 0; n < count; n++) out[n] = read(view, n * size, littleEndian);
  return out;
}
