import { createHash, randomUUID } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { listFiles } from "../../core/list-files";
import { RadlabError } from "../../core/radlab-error";
import { readDicom } from "../../dicom/read";
import { writeDicom } from "../../dicom/write";
import { progress, type Progress } from "../../display/progress";
import type { DisplaySink } from "../../display/display-sink";
import { loadReidentificationKey, saveReidentificationKey } from "../header/key-file";
import { exportPatientIdMappingCsv, exportUidMappingCsv } from "../header/mapping-export";
import type { DeidProfile } from "../header/profile";
import { ReidentificationKey } from "../header/reidentification-key";
import { createOcrPool, type OcrPool } from "../pixels/ocr-pool";
import type { TextReader } from "../pixels/ocr-types";
import { appendManifest, readManifest, type ManifestEntry } from "./deid-manifest";
import { DeidRunReport, type QuarantinedFile } from "./deid-run-report";
import { deidentifyInstance } from "./deidentify-instance";
import type { Enrollment } from "../../pacs/enrollment";

/** Options of {@link deidentifyFolder}. */
export interface FolderDeidOptions {
  readonly profile: DeidProfile;
  /**
   * The encrypted re-identification key file: loaded when it exists (research IDs, UIDs and date
   * offsets stay consistent with earlier runs), created otherwise. Must not lie inside the output.
   */
  readonly keyFile: string;
  /** The AES-256 key that encrypts `keyFile` (see `readEncryptionKey`). */
  readonly encryptionKey: Uint8Array;
  readonly enrollment?: Enrollment;
  /**
   * Where the run's quarantine report goes (it names input files, which may carry identifiers):
   * default `reports/` beside the key file, never inside the output.
   */
  readonly reportFolder?: string;
  /** Also write `uid_mapping.csv` and `patid_mapping.csv` (TCIA MIDI-B form) here; not inside the output. */
  readonly mappingFolder?: string;
  /** An OCR reader to share; default a pool created when the first image needs one. */
  readonly reader?: TextReader;
  /** Scan the pixels of every image for burned-in text. */
  readonly scanAllPixels?: boolean;
  /** A sink for the progress bar (default the notebook's; `null` for none). */
  readonly progressSink?: DisplaySink | null;
}

/**
 * De-identifies every file under `input` into `output` (a batch job beside the PACS, or a notebook
 * cell): each instance is de-identified and verified by {@link deidentifyInstance}; what passed is
 * written (uncompressed when pixels were masked) as `<research ID>/<study UID>/<series UID>/<SOP
 * instance UID>.dcm` (new identifiers only) and listed in the output's manifest with its content
 * hash, which is what the research store admits; what did not pass is written nowhere and listed
 * in the quarantine report with its reason. Originals are never modified. Resumable: a re-run
 * skips what the manifest already lists; the key is saved before the first output of each new
 * patient, so pseudonyms never change under written files.
 *
 * @throws {@link RadlabError} `deid-folders` when the output lies inside the input (or the reverse),
 *   and the key-file errors of `loadReidentificationKey` / `saveReidentificationKey`.
 * @example
 * ```ts
 * import { BASIC_PROFILE, deidentifyFolder, display, readEncryptionKey } from "@radlab/kernel";
 * const report = await deidentifyFolder("/staging/pulled", "/research/deid", {
 *   profile: { ...BASIC_PROFILE, options: ["clean-pixel-data", "retain-longitudinal-modified-dates"] },
 *   keyFile: "/secure/study.reid",
 *   encryptionKey: readEncryptionKey(),
 * });
 * display(report);
 * ```
 */
