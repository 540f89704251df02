import { canonicalJson } from "../core/canonical-json";
import { sha256Hex } from "../store/object-store";

/** The manifest's format name, first in its header line. */
export const DATASET_MANIFEST_FORMAT = "radlab-dataset-manifest/1";

/** One member of a dataset version, as the manifest freezes it. */
export interface DatasetMember {
  /** The instance's content hash in the store. */
  readonly sha256: string;
  readonly patientId: string;
  readonly split: string;
  /** Label set to its values (sorted), for every classification set the dataset carries. */
  readonly labels: Readonly<Record<string, readonly string[]>>;
  /** The content hashes of the member's region annotations (sorted). */
  readonly annotations: readonly string[];
}

/**
 * The manifest of a version as text: a header line (format, dataset name, parameters), then one
 * line per member sorted by content hash, every line canonical JSON. The version's id is the
 * SHA-256 of this text, so it depends on the content alone: the same members, labels, split and
 * parameters give the same id on any machine, in any run.
 */
export function manifestText(dataset: string, parameters: unknown, members: readonly DatasetMember[]): string {
  const sorted = [...members].sort((a, b) => (a.sha256 < b.sha256 ? -1 : a.sha256 > b.sha256 ? 1 : 0));
  const lines = [canonicalJson({ format: DATASET_MANIFEST_FORMAT, dataset, parameters })];
  for (const m of sorted) lines.push(canonicalJson([m.sha256, m.patientId, m.split, m.labels, m.annotations]));
  return `${lines.join("\n")}\n`;
}

/** The id of a version: the SHA-256 of its manifest text. */
export function manifestId(text: string): string {
  return sha256Hex(Buffer.from(text, "utf8"));
}

/** Reads the members back from a manifest's text (the inverse of {@link manifestText}). */
export function parseManifest(text: string): { dataset: string; parameters: unknown; members: DatasetMember[] } {
  const [head, ...lines] = text.split("\n").filter((l) => l !== "");
  const header = JSON.parse(head ?? "{}") as { format?: string; dataset?: string; parameters?: unknown };
  if (header.format !== DATASET_MANIFEST_FORMAT)
    throw new Error(`Not a ${DATASET_MANIFEST_FORMAT} manifest (format ${String(header.format)}).`);
  const members = lines.map((line) => {
    const [sha256, patientId, split, labels, annotations] = JSON.parse(line) as [
      string,
      string,
      string,
      Record<string, string[]>,
      string[],
    ];
    return { sha256, patientId, split, labels, annotations };
  });
  return { dataset: header.dataset ?? "", parameters: header.parameters, members };
}
