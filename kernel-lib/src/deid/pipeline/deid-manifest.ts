import { appendFileSync, existsSync, readFileSync } from "node:fs";
import * as path from "node:path";

/** The file in a de-identification output folder that lists every instance that passed the gate. */
export const DEID_MANIFEST = "radlab-deid-manifest.jsonl";

/**
 * One instance that passed de-identification and its verification, as recorded in the output
 * folder's manifest. Holds no original identifier: research IDs, new UIDs and content hashes.
 */
export interface ManifestEntry {
  readonly format: "radlab-deid-manifest";
  readonly version: 1;
  readonly run: string;
  /** The output file, relative to the output folder. */
  readonly file: string;
  /** SHA-256 of the output file's bytes: the store admits exactly these bytes. */
  readonly sha256: string;
  readonly sopInstanceUid: string;
  readonly researchId: string;
  readonly profile: { readonly name: string; readonly version: string };
  readonly pixels: "not-scanned" | "clean" | "masked";
  readonly maskedRegions: number;
  readonly at: string;
}

/** Appends entries to the manifest (one JSON line each: an interrupted write loses at most its own line). */
export function appendManifest(folder: string, entries: readonly ManifestEntry[]): void {
  if (entries.length === 0) return;
  appendFileSync(path.join(folder, DEID_MANIFEST), entries.map((e) => `${JSON.stringify(e)}\n`).join(""));
}

/**
 * Reads a de-identification manifest: the entries of every run into `folder`, by output file.
 * A torn last line (a crash while writing) is skipped; so is anything that is not a manifest entry.
 */
export function readManifest(folder: string): Map<string, ManifestEntry> {
  const file = path.join(folder, DEID_MANIFEST);
  const entries = new Map<string, ManifestEntry>();
  if (!existsSync(file)) return entries;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    let entry: Partial<ManifestEntry>;
    try {
      entry = JSON.parse(line) as Partial<ManifestEntry>;
    } catch {
      continue;
    }
    if (
      entry.format === "radlab-deid-manifest" &&
      typeof entry.file === "string" &&
      typeof entry.sha256 === "string" &&
      /^[0-9a-f]{64}$/.test(entry.sha256)
    ) {
      entries.set(entry.file, entry as ManifestEntry);
    }
  }
  return entries;
}