export async function deidentifyFolder(
  input: string,
  output: string,
  options: FolderDeidOptions,
): Promise<DeidRunReport> {
  const run = randomUUID();
  const started = Date.now();
  const files = listFiles(input);
  mkdirSync(output, { recursive: true });
  checkApart(input, output);
  const key = existsSync(options.keyFile)
    ? loadReidentificationKey(options.keyFile, options.encryptionKey)
    : ReidentificationKey.create();
  const saveKey = () =>
    saveReidentificationKey(key, options.keyFile, { encryptionKey: options.encryptionKey, outputFolders: [output] });
  saveKey();
  const reportFolder = options.reportFolder ?? path.join(path.dirname(path.resolve(options.keyFile)), "reports");
  for (const [what, folder] of [
    ["report folder", reportFolder],
    ["mapping folder", options.mappingFolder],
  ] as const) {
    if (folder !== undefined && isInside(folder, output)) {
      throw new RadlabError("deid-folders", `The ${what} ${folder} is inside the output ${output}.`, {
        file: folder,
        hint: "Keep reports and mappings (they link to original identities) apart from the research data.",
      });
    }
  }

  const done = readManifest(output);
  const bar: Progress = progress({
    label: `De-identifying ${path.basename(input)}`,
    total: files.length,
    unit: "files",
    ...(options.progressSink === undefined ? {} : { sink: options.progressSink }),
  });
  let pool: OcrPool | undefined;
  const reader: TextReader = options.reader ?? {
    read: async (image) => {
      pool ??= await createOcrPool();
      return pool.read(image);
    },
  };
  const counts = { passed: 0, alreadyDone: 0, masked: 0 };
  const quarantined: QuarantinedFile[] = [];
  try {
    for (const file of files) {
      const rel = path.relative(input, file);
      try {
        const ds = readDicom(readFileSync(file), { file: rel });
        const patientsBefore = key.patients().length;
        const outcome = await deidentifyInstance(ds, {
          profile: options.profile,
          key,
          reader,
          ...(options.enrollment === undefined ? {} : { enrollment: options.enrollment }),
          ...(options.scanAllPixels === true ? { scanAllPixels: true } : {}),
        });
        if (key.patients().length !== patientsBefore) saveKey();
        if (outcome.status === "quarantined") {
          quarantined.push({
            file: rel,
            code: outcome.code,
            reason: outcome.reason,
            elements: outcome.findings.map((f) => f.path),
          });
        } else {
          const out = outcome.dataset;
          const target = [
            outcome.audit.researchId,
            out.string("StudyInstanceUID") ?? "no-study",
            out.string("SeriesInstanceUID") ?? "no-series",
            `${outcome.audit.sopInstanceUid}.dcm`,
          ].join("/");
          if (done.has(target) && existsSync(path.join(output, target))) {
            counts.alreadyDone += 1;
          } else {
            const bytes = writeDicom(out);
            writeAtomically(path.join(output, target), bytes);
            const entry: ManifestEntry = {
              format: "radlab-deid-manifest",
              version: 1,
              run,
              file: target,
              sha256: createHash("sha256").update(bytes).digest("hex"),
              sopInstanceUid: outcome.audit.sopInstanceUid,
              researchId: outcome.audit.researchId,
              profile: outcome.audit.profile,
              pixels: outcome.pixels.verdict === "quarantine" ? "not-scanned" : outcome.pixels.verdict,
              maskedRegions: outcome.pixels.boxes.length,
              at: new Date().toISOString(),
            };
            appendFileSync(
              path.join(output, "radlab-deid-audit.jsonl"),
              `${JSON.stringify({ run, file: target, ...outcome.audit })}\n`,
            );
            appendManifest(output, [entry]);
            done.set(target, entry);
            counts.passed += 1;
            if (outcome.pixels.verdict === "masked") counts.masked += 1;
          }
        }
      } catch (error) {
        quarantined.push({
          file: rel,
          code: error instanceof RadlabError ? error.code : "unreadable",
          reason: (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "",
          elements: [],
        });
      }
      bar.advance();
    }
  } finally {
    await pool?.terminate();
  }
  saveKey();
  const report = new DeidRunReport({
    run,
    input: path.basename(input),
    files: files.length,
    passed: counts.passed,
    alreadyDone: counts.alreadyDone,
    masked: counts.masked,
    quarantined,
    seconds: (Date.now() - started) / 1000,
  });
  mkdirSync(reportFolder, { recursive: true, mode: 0o700 });
  writeFileSync(path.join(reportFolder, `deid-${run}.json`), JSON.stringify(report.toJSON(), null, 1), { mode: 0o600 });
  if (options.mappingFolder !== undefined) {
    mkdirSync(options.mappingFolder, { recursive: true, mode: 0o700 });
    writeFileSync(path.join(options.mappingFolder, "uid_mapping.csv"), exportUidMappingCsv(key), { mode: 0o600 });
    writeFileSync(path.join(options.mappingFolder, "patid_mapping.csv"), exportPatientIdMappingCsv(key), {
      mode: 0o600,
    });
  }
  if (quarantined.length === 0) bar.succeed(report.summary);
  else bar.fail(report.summary);
  return report;
}

function writeAtomically(file: string, bytes: Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.partial-${process.pid}`;
  writeFileSync(temporary, bytes);
  renameSync(temporary, file);
}

function isInside(child: string, parent: string): boolean {
  const real = (p: string) => (existsSync(p) ? realpathSync(p) : path.resolve(p));
  const relative = path.relative(real(parent), real(child));
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

function checkApart(input: string, output: string): void {
  if (isInside(output, input) || isInside(input, output)) {
    throw new RadlabError("deid-folders", `The output ${output} and the input ${input} overlap.`, {
      file: output,
      hint: "Write de-identified files to a folder outside the input (and the input outside it).",
    });
  }
}
