import * as fs from "node:fs";
import * as path from "node:path";
import type { DicomWebConnection } from "./dicomweb-connection";
import type { Enrollment } from "./enrollment";
import type { RetrievedInstance } from "./hashed-file";
import { PacsError } from "./pacs-error";
import {
  MANIFEST_FORMAT,
  readPullManifest,
  writePullManifest,
  type ManifestStudy,
  type PullManifest,
} from "./pull-manifest";
import { searchInstances, searchStudies, type DateRange } from "./qido";
import { retrieveInstance, retrieveStudy } from "./wado";

/** Counts reported while a pull runs. */
export interface PullProgress {
  readonly rowsTotal: number;
  readonly rowsSearched: number;
  readonly studiesTotal: number;
  readonly studiesComplete: number;
  /** Instances recorded in the manifest (all runs). */
  readonly instancesDone: number;
  /** Instances fetched by this run. */
  readonly instancesPulled: number;
  /** Bytes fetched by this run. */
  readonly bytesPulled: number;
}

/** Options of {@link pullEnrollment}. */
export interface PullOptions {
  readonly connection: DicomWebConnection;
  readonly enrollment: Enrollment;
  /** The staging folder: `instances/` and `pull-manifest.json` go here. */
  readonly folder: string;
  /** Only studies in this date range. */
  readonly studyDate?: DateRange;
  /** Only studies with a series of this modality. */
  readonly modalitiesInStudy?: string;
  readonly signal?: AbortSignal;
  /** Called after each search and each instance; throwing from it stops the pull (the manifest is kept). */
  readonly onProgress?: (progress: PullProgress) => void;
}

/** The outcome of {@link pullEnrollment}. */
export interface PullSummary {
  /** Absolute path of the manifest. */
  readonly manifestFile: string;
  readonly studies: number;
  readonly complete: number;
  /** Study Instance UIDs still incomplete, with the reason; run again to retry them. */
  readonly failed: readonly { readonly studyInstanceUid: string; readonly error: string }[];
  /** Enrollment rows for which the PACS has no study. */
  readonly rowsWithoutStudies: readonly number[];
  readonly instances: number;
  readonly instancesPulled: number;
  readonly bytesPulled: number;
}

const INSTANCES = "instances";
const SAVE_EVERY_MS = 500;

/**
 * Pulls every study of an enrollment list from a DICOMweb PACS into a staging folder, resumably.
 *
 * For each row, QIDO-RS finds the studies of the patient (or the study of the accession number);
 * WADO-RS then streams each study to `instances/{sha256}.dcm` (files are named by content, never
 * by identifiers). `pull-manifest.json` records, per study, the enrollment row, the Study Instance
 * UID, every instance with its SHA-256 and relative file name, and a status. It is rewritten
 * atomically as the pull goes, so after an interruption (abort, error, crash) a re-run with the
 * same arguments skips complete studies and fetches only the missing instances of the others;
 * content naming means an instance fetched twice is still stored once.
 *
 * Before anything is retrieved, the pull checks that each research ID names one patient and each
 * patient has one research ID across the rows (accession-number lists can reveal this only here).
 *
 * The pulled files still identify patients: de-identify them (`deid/`) before the research store.
 *
 * @throws {@link PacsError} `manifest` when the folder holds another pull, `enrollment` when rows
 *   map research IDs and patients inconsistently, `aborted`, `unauthorized`, or the search errors
 *   of {@link searchStudies}; whatever the callback threw. Studies that fail to retrieve do not
 *   throw: they are listed in {@link PullSummary.failed}.
 * @example
 * ```ts
 * import { dicomWebConnection, pullEnrollment, readEnrollmentFile } from "@radlab/kernel";
 * const summary = await pullEnrollment({
 *   connection: dicomWebConnection({ baseUrl: "https://pacs.example.org/dicom-web" }),
 *   enrollment: readEnrollmentFile("/secure/trial-42/enrollment.csv"),
 *   folder: "/staging/trial-42",
 *   onProgress: (p) => process.stderr.write(`\r${p.instancesDone} instances`),
 * });
 * summary.failed.length; // 0 when every study is complete
 * ```
 */
