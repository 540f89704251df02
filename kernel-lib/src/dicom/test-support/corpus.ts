import * as fs from "node:fs";
import * as path from "node:path";

/** ../shared/data/dicom, beside the repository. */
export const DICOM_DATA = path.resolve(__dirname, "../../../../../shared/data/dicom");

/** One row of the corpus INVENTORY.tsv files. */
export interface InventoryRow {
  readonly path: string;
  readonly modality: string;
  readonly transferSyntax: string;
  readonly rows: number;
  readonly columns: number;
  readonly frames: number;
  readonly samplesPerPixel: number;
  readonly bits: number;
  readonly photometric: string;
}

/** Every file under ../shared/data/dicom (README, LICENSE and INVENTORY files excluded), sorted. */
export function corpusFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (!/^(README|LICENSE|MANIFEST|INVENTORY|FileInfo)/i.test(entry.name)) out.push(full);
    }
  };
  walk(DICOM_DATA);
  return out.sort();
}

/** The inventory rows of both sets, keyed by path relative to DICOM_DATA. */
export function inventory(): Map<string, InventoryRow> {
  const rows = new Map<string, InventoryRow>();
  for (const set of ["pydicom", "dicomparser"]) {
    const [header, ...lines] = fs
      .readFileSync(path.join(DICOM_DATA, set, "INVENTORY.tsv"), "utf8")
      .trim()
      .split("\n");
    const names = (header ?? "").split("\t");
    for (const line of lines) {
      const cells = line.split("\t");
      const get = (name: string) => cells[names.indexOf(name)] ?? "";
      rows.set(`${set}/${get("path")}`, {
        path: `${set}/${get("path")}`,
        modality: get("modality"),
        transferSyntax: get("ts"),
        rows: Number(get("rows")) || 0,
        columns: Number(get("cols")) || 0,
        frames: Number(get("frames")) || 1,
        samplesPerPixel: Number(get("spp")) || 0,
        bits: Number(get("bits")) || 0,
        photometric: get("photo"),
      });
    }
  }
  return rows;
}
