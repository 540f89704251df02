import { readFile } from "node:fs/promises";
import { RadiomicsError } from "../radiomics-error";
import { readStoredValues, STORED_TYPE_BYTES } from "./stored-values";
import type { StoredPixelType, Triple, Volume } from "./volume";

/** NIfTI datatype codes radlab reads, and the stored type each one is. */
const DATATYPES: Readonly<Record<number, StoredPixelType>> = {
  2: "uint8",
  4: "int16",
  8: "int32",
  16: "float32",
  64: "float64",
  256: "int8",
  512: "uint16",
  768: "uint32",
};

/** The part of nifti-reader-js radlab uses (its types cannot be imported from a CommonJS module). */
interface NiftiHeader {
  readonly littleEndian: boolean;
  readonly dims: number[];
  readonly datatypeCode: number;
  readonly pixDims: number[];
  readonly scl_slope: number;
  readonly scl_inter: number;
  readonly qform_code: number;
  readonly sform_code: number;
  readonly affine: number[][];
}
interface NiftiModule {
  isCompressed(data: ArrayBuffer): boolean;
  decompress(data: ArrayBuffer): ArrayBufferLike;
  isNIFTI(data: ArrayBuffer): boolean;
  readHeader(data: ArrayBuffer): NiftiHeader;
  readImage(header: NiftiHeader, data: ArrayBuffer): ArrayBuffer;
}

/** nifti-reader-js is published as an ES module only; it is loaded once, on first use. */
let niftiModule: Promise<NiftiModule> | undefined;

/**
 * Reads a 3D scalar NIfTI-1 or NIfTI-2 image (`.nii` or `.nii.gz`) into a {@link Volume} in LPS
 * patient space, with `scl_slope`/`scl_inter` applied. The voxel-to-world transform comes from
 * the sform when its code is set, else the qform, else the voxel sizes alone (NIfTI method 1).
 * Reading is done by nifti-reader-js.
 *
 * @throws {@link RadiomicsError} `input` for a file that is not NIfTI or is truncated,
 *   `unsupported` for 4D+ images or datatypes such as complex or RGB.
 *
 * @example
 * ```ts
 * import { readNifti } from "@radlab/kernel";
 * const image = await readNifti("../shared/data/radiomics/ibsi1-digital-phantom/nifti/image/phantom.nii.gz");
 * image.dims; // [5, 4, 4]
 * ```
 */
export async function readNifti(file: string): Promise<Volume> {
  niftiModule ??= import("nifti-reader-js") as Promise<unknown> as Promise<NiftiModule>;
  const nifti = await niftiModule;
  const bytes = await readFile(file);
  let buffer: ArrayBuffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  try {
    if (nifti.isCompressed(buffer)) buffer = nifti.decompress(buffer) as ArrayBuffer;
  } catch (cause) {
    throw new RadiomicsError("input", `${file}: the gzip data cannot be decompressed`, {
      file,
      hint: "The file is damaged; export it again.",
      cause,
    });
  }
  if (!nifti.isNIFTI(buffer)) {
    throw new RadiomicsError("input", `${file}: is not a NIfTI-1 or NIfTI-2 file (no "n+1"/"ni1"/"n+2" magic)`, {
      file,
      path: "magic",
      hint: "Check that the file is a .nii or .nii.gz image; for a .hdr/.img pair, convert it to .nii first.",
    });
  }
  const header = nifti.readHeader(buffer);
  const rank = header.dims[0]!;
  const extra = header.dims.slice(4, 1 + rank).filter((d) => d > 1);
  if (rank < 3 || extra.length > 0) {
    throw new RadiomicsError(
      "unsupported",
      `${file}: has ${rank} dimension(s) [${header.dims.slice(1, 1 + rank).join(" x ")}]; radiomics reads 3D scalar images`,
      {
        file,
        path: "dim",
        hint: "Save one 3D volume per file (split 4D series first).",
      },
    );
  }
  const type = DATATYPES[header.datatypeCode];
  if (type === undefined) {
    throw new RadiomicsError(
      "unsupported",
      `${file}: has NIfTI datatype ${header.datatypeCode}, which is not a real scalar type radlab reads`,
      {
        file,
        path: "datatype",
        hint: "Convert the image to an integer or float32/float64 scalar NIfTI.",
      },
    );
  }
  const dims: Triple = [header.dims[1]!, header.dims[2]!, header.dims[3]!];
  const count = dims[0] * dims[1] * dims[2];
  const raw = nifti.readImage(header, buffer);
  if (raw.byteLength < count * STORED_TYPE_BYTES[type]) {
    throw new RadiomicsError(
      "input",
      `${file}: holds ${raw.byteLength} bytes of voxels, the header needs ${count * STORED_TYPE_BYTES[type]}`,
      {
        file,
        path: "vox_offset",
        hint: "The file is truncated; export it again.",
      },
    );
  }
  const values = readStoredValues(new Uint8Array(raw), type, count, header.littleEndian);
  const slope = header.scl_slope !== 0 && Number.isFinite(header.scl_slope) ? header.scl_slope : 1;
  const inter =
    slope !== 1 || (header.scl_inter !== 0 && Number.isFinite(header.scl_inter)) ? header.scl_inter || 0 : 0;
  const data = values;
  for (let n = 0; n < count; n++) data[n] = data[n]! * slope + inter;

  // header.affine is RAS (from sform, qform or pixdim as the codes say); patient space is LPS.
  const affine =
    header.qform_code > 0 || header.sform_code > 0
      ? header.affine
      : [
          [header.pixDims[1]!, 0, 0, 0],
          [0, header.pixDims[2]!, 0, 0],
          [0, 0, header.pixDims[3]!, 0],
        ];
  const lps = [0, 1, 2].map((row) => affine[row]!.map((v) => (row < 2 ? -v : v)));
  const spacing = [0, 1, 2].map((col) => Math.hypot(lps[0]![col]!, lps[1]![col]!, lps[2]![col]!)) as unknown as Triple;
  if (spacing.some((s) => !(s > 0))) {
    throw new RadiomicsError(
      "input",
      `${file}: the voxel-to-world transform has a zero-length axis (spacing ${spacing.join(", ")})`,
      {
        file,
        path: "pixdim",
        hint: "Fix pixdim (or the sform/qform) so that every voxel size is positive.",
      },
    );
  }
  const direction = [0, 1, 2].flatMap((row) => [0, 1, 2].map((col) => lps[row]![col]! / spacing[col]! + 0));
  return {
    dims,
    spacing,
    origin: [lps[0]![3]!, lps[1]![3]!, lps[2]![3]!],
    direction,
    data,
    source: file,
    pixelType: type,
  };
}
