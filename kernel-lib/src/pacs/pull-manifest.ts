import * as fs from "node:fs";
import * as path from "node:path";
import type { EnrollmentRow } from "./enrollment";
import { PacsError } from "./pacs-error";

/** The manifest's file name inside a pull's output folder. */
export const MANIFEST_FILE = "pull-manifest.json";
/** The format tag written in every manifest. */
export const MANIFEST_FORMAT = "radlab-pull-manifest/1";

/** One instance recorded in the manifest. */
export interface ManifestInstance {
  readonly seriesInstanceUid: string;
  readonly sha256: string;
  /** Relative to the pull folder: `instances/{sha256}.dcm`. */
  readonly file: string;
  readonly bytes: number;
}

/** One study of a pull: which enrollment row found it, and what of it is on disk. */
export interface ManifestStudy {
  readonly row: EnrollmentRow;
  readonly studyInstanceUid: string;
  /** (0010,0020) Patient ID of the study, to check that a research ID names one patient. */
  readonly patientId: string;
  /** `complete` once every instance the PACS listed is on disk with its hash. */
  status: "pending" | "complete" | "failed";
  /** How many instances the PACS listed for the study at the last attempt. */
  expectedInstances: number | undefined;
  /** Keyed by SOP Instance UID. */
  instances: Record<string, ManifestInstance>;
  /** Why the last attempt failed. */
  error: string | undefined;
}

/** The state of a pull, kept in `{folder}/pull-manifest.json` (staging area: it holds identifiers). */
export interface PullManifest {
  readonly format: typeof MANIFEST_FORMAT;
  /** The DICOMweb root the pull reads from. */
  readonly source: string;
  /** SHA-256 of the enrollment CSV: a re-run must use the same list. */
  readonly enrollmentSha256: string;
  /** Lines of the enrollment rows already searched, with the studies each found. */
  searched: Record<string, readonly string[]>;
  /** Keyed by Study Instance UID. */
  studies: Record<string, ManifestStudy>;
}

/**
 * Reads the manifest of a pull folder, or returns `undefined` when there is none yet.
 *
 * @throws {@link PacsError} `manifest` when the file is not a pull manifest, or belongs to a pull
 *   from another source or with another enrollment list.
 * @example
 * ```ts
 * import { readPullManifest } from "@radlab/kernel";
 * const manifest = readPullManifest("/staging/trial-42");
 * Object.values(manifest?.studies ?? {}).filter((s) => s.status !== "complete").length;
 * ```
 */
export function readPullManifest(
  folder: string,
  expect?: { readonly source: string; readonly enrollmentSha256: string },
): PullManifest | undefined {
  const file = path.join(folder, MANIFEST_FILE);
  if (!fs.existsSync(file)) return undefined;
  let manifest: PullManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(file, "utf8")) as PullManifest;
  } catch (cause) {
    throw new PacsError("manifest", `${file} is not valid JSON.`, {
      file,
      cause,
      hint: "The manifest is written atomically, so this file was edited by hand; restore it or start a new folder.",
    });
  }
  if (
    manifest.format !== MANIFEST_FORMAT ||
    typeof manifest.studies !== "object" ||
    typeof manifest.searched !== "object"
  ) {
    throw new PacsError("manifest", `${file} is not a ${MANIFEST_FORMAT} manifest.`, {
      file,
      hint: "Use an empty folder for a new pull.",
    });
  }
  if (
    expect !== undefined &&
    (manifest.source !== expect.source || manifest.enrollmentSha256 !== expect.enrollmentSha256)
  ) {
    throw new PacsError(
      "manifest",
      `${file} belongs to another pull (${manifest.source !== expect.source ? "another PACS" : "another enrollment list"}).`,
      { file, hint: "Resume with the same PACS and enrollment list, or use an empty folder for a new pull." },
    );
  }
  return manifest;
}

/** Writes the manifest atomically: a temporary file, fsync, then rename over the old one. */
export function writePullManifest(folder: string, manifest: PullManifest): void {
  const file = path.join(folder, MANIFEST_FILE);
  const temp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(temp, "w");
  try {
    fs.writeSync(fd, JSON.stringify(manifest, null, 1));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
}
