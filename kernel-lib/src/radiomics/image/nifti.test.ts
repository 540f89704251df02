import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { IBSI_PHANTOM } from "../test-support/reference-data";
import { temporaryDirectories } from "../test-support/scratch";
import { rejected } from "../test-support/thrown";
import { maskFromLabel } from "./mask";
import { readNifti } from "./nifti";
import { maskVoxelCount } from "./volume";

const dir = temporaryDirectories("radlab-nifti-")();

/** A NIfTI-1 single file: 348-byte header, 4 bytes of extension flag, then int16 voxels. */
function nifti(options: {
  dims: number[];
  datatype?: number;
  slope?: number;
  inter?: number;
  values: number[];
}): string {
  const header = new DataView(new ArrayBuffer(352));
  header.setInt32(0, 348, true);
  options.dims.forEach((d, i) => header.setInt16(40 + 2 * i, d, true));
  header.setInt16(70, options.datatype ?? 4, true);
  header.setInt16(72, 16, true);
  [1, 1.5, 2, 3].forEach((v, i) => header.setFloat32(76 + 4 * i, v, true));
  header.setFloat32(108, 352, true);
  header.setFloat32(112, options.slope ?? 0, true);
  header.setFloat32(116, options.inter ?? 0, true);
  new Uint8Array(header.buffer).set(Buffer.from("n+1\0"), 344);
  const voxels = new Int16Array(options.values);
  const file = path.join(dir, `f${Math.random().toString(36).slice(2)}.nii`);
  writeFileSync(file, Buffer.concat([Buffer.from(header.buffer), Buffer.from(voxels.buffer)]));
  return file;
}

describe("readNifti", () => {
  it("reads the IBSI-1 digital phantom: 5 x 4 x 4 voxels of 2 mm, 74 in the ROI", async () => {
    const image = await readNifti(IBSI_PHANTOM.image);
    expect(image.dims).toEqual([5, 4, 4]);
    expect(image.spacing).toEqual([2, 2, 2]);
    expect(image.direction).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(maskVoxelCount(maskFromLabel(await readNifti(IBSI_PHANTOM.mask)))).toBe(74);
    expect([...new Set(image.data)].sort((a, b) => a - b)).toEqual([1, 3, 4, 6, 9]);
  });

  it("applies scl_slope and scl_inter, and uses pixdim alone without qform or sform (RAS to LPS)", async () => {
    const image = await readNifti(nifti({ dims: [3, 2, 1, 1], slope: 2, inter: -10, values: [0, 1] }));
    expect([...image.data]).toEqual([-10, -8]);
    expect(image.spacing).toEqual([1.5, 2, 3]);
    expect(image.direction).toEqual([-1, 0, 0, 0, -1, 0, 0, 0, 1]);
    expect(image.pixelType).toBe("int16");
  });

  it("refuses files that are not NIfTI, 4D series and complex data", async () => {
    const file = path.join(dir, "not.nii");
    writeFileSync(file, Buffer.alloc(400));
    expect(await rejected(() => readNifti(file))).toMatchObject({ code: "input", evidence: { path: "magic" } });
    expect(await rejected(() => readNifti(nifti({ dims: [4, 1, 1, 1, 2], values: [1, 2] })))).toMatchObject({
      code: "unsupported",
      evidence: { path: "dim" },
    });
    expect(
      await rejected(() => readNifti(nifti({ dims: [3, 1, 1, 1], datatype: 32, values: [1, 2, 3, 4] }))),
    ).toMatchObject({ code: "unsupported", evidence: { path: "datatype" } });
  });
});
