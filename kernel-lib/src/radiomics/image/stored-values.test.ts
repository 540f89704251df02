import { describe, expect, it } from "vitest";
import { readStoredValues, STORED_TYPE_BYTES } from "./stored-values";
import type { StoredPixelType } from "./volume";

const SAMPLES: Readonly<Record<StoredPixelType, readonly number[]>> = {
  int8: [-128, 0, 127],
  uint8: [0, 200, 255],
  int16: [-32768, -1, 32767],
  uint16: [0, 40000, 65535],
  int32: [-2147483648, 12345678, 2147483647],
  uint32: [0, 3000000000, 4294967295],
  float32: [-1.5, 0.25, 3.4028234663852886e38],
  float64: [-1e300, Math.PI, 5e-324],
};

function encode(type: StoredPixelType, values: readonly number[], little: boolean): Uint8Array {
  const size = STORED_TYPE_BYTES[type];
  // One leading byte, so that the values start at an odd offset of their buffer.
  const view = new DataView(new ArrayBuffer(1 + size * values.length));
  const write: Record<StoredPixelType, (o: number, v: number) => void> = {
    int8: (o, v) => view.setInt8(o, v),
    uint8: (o, v) => view.setUint8(o, v),
    int16: (o, v) => view.setInt16(o, v, little),
    uint16: (o, v) => view.setUint16(o, v, little),
    int32: (o, v) => view.setInt32(o, v, little),
    uint32: (o, v) => view.setUint32(o, v, little),
    float32: (o, v) => view.setFloat32(o, v, little),
    float64: (o, v) => view.setFloat64(o, v, little),
  };
  values.forEach((v, n) => write[type](1 + n * size, v));
  return new Uint8Array(view.buffer, 1);
}

describe("readStoredValues", () => {
  it.each(Object.keys(SAMPLES) as StoredPixelType[])("reads %s in both byte orders, from any offset", (type) => {
    for (const little of [true, false]) {
      expect([...readStoredValues(encode(type, SAMPLES[type], little), type, 3, little)]).toEqual(SAMPLES[type]);
    }
  });

  it("reads a small Node Buffer, whose memory is a shared pool, as its own bytes", () => {
    const pooled = Buffer.from(encode("int16", [-5, 0, 7], true));
    expect(pooled.buffer.byteLength).toBeGreaterThan(pooled.byteLength);
    expect([...readStoredValues(pooled, "int16", 3, true)]).toEqual([-5, 0, 7]);
  });

  it("reads only the first `count` values", () => {
    expect([...readStoredValues(encode("int16", [1, 2, 3], true), "int16", 2, true)]).toEqual([1, 2]);
  });
});
