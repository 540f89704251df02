import path from "node:path";
import { describe, expect, it } from "vitest";
import { readNifti } from "./nifti";
import { readNrrd } from "./nrrd";
import { maskFromLabel } from "./mask";
import { maskVoxelCount } from "./volume";
import { IBSI_PHANTOM, PYRADIOMICS_DATA } from "../test-support/reference-data";

describe("image readers", () => {
  it("reads the IBSI phantom NIfTI", async () => {
    const image = await readNifti(IBSI_PHANTOM.image);
    const mask = await readNifti(IBSI_PHANTOM.mask);
    console.log(image.dims, image.spacing, image.origin, image.direction, [...image.data].join(","));
    console.log(maskVoxelCount(maskFromLabel(mask, 1)));
  });
  it("reads brain1 NRRD", () => {
    const image = readNrrd(path.join(PYRADIOMICS_DATA, "brain1_image.nrrd"));
    console.log(image.dims, image.spacing, image.origin, image.direction);
    const mask = maskFromLabel(readNrrd(path.join(PYRADIOMICS_DATA, "brain1_label.nrrd")), 1);
    console.log(maskVoxelCount(mask));
    expect(image.dims).toEqual([256, 256, 25]);
  });
});
