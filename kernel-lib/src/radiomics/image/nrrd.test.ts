import { writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { PYRADIOMICS_DATA } from "../test-support/reference-data";
import { temporaryDirectories } from "../test-support/scratch";
import { thrown } from "../test-support/thrown";
import { maskFromLabel } from "./mask";
import { readNrrd } from "./nrrd";
import { maskVoxelCount } from "./volume";

const dir = temporaryDirectories("radlab-nrrd-")();

function write(name: string, header: string, data: Uint8Array | string): string {
  const file = path.join(dir, name);
  writeFileSync(file, Buffer.concat([Buffer.from(`${header}\n\n`, "latin1"), Buffer.from(data)]));
  return file;
}

describe("readNrrd", () => {
  it("reads pyradiomics' brain1 (gzip, short, LPS) with its geometry and stored type", () => {
    const image = readNrrd(path.join(PYRADIOMICS_DATA, "brain1_image.nrrd"));
    expect(image.dims).toEqual([256, 256, 25]);
    expect(image.spacing.map((s) => Number(s.toFixed(6)))).toEqual([0.78125, 0.78125, 6.5]);
    expect(image.origin.map((s) => Number(s.toFixed(6)))).toEqual([-99.609375, 99.609375, -78]);
    expect(image.direction).toEqual([1, 0, 0, 0, -1, 0, 0, 0, 1]);
    expect(image.pixelType).toBe("int16");
    expect(maskVoxelCount(maskFromLabel(readNrrd(path.join(PYRADIOMICS_DATA, "brain1_label.nrrd"))))).toBe(4137);
  });

  it("reads raw big-endian floats and maps RAS to LPS", () => {
    const values = new DataView(new ArrayBuffer(8 * 4));
    for (let n = 0; n < 8; n++) values.setFloat32(n * 4, n + 0.5, false);
    const file = write(
      "ras.nrrd",
      "NRRD0004\ntype: float\ndimension: 3\nspace: right-anterior-superior\nsizes: 2 2 2\nspace directions: (2,0,0) (0,3,0) (0,0,4)\nendian: big\nencoding: raw\nspace origin: (10,20,30)",
      new Uint8Array(values.buffer),
    );
    const image = readNrrd(file);
    expect([...image.data]).toEqual([0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5]);
    expect(image.spacing).toEqual([2, 3, 4]);
    expect(image.origin).toEqual([-10, -20, 30]);
    expect(image.direction).toEqual([-1, -0, -0, -0, -1, -0, 0, 0, 1]);
  });

  it("reads ascii and gzip encodings to the same values", () => {
    const header = "NRRD0004\ntype: int16\ndimension: 3\nsizes: 3 1 1\nspacings: 1 1 1";
    const ints = new Int16Array([-5, 0, 7]);
    expect([...readNrrd(write("a.nrrd", `${header}\nencoding: ascii`, "-5 0\n7")).data]).toEqual([-5, 0, 7]);
    expect([
      ...readNrrd(write("g.nrrd", `${header}\nencoding: gzip`, gzipSync(new Uint8Array(ints.buffer)))).data,
    ]).toEqual([-5, 0, 7]);
  });

  it("names the field that is wrong", () => {
    const base = "NRRD0004\ntype: short\ndimension: 3\nsizes: 2 2 2\nencoding: raw";
    expect(thrown(() => readNrrd(write("bad-magic.nrrd", "P6", "")))).toMatchObject({
      code: "input",
      evidence: { path: "magic" },
    });
    expect(thrown(() => readNrrd(write("4d.nrrd", base.replace("dimension: 3", "dimension: 4"), "")))).toMatchObject({
      code: "unsupported",
      evidence: { path: "dimension" },
    });
    expect(thrown(() => readNrrd(write("short.nrrd", base, new Uint8Array(10))))).toMatchObject({
      code: "input",
      evidence: { path: "data" },
    });
    expect(thrown(() => readNrrd(write("bz.nrrd", base.replace("raw", "bzip2"), "")))).toMatchObject({
      code: "unsupported",
      evidence: { path: "encoding" },
    });
    expect(thrown(() => readNrrd(write("type.nrrd", base.replace("short", "block"), "")))).toMatchObject({
      code: "input",
      evidence: { path: "type" },
    });
    expect(thrown(() => readNrrd(write("detached.nrrd", `${base}\ndata file: x.raw`, "")))).toMatchObject({
      code: "unsupported",
      evidence: { path: "data file" },
    });
  });
});
