import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { RadiomicsError } from "../radiomics-error";
import { readStoredValues, STORED_TYPE_BYTES } from "./stored-values";
import type { StoredPixelType, Triple, Volume } from "./volume";

const STORED_TYPES: Readonly<Record<string, StoredPixelType>> = {
  int8: "int8",
  uint8: "uint8",
  int16: "int16",
  uint16: "uint16",
  int32: "int32",
  uint32: "uint32",
  float: "float32",
  double: "float64",
};

/** NRRD's many spellings of each type (teem's `airEnum`), mapped to one name. */
const TYPE_ALIASES: Readonly<Record<string, string>> = {
  "signed char": "int8",
  int8: "int8",
  int8_t: "int8",
  uchar: "uint8",
  "unsigned char": "uint8",
  uint8: "uint8",
  uint8_t: "uint8",
  short: "int16",
  "short int": "int16",
  "signed short": "int16",
  "signed short int": "int16",
  int16: "int16",
  int16_t: "int16",
  ushort: "uint16",
  "unsigned short": "uint16",
  "unsigned short int": "uint16",
  uint16: "uint16",
  uint16_t: "uint16",
  int: "int32",
  "signed int": "int32",
  int32: "int32",
  int32_t: "int32",
  uint: "uint32",
  "unsigned int": "uint32",
  uint32: "uint32",
  uint32_t: "uint32",
  float: "float",
  double: "double",
};

/** The header fields of a NRRD file, keys lower-cased as the format defines them. */
export type NrrdHeader = Readonly<Record<string, string>>;

function fail(file: string, path: string, message: string, hint: string): never {
  throw new RadiomicsError("input", `${file}: ${message}`, { file, path, hint });
}

function parseVector(file: string, field: string, text: string): number[] {
  const match = /^\(([^)]*)\)$/.exec(text.trim());
  if (match === null) fail(file, field, `"${text}" is not a vector like (1,0,0)`, "Write vectors as (x,y,z).");
  const values = match[1]!.split(",").map((s) => Number(s.trim()));
  if (values.length !== 3 || values.some((v) => !Number.isFinite(v))) {
    fail(file, field, `"${text}" is not a vector of three finite numbers`, "Write vectors as (x,y,z).");
  }
  return values;
}

/**
 * Splits a NRRD file into its header fields and the bytes after the blank line that ends the
 * header.
 */
export function parseNrrdHeader(bytes: Uint8Array, file: string): { header: NrrdHeader; dataOffset: number } {
  const magic = new TextDecoder("latin1").decode(bytes.subarray(0, 8));
  if (!/^NRRD000[1-5]$/.test(magic)) {
    fail(
      file,
      "magic",
      `starts with "${magic.replace(/[^\x20-\x7e]/g, "?")}", not NRRD0001 to NRRD0005`,
      "Check that the file is a NRRD file (.nrrd or .nhdr).",
    );
  }
  const header: Record<string, string> = {};
  let offset = 0;
  let lineNumber = 0;
  for (;;) {
    let end = bytes.indexOf(0x0a, offset);
    if (end < 0) end = bytes.length;
    const line = new TextDecoder("latin1").decode(bytes.subarray(offset, end)).replace(/\r$/, "");
    offset = end + 1;
    lineNumber++;
    if (line === "" || end === bytes.length) break;
    if (lineNumber === 1 || line.startsWith("#")) continue;
    const field = /^([^:]+):\s?(.*)$/.exec(line);
    if (field === null) continue;
    if (field[1]!.includes(":=") || line.includes(":=")) continue; // key/value pairs, not fields
    header[field[1]!.trim().toLowerCase()] = field[2]!.trim();
  }
  return { header, dataOffset: offset };
}

/**
 * Reads a 3D scalar NRRD image (attached data; raw, gzip or ascii encoding; any scalar type)
 * into a {@link Volume} in LPS patient space.
 *
 * @throws {@link RadiomicsError} `input` when the header is malformed or the data is short,
 *   `unsupported` for detached data, bzip2, non-3D or vector images, naming the field.
 *
 * @example
 * ```ts
 * import { readNrrd } from "@radlab/kernel";
 * const image = readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_image.nrrd");
 * image.dims; // [256, 256, 25]
 * ```
 */