export async function pullEnrollment(options: PullOptions): Promise<PullSummary> {
  const { connection, enrollment, folder } = options;
  fs.mkdirSync(path.join(folder, INSTANCES), { recursive: true });
  const expected = { source: connection.baseUrl, enrollmentSha256: enrollment.sha256 };
  const manifest: PullManifest = readPullManifest(folder, expected) ?? {
    format: MANIFEST_FORMAT,
    ...expected,
    searched: {},
    studies: {},
  };
  // Our own controller, so that an error thrown by the progress callback stops the transfer
  // in flight instead of being taken for a network failure.
  const controller = new AbortController();
  const forward = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted === true) forward();
  options.signal?.addEventListener("abort", forward, { once: true });
  let callbackError: { error: unknown } | undefined;
  let instancesPulled = 0;
  let bytesPulled = 0;
  let lastSave = 0;
  const save = (force: boolean) => {
    const now = Date.now();
    if (force || now - lastSave >= SAVE_EVERY_MS) {
      writePullManifest(folder, manifest);
      lastSave = now;
    }
  };
  const studies = () => Object.values(manifest.studies);
  const progress = () => {
    if (options.onProgress === undefined || callbackError !== undefined) return;
    const all = studies();
    try {
      options.onProgress({
        rowsTotal: enrollment.rows.length,
        rowsSearched: Object.keys(manifest.searched).length,
        studiesTotal: all.length,
        studiesComplete: all.filter((s) => s.status === "complete").length,
        instancesDone: all.reduce((n, s) => n + Object.keys(s.instances).length, 0),
        instancesPulled,
        bytesPulled,
      });
    } catch (error) {
      callbackError = { error };
      controller.abort(error);
    }
  };
  const signal = controller.signal;
  const stopIfAsked = () => {
    if (callbackError !== undefined) throw callbackError.error;
    if (signal.aborted)
      throw new PacsError("aborted", "The pull was aborted; run it again to resume.", { file: folder });
  };

  try {
    // 1. Search: one QIDO-RS query per enrollment row not searched yet.
    for (const row of enrollment.rows) {
      if (manifest.searched[String(row.line)] !== undefined) continue;
      stopIfAsked();
      const matches = await searchStudies(
        connection,
        {
          [row.key]: row.value,
          ...(options.studyDate === undefined ? {} : { StudyDate: options.studyDate }),
          ...(options.modalitiesInStudy === undefined ? {} : { ModalitiesInStudy: options.modalitiesInStudy }),
        },
        { includeFields: ["PatientID"], signal },
      );
      const found: string[] = [];
      for (const match of matches) {
        const uid = match.string("StudyInstanceUID");
        if (uid === undefined) continue;
        found.push(uid);
        manifest.studies[uid] ??= {
          row,
          studyInstanceUid: uid,
          patientId: match.string("PatientID") ?? "",
          status: "pending",
          expectedInstances: undefined,
          instances: {},
          error: undefined,
        };
      }
      manifest.searched[String(row.line)] = found;
      save(true);
      progress();
    }
    checkIdentities(studies());

    // 2. Retrieve every study that is not complete.
    for (const study of studies()) {
      if (study.status === "complete" && instancesOnDisk(folder, study)) continue;
      stopIfAsked();
      await pullStudy(study);
      save(true);
      progress();
    }
    stopIfAsked();
  } catch (error) {
    save(true);
    if (callbackError !== undefined) throw callbackError.error;
    if (signal.aborted && !(error instanceof PacsError && error.code === "aborted")) {
      throw new PacsError("aborted", "The pull was aborted; run it again to resume.", { file: folder, cause: error });
    }
    throw error;
  } finally {
    options.signal?.removeEventListener("abort", forward);
  }
  const all = studies();
  const failed = all.filter((s) => s.status !== "complete");
  if (failed.length === 0) sweepUnreferenced(folder, all);
  return Object.freeze({
    manifestFile: path.resolve(folder, "pull-manifest.json"),
    studies: all.length,
    complete: all.length - failed.length,
    failed: failed.map((s) => ({ studyInstanceUid: s.studyInstanceUid, error: s.error ?? "incomplete" })),
    rowsWithoutStudies: enrollment.rows
      .filter((r) => manifest.searched[String(r.line)]?.length === 0)
      .map((r) => r.line),
    instances: all.reduce((n, s) => n + Object.keys(s.instances).length, 0),
    instancesPulled,
    bytesPulled,
  });

  async function pullStudy(study: ManifestStudy): Promise<void> {
    const folderOut = path.join(folder, INSTANCES);
    const record = (instance: RetrievedInstance) => {
      study.instances[instance.sopInstanceUid] = {
        seriesInstanceUid: instance.seriesInstanceUid,
        sha256: instance.sha256,
        file: `${INSTANCES}/${path.basename(instance.file)}`,
        bytes: instance.bytes,
      };
      instancesPulled++;
      bytesPulled += instance.bytes;
      save(false);
      progress();
      if (callbackError !== undefined) throw callbackError.error;
    };
    try {
      const listed = await searchInstances(
        connection,
        { StudyInstanceUID: study.studyInstanceUid },
        { includeFields: ["SeriesInstanceUID", "SOPInstanceUID"], signal },
      );
      study.expectedInstances = listed.length;
      // Forget instances whose file has gone (deleted or never renamed into place).
      for (const [uid, instance] of Object.entries(study.instances)) {
        if (!fileMatches(path.join(folder, instance.file), instance.bytes)) delete study.instances[uid];
      }
      const missing = listed.filter((m) => study.instances[m.string("SOPInstanceUID") ?? ""] === undefined);
      const errors: string[] = [];
      if (Object.keys(study.instances).length === 0) {
        const result = await retrieveStudy(connection, study.studyInstanceUid, folderOut, {
          signal,
          onInstance: record,
        });
        for (const failure of result.failures) errors.push(`${failure.sopInstanceUid}: ${failure.error.message}`);
      } else {
        for (const match of missing) {
          stopIfAsked();
          const series = match.string("SeriesInstanceUID");
          const sop = match.string("SOPInstanceUID");
          if (series === undefined || sop === undefined) continue;
          try {
            await retrieveInstance(connection, study.studyInstanceUid, series, sop, folderOut, {
              signal,
              onInstance: record,
            });
          } catch (error) {
            if (signal.aborted || callbackError !== undefined) throw error;
            if (error instanceof PacsError && error.code === "unauthorized") throw error;
            errors.push(`${sop}: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
      }
      const stillMissing = listed.filter((m) => study.instances[m.string("SOPInstanceUID") ?? ""] === undefined).length;
      study.status = stillMissing === 0 && errors.length === 0 ? "complete" : "failed";
      study.error =
        study.status === "complete"
          ? undefined
          : `${stillMissing} of ${listed.length} instances missing. ${errors.slice(0, 3).join(" ")}`.trim();
    } catch (error) {
      if (signal.aborted || callbackError !== undefined) throw error;
      if (error instanceof PacsError && error.code === "unauthorized") throw error;
      study.status = "failed";
      study.error = error instanceof Error ? error.message : String(error);
    }
  }
}

function fileMatches(file: string, bytes: number): boolean {
  try {
    return fs.statSync(file).size === bytes;
  } catch {
    return false;
  }
}

function instancesOnDisk(folder: string, study: ManifestStudy): boolean {
  return Object.values(study.instances).every((i) => fileMatches(path.join(folder, i.file), i.bytes));
}

/** A research ID must name one patient, and a patient must have one research ID. */
function checkIdentities(studies: readonly ManifestStudy[]): void {
  const patientsOf = new Map<string, Set<string>>();
  const researchOf = new Map<string, Set<string>>();
  for (const s of studies) {
    if (s.patientId === "") continue;
    (patientsOf.get(s.row.researchId) ?? patientsOf.set(s.row.researchId, new Set()).get(s.row.researchId))?.add(
      s.patientId,
    );
    (researchOf.get(s.patientId) ?? researchOf.set(s.patientId, new Set()).get(s.patientId))?.add(s.row.researchId);
  }
  const issues = [
    ...[...patientsOf]
      .filter(([, p]) => p.size > 1)
      .map(([r]) => `research ID ${r} matches studies of ${patientsOf.get(r)?.size} patients`),
    ...[...researchOf]
      .filter(([, r]) => r.size > 1)
      .map(([, r]) => `one patient has research IDs ${[...r].sort().join(", ")}`),
  ];
  if (issues.length === 0) return;
  const lines = [...new Set(studies.map((s) => s.row.line))].sort((a, b) => a - b);
  throw new PacsError("enrollment", `The enrollment list disagrees with the PACS: ${issues.join("; ")}.`, {
    issues: issues.map((message) => ({ code: "conflicting-research-id" as const, line: lines[0] ?? 0, message })),
    hint: "Give each patient exactly one research ID in the list; nothing was retrieved.",
  });
}

/** After a complete pull, removes instance files that no study references (left by a crash). */
function sweepUnreferenced(folder: string, studies: readonly ManifestStudy[]): void {
  const referenced = new Set(studies.flatMap((s) => Object.values(s.instances).map((i) => path.basename(i.file))));
  const dir = path.join(folder, INSTANCES);
  for (const name of fs.readdirSync(dir)) {
    if ((/^[0-9a-f]{64}\.dcm$/.test(name) && !referenced.has(name)) || name.startsWith(".partial-")) {
      fs.rmSync(path.join(dir, name), { force: true });
    }
  }
}