export function readNrrd(file: string): Volume {
  const bytes = readFileSync(file);
  const { header, dataOffset } = parseNrrdHeader(bytes, file);
  const need = (field: string): string => {
    const value = header[field];
    if (value === undefined) fail(file, field, `has no "${field}" field`, `Add the "${field}" field to the header.`);
    return value;
  };
  const typeName = TYPE_ALIASES[need("type").toLowerCase()];
  if (typeName === undefined)
    fail(
      file,
      "type",
      `has type "${header.type}", which is not a scalar NRRD type`,
      "Save the image as an integer or floating-point NRRD.",
    );
  const type = STORED_TYPES[typeName]!;
  const typeBytes = STORED_TYPE_BYTES[type];
  if (need("dimension") !== "3") {
    throw new RadiomicsError(
      "unsupported",
      `${file}: has dimension ${header.dimension}; radiomics reads 3D scalar images`,
      {
        file,
        path: "dimension",
        hint: "Save one 3D scalar volume per file (split vector or time series images first).",
      },
    );
  }
  const sizes = need("sizes").split(/\s+/).map(Number);
  if (sizes.length !== 3 || sizes.some((s) => !Number.isInteger(s) || s < 1))
    fail(file, "sizes", `has sizes "${header.sizes}", not three positive integers`, "Fix the sizes field.");
  if (header["data file"] !== undefined || header.datafile !== undefined) {
    throw new RadiomicsError("unsupported", `${file}: the data is in a separate file (detached header)`, {
      file,
      path: "data file",
      hint: "Save the image as a single .nrrd file with attached data.",
    });
  }
  let spacing: number[];
  let direction: number[];
  if (header["space directions"] !== undefined) {
    const vectors = header["space directions"]
      .split(/\)\s*/)
      .filter((s) => s.trim() !== "")
      .map((s) => `${s.trim()})`);
    if (vectors.length !== 3 || vectors.some((v) => v.startsWith("none"))) {
      throw new RadiomicsError(
        "unsupported",
        `${file}: space directions "${header["space directions"]}" do not give three spatial axes`,
        {
          file,
          path: "space directions",
          hint: "Save one 3D scalar volume per file.",
        },
      );
    }
    const columns = vectors.map((v) => parseVector(file, "space directions", v));
    spacing = columns.map((c) => Math.hypot(c[0]!, c[1]!, c[2]!));
    if (spacing.some((s) => s === 0))
      fail(file, "space directions", "has a zero-length axis", "Fix the space directions.");
    direction = [0, 1, 2].flatMap((row) => columns.map((c, n) => c[row]! / spacing[n]!));
  } else {
    spacing = (header.spacings ?? "1 1 1").split(/\s+/).map(Number);
    if (spacing.length !== 3 || spacing.some((s) => !(s > 0)))
      fail(
        file,
        "spacings",
        `has spacings "${header.spacings}", not three positive numbers`,
        "Fix the spacings field.",
      );
    direction = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  }
  let origin =
    header["space origin"] === undefined ? [0, 0, 0] : parseVector(file, "space origin", header["space origin"]);
  const space = (header.space ?? "left-posterior-superior").toLowerCase();
  if (space === "right-anterior-superior" || space === "ras") {
    origin = [-origin[0]!, -origin[1]!, origin[2]!];
    direction = direction.map((v, n) => (n < 6 ? -v : v));
  } else if (
    space !== "left-posterior-superior" &&
    space !== "lps" &&
    space !== "scanner-xyz" &&
    space !== "3d-right-handed"
  ) {
    throw new RadiomicsError(
      "unsupported",
      `${file}: space "${header.space}" is not one radlab maps to patient space`,
      {
        file,
        path: "space",
        hint: "Save the image in left-posterior-superior or right-anterior-superior space.",
      },
    );
  }
  const count = sizes[0]! * sizes[1]! * sizes[2]!;
  const encoding = (header.encoding ?? "raw").toLowerCase();
  let payload: Uint8Array = bytes.subarray(dataOffset);
  let data: Float64Array;
  if (encoding === "ascii" || encoding === "text" || encoding === "txt") {
    const values = new TextDecoder("latin1").decode(payload).trim().split(/\s+/).map(Number);
    if (values.length < count)
      fail(
        file,
        "data",
        `holds ${values.length} values, the sizes need ${count}`,
        "The file is truncated; export it again.",
      );
    data = Float64Array.from(values.slice(0, count));
  } else {
    if (encoding === "gzip" || encoding === "gz") {
      try {
        payload = gunzipSync(payload);
      } catch (cause) {
        throw new RadiomicsError("input", `${file}: the gzip data cannot be decompressed`, {
          file,
          path: "data",
          hint: "The file is damaged; export it again.",
          cause,
        });
      }
    } else if (encoding !== "raw") {
      throw new RadiomicsError("unsupported", `${file}: encoding "${header.encoding}" is not read by radlab`, {
        file,
        path: "encoding",
        hint: "Save the NRRD with raw or gzip encoding.",
      });
    }
    const skip = Number(header["byte skip"] ?? 0);
    if (skip === -1) payload = payload.subarray(payload.length - count * typeBytes);
    else if (skip > 0) payload = payload.subarray(skip);
    if (payload.length < count * typeBytes) {
      fail(
        file,
        "data",
        `holds ${payload.length} bytes of data, the sizes and type need ${count * typeBytes}`,
        "The file is truncated; export it again.",
      );
    }
    const little = (header.endian ?? "little").toLowerCase() !== "big";
    data = readStoredValues(payload, type, count, little);
  }
  return {
    dims: sizes as unknown as Triple,
    spacing: spacing as unknown as Triple,
    origin: origin as unknown as Triple,
    direction,
    data,
    source: file,
    pixelType: type,
  };
}
