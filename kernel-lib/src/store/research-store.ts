import { readCsvRecords } from "../core/csv-field";
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { listFiles } from "../core/list-files";
import { RadlabError } from "../core/radlab-error";
import type { DicomDataset } from "../dicom/dataset";
import { DicomError } from "../dicom/dicom-errors";
import { readDicom } from "../dicom/read";
import { writeDicom } from "../dicom/write";
import { admit, type AdmissionDeclaration } from "../deid/admission";
import { DEID_MANIFEST, readManifest } from "../deid/pipeline/deid-manifest";
import { progress, type Progress } from "../display/progress";
import { sqlTimestamp, type Database, type SqlRow, type SqlValue } from "./database";
import { openDuckDb } from "./duckdb-database";
import { openPostgres } from "./postgres-database";
import { CatalogQuery } from "./catalog-query";
import { headerJson } from "./header-json";
import { IngestReport, type Rejection } from "./ingest-report";
import { migrate } from "./migrations";
import { ObjectStore, sha256Hex } from "./object-store";
import { wrapPng } from "./wrap-image";

/** Options of {@link openStore}. */
export interface StoreOptions {
  /** The store's folder (database and objects); default the `RADLAB_HOME` environment variable. */
  readonly home?: string;
  /**
   * A PostgreSQL connection string to keep the metadata in PostgreSQL instead of the embedded
   * DuckDB file (objects stay under `home`). Default: the `RADLAB_POSTGRES` environment variable,
   * else the embedded engine.
   */
  readonly postgres?: string;
}

/** Options of {@link ResearchStore.ingestDicomFolder}. */
export interface DicomIngestOptions {
  /** How the data claims to be de-identified; the store's single door (see `admit`). */
  readonly admission: AdmissionDeclaration;
  /** Show a progress bar in the notebook (default true). */
  readonly showProgress?: boolean;
}

/** Options of {@link ResearchStore.ingestImageFolder}. */
export interface ImageIngestOptions {
  /** Where the images come from, recorded as their de-identification source (for example `NIH Clinical Center`). */
  readonly source: string;
  /**
   * A CSV with columns `file`, `label`, `patient_id`, `view_position` and optionally
   * `nih_finding_labels` (the nih1000 layout). Without it, the label is the image's folder name and
   * the patient comes from NIH file names (`00000231_013.png`: patient 231, follow-up 13), the
   * layout of the original exercise (`No-Finding/`, `Pneumothorax/`).
   */
  readonly labelsCsv?: string;
  readonly showProgress?: boolean;
}

/**
 * Opens (creating if needed) a research store: a DuckDB database and content-addressed DICOM
 * objects under `home`. The schema is migrated to the current version.
 *
 * @throws {@link RadlabError} `store-home` when no home is given and `RADLAB_HOME` is not set.
 * @example
 * ```ts
 * import { openStore } from "@radlab/kernel";
 * const store = await openStore({ home: "/data/radlab" });
 * ```
 */
export async function openStore(options: StoreOptions = {}): Promise<ResearchStore> {
  const home = options.home ?? process.env["RADLAB_HOME"];
  if (home === undefined || home === "") {
    throw new RadlabError("store-home", "No research store location was given.", {
      hint: "Pass openStore({ home: '/path/to/store' }) or set the RADLAB_HOME environment variable.",
    });
  }
  mkdirSync(home, { recursive: true });
  const postgres = options.postgres ?? process.env["RADLAB_POSTGRES"];
  const db =
    postgres !== undefined && postgres !== ""
      ? await openPostgres(postgres)
      : await openDuckDb(path.join(home, "radlab.duckdb"));
  await migrate(db);
  return new ResearchStore(path.resolve(home), db);
}

/** The de-identified research store: ingest, query, and read back instances. */
export class ResearchStore {
  readonly objects: ObjectStore;

  constructor(
    readonly home: string,
    readonly db: Database,
  ) {
    this.objects = new ObjectStore(home);
  }

  /**
   * Ingests every file under `folder` (any names and nesting). Files that are not DICOM, broken,
   * refused by the admission door or conflicting are rejected with their reason; a file already
   * stored (same content hash) is counted and skipped, so a re-run adds nothing. One bad file never
   * stops the batch. Each instance is stored atomically (object first, then its rows in one
   * transaction), so an interrupted run leaves a consistent store and a re-run completes it.
   */
  async ingestDicomFolder(folder: string, options: DicomIngestOptions): Promise<IngestReport> {
    const files = listFiles(folder);
    return this.ingest(
      `DICOM folder ${path.basename(folder)}`,
      files.map((file) => ({ key: file, name: path.relative(folder, file) })),
      options.showProgress,
      async (file) => {
        const bytes = readFileSync(file);
        const ds = readDicom(bytes, { file: path.relative(folder, file) });
        return { bytes, ds, admission: options.admission, labels: [] };
      },
    );
  }

  /**
   * Ingests the output of radlab's de-identification (`deidentifyFolder` or `radlab deid`): only
   * files whose exact bytes the folder's manifest lists as having passed the verification gate are
   * admitted; any other file in the folder is rejected with the reason.
   *
   * @throws {@link RadlabError} `no-deid-manifest` when the folder has no de-identification manifest.
   * @example
   * ```ts
   * const report = await store.ingestDeidentified("/research/deid");
   * ```
   */
  async ingestDeidentified(folder: string, options: { readonly showProgress?: boolean } = {}): Promise<IngestReport> {
    const manifest = readManifest(folder);
    if (manifest.size === 0) {
      throw new RadlabError("no-deid-manifest", `${folder} has no de-identification manifest (${DEID_MANIFEST}).`, {
        file: folder,
        hint: "Give the output folder of deidentifyFolder() or `radlab deid`; other data enters through ingestDicomFolder with an admission declaration.",
      });
    }
    const files = listFiles(folder).filter((f) => !/^radlab-deid-.*\.jsonl$/.test(path.basename(f)));
    const admission: AdmissionDeclaration = {
      kind: "radlab-deid",
      passed: new Set([...manifest.values()].map((e) => e.sha256)),
      manifest: path.basename(folder),
    };
    return this.ingest(
      `de-identified ${path.basename(folder)}`,
      files.map((file) => ({ key: file, name: path.relative(folder, file) })),
      options.showProgress,
      async (file) => {
        const bytes = readFileSync(file);
        const ds = readDicom(bytes, { file: path.relative(folder, file) });
        return { bytes, ds, admission, labels: [] };
      },
    );
  }

  /**
   * Ingests a folder of PNG images (with a labels CSV, or labelled by folder name), each wrapped
   * as a DICOM Secondary Capture image carrying the CSV's metadata, admitted as de-identified at
   * their source, with labels stored in the `labels` table.
   */
  async ingestImageFolder(folder: string, options: ImageIngestOptions): Promise<IngestReport> {
    const rows = options.labelsCsv === undefined ? null : readCsvRecords(options.labelsCsv);
    const entries =
      rows === null
        ? listFiles(folder)
            .filter((f) => /\.png$/i.test(f))
            .map((f) => ({ file: f, row: null }))
        : rows.map((row) => ({ file: path.join(folder, row["file"] ?? ""), row }));
    const byFile = new Map(entries.map((e) => [e.file, e.row]));
    return this.ingest(
      `images ${path.basename(folder)}`,
      entries.map((e) => ({ key: e.file, name: path.relative(folder, e.file) })),
      options.showProgress,
      async (file) => {
        const row = byFile.get(file) ?? null;
        const name = path.basename(file);
        const nih = /^(\d{8})_(\d{3})\.png$/i.exec(name);
        const patientId = row?.["patient_id"] ?? (nih === null ? undefined : String(Number(nih[1])));
        if (patientId === undefined || patientId === "") {
          throw new DicomError(
            "dicom-parse",
            `${name}: no patient ID (no labels CSV row, and not an NIH file name NNNNNNNN_NNN.png).`,
            { file },
          );
        }
        const label = row?.["label"] ?? path.basename(path.dirname(file));
        const findings = (row?.["nih_finding_labels"] ?? "").split("|").filter((f) => f !== "");
        const ds = wrapPng(
          readFileSync(file),
          {
            patientId,
            studyKey: nih?.[2] ?? name,
            imageKey: name,
            source: options.source,
            modality: "DX",
            ...(row?.["view_position"] ? { viewPosition: row["view_position"] } : {}),
            ...(findings.length > 0 ? { comments: findings.join("|") } : {}),
          },
          path.relative(folder, file),
        );
        const labels = [{ set: "label", value: label }, ...findings.map((f) => ({ set: "nih_finding", value: f }))];
        return {
          bytes: writeDicom(ds),
          ds,
          admission: { kind: "deidentified-at-source", source: options.source } as const,
          labels,
        };
      },
    );
  }

  /**
   * Ingests datasets made in memory (wrapped images, header-only records, and later the output of
   * de-identification) through the same door and with the same guarantees as files.
   *
   * @param source - a name for the run, stored with it.
   * @param items - each dataset, its labels, and a name for the rejects report.
   */
  async ingestDatasets(
    source: string,
    items: readonly {
      readonly name: string;
      readonly dataset: DicomDataset;
      readonly labels?: readonly { set: string; value: string }[];
    }[],
    options: DicomIngestOptions,
  ): Promise<IngestReport> {
    // Keyed by position: two items that share a name are still two instances.
    return this.ingest(
      source,
      items.map((item, index) => ({ key: String(index), name: item.name })),
      options.showProgress,
      async (key) => {
        const item = items[Number(key)];
        if (item === undefined) throw new RadlabError("ingest", `No dataset at position ${key}.`);
        return {
          bytes: writeDicom(item.dataset),
          ds: item.dataset,
          admission: options.admission,
          labels: item.labels ?? [],
        };
      },
    );
  }

  /** A query over the catalog: one row per instance with its patient, study, series and labels. */
  catalog(): CatalogQuery {
    return new CatalogQuery(this.db);
  }

  /** Runs parameterised SQL (`$1`, `$2`...) against the store. */
  query(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
    return this.db.all(sql, params);
  }

  /**
   * Reads a stored instance back by its content hash, from the object path its row records.
   *
   * @throws {@link RadlabError} `not-stored` when no instance has this hash.
   */
  async dataset(sha256: string): Promise<DicomDataset> {
    const row = (await this.db.all("SELECT object_path FROM instances WHERE sha256 = $1", [sha256]))[0];
    if (row === undefined) {
      throw new RadlabError("not-stored", `No instance with content hash ${sha256} is in the store at ${this.home}.`, {
        hint: "Take hashes from store.catalog() or store.query().",
      });
    }
    const rel = String(row["object_path"]);
    return readDicom(readFileSync(this.objects.absolutePath(rel)), { file: rel });
  }

  /** The rejected files of a run (default: every run), with their reasons. */
  rejects(runId?: string): Promise<SqlRow[]> {
    return runId === undefined
      ? this.db.all("SELECT run_id, file, code, reason FROM rejects ORDER BY run_id, file")
      : this.db.all("SELECT run_id, file, code, reason FROM rejects WHERE run_id = $1 ORDER BY file", [runId]);
  }

  close(): Promise<void> {
    return this.db.close();
  }

  private async ingest(
    source: string,
    entries: readonly { readonly key: string; readonly name: string }[],
    showProgress: boolean | undefined,
    load: (key: string) => Promise<LoadedInstance>,
  ): Promise<IngestReport> {
    const runId = randomUUID();
    const started = Date.now();
    await this.db.run("INSERT INTO ingest_runs (run_id, source, started_at) VALUES ($1, $2, now())", [runId, source]);
    const bar: Progress = progress({
      label: `Ingesting ${source}`,
      total: entries.length,
      unit: "files",
      ...(showProgress === false ? { sink: null } : {}),
    });
    const known = new Map<string, string>(); // SOP Instance UID -> sha256, stored or pending
    const knownContent = new Set<string>();
    for (const row of await this.db.all("SELECT sha256, sop_instance_uid FROM instances")) {
      known.set(String(row["sop_instance_uid"]), String(row["sha256"]));
      knownContent.add(String(row["sha256"]));
    }
    let batch = new PendingRows();
    let added = 0;
    let duplicates = 0;
    const rejected: Rejection[] = [];
    // One batch is written while the next is prepared: the database works on its own threads
    // while this one reads, hashes and stores objects. At most one write is in flight, and a
    // failed write stops the run (its objects stay, without rows, until a re-run adds them).
    let writing: Promise<void> = Promise.resolve();
    const flush = async () => {
      const full = batch;
      if (full.instances.length === 0 && full.rejects.length === 0) return;
      batch = new PendingRows();
      await writing;
      await Promise.all(full.objects);
      writing = this.db
        .transaction(() => full.write(this.db))
        .then(() => {
          added += full.instances.length;
        });
      writing.catch(() => undefined); // handled where it is awaited: the next flush or the end
    };
    for (const { key, name: rel } of entries) {
      try {
        const loaded = await load(key);
        const outcome = this.prepare(loaded, runId, known, knownContent, batch);
        if (outcome === "duplicate") duplicates += 1;
        else if (outcome !== "added") {
          rejected.push({ file: rel, code: outcome.code, reason: outcome.reason });
          batch.rejects.push([runId, rel, outcome.code, outcome.reason]);
        }
      } catch (error) {
        const code = error instanceof RadlabError ? error.code : "unreadable";
        const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
        rejected.push({ file: rel, code, reason });
        batch.rejects.push([runId, rel, code, reason]);
      }
      if (batch.instances.length >= BATCH) await flush();
      bar.advance();
    }
    await flush();
    await writing;
    bar.succeed(`${added} added, ${duplicates} already stored, ${rejected.length} rejected`);
    await this.db.run(
      "UPDATE ingest_runs SET finished_at = now(), added = $2, duplicates = $3, rejected = $4 WHERE run_id = $1",
      [runId, added, duplicates, rejected.length],
    );
    return new IngestReport(runId, source, added, duplicates, rejected, (Date.now() - started) / 1000);
  }

  /**
   * Admits one instance and writes its object; its rows wait in `batch` until the next flush.
   * An object without rows (after a crash) is harmless: the next run finds no row and adds it.
   */
  private prepare(
    { bytes, ds, admission: declaration, labels }: LoadedInstance,
    runId: string,
    known: Map<string, string>,
    knownContent: Set<string>,
    batch: PendingRows,
  ): "added" | "duplicate" | { code: string; reason: string } {
    const sha256 = sha256Hex(bytes);
    if (knownContent.has(sha256)) return "duplicate";
    const admission = admit(ds, declaration, sha256);
    if (!admission.admitted) return { code: admission.code, reason: admission.reason };
    const ids = {
      patient: ds.string("PatientID"),
      study: ds.string("StudyInstanceUID"),
      series: ds.string("SeriesInstanceUID"),
      instance: ds.string("SOPInstanceUID"),
    };
    const missing = Object.entries(ids)
      .filter(([, v]) => v === undefined || v === "")
      .map(([k]) => k);
    if (missing.length > 0) {
      return {
        code: "missing-identifiers",
        reason: `no ${missing.join(", ")} identifier: the instance cannot be placed in Patient > Study > Series`,
      };
    }
    const clash = known.get(ids.instance ?? "");
    if (clash !== undefined) {
      return {
        code: "conflicting-instance",
        reason: `SOP Instance UID ${ids.instance ?? ""} is already stored with other content (${clash.slice(0, 12)}…)`,
      };
    }
    const { relative: objectPath, written } = this.objects.putLater(bytes, sha256);
    batch.objects.push(written);
    known.set(ids.instance ?? "", sha256);
    knownContent.add(sha256);
    const num = (keyword: Parameters<DicomDataset["number"]>[0]) => ds.number(keyword) ?? null;
    const str = (keyword: Parameters<DicomDataset["string"]>[0]) => ds.string(keyword)?.trim() || null;
    const spacing = ds.numbers("PixelSpacing");
    const studyDate = ds.date("StudyDate")?.iso ?? null;
    const now = sqlTimestamp(new Date());
    const series = {
      modality: str("Modality"),
      bodyPart: str("BodyPartExamined"),
      manufacturer: str("Manufacturer"),
      model: str("ManufacturerModelName"),
    };
    batch.patients.push([ids.patient ?? "", str("PatientSex"), now]);
    batch.studies.push([ids.study ?? "", ids.patient ?? "", studyDate, str("StudyDescription")]);
    batch.series.push([
      ids.series ?? "",
      ids.study ?? "",
      series.modality,
      series.bodyPart,
      series.manufacturer,
      series.model,
      str("SeriesDescription"),
    ]);
    batch.instances.push([
      sha256,
      ids.instance ?? "",
      ids.series ?? "",
      str("SOPClassUID"),
      ds.transferSyntaxUid,
      num("InstanceNumber"),
      num("Rows"),
      num("Columns"),
      num("NumberOfFrames") ?? (ds.has("PixelData") ? 1 : 0),
      spacing[0] ?? null,
      spacing[1] ?? null,
      num("SliceThickness"),
      str("PhotometricInterpretation"),
      str("ViewPosition"),
      objectPath,
      bytes.byteLength,
      JSON.stringify(headerJson(ds.dict)),
      admission.admittedBy,
      runId,
      now,
      ids.patient ?? "",
      str("PatientSex"),
      ids.study ?? "",
      studyDate,
      str("StudyDescription"),
      series.modality,
      series.bodyPart,
      series.manufacturer,
      series.model,
    ]);
    for (const label of labels) batch.labels.push([sha256, label.set, label.value, "ingest", now]);
    return "added";
  }
}

/** Instances written per transaction: point inserts are slow in a column store, batches are not. */
const BATCH = 256;

interface LoadedInstance {
  readonly bytes: Uint8Array;
  readonly ds: DicomDataset;
  readonly admission: AdmissionDeclaration;
  readonly labels: readonly { set: string; value: string }[];
}

const SERIES_COLUMNS = ["series_uid", "study_uid", "modality", "body_part", "manufacturer", "model", "description"];

/** The order of the values in a pending `instances` row. */
const INSTANCE_COLUMNS = [
  "sha256", "sop_instance_uid", "series_uid", "sop_class_uid", "transfer_syntax", "instance_number", "rows",
  "columns", "frames", "pixel_spacing_row", "pixel_spacing_col", "slice_thickness", "photometric",
  "view_position", "object_path", "bytes", "header", "admitted_by", "ingest_run", "ingested_at", "patient_id",
  "sex", "study_uid", "study_date", "study_description", "modality", "body_part", "manufacturer", "model",
]; // prettier-ignore

/** Rows waiting for the next transaction. */
class PendingRows {
  patients: SqlValue[][] = [];
  studies: SqlValue[][] = [];
  series: SqlValue[][] = [];
  instances: SqlValue[][] = [];
  labels: SqlValue[][] = [];
  rejects: SqlValue[][] = [];
  /** Object writes in flight: all must be in place before the rows that name them are written. */
  objects: Promise<void>[] = [];

  async write(db: Database): Promise<void> {
    const ignore = { ignoreConflicts: true };
    await db.insertMany("patients", ["patient_id", "sex", "first_seen"], this.patients, ignore);
    await db.insertMany("studies", ["study_uid", "patient_id", "study_date", "description"], this.studies, ignore);
    await db.insertMany("series", SERIES_COLUMNS, this.series, ignore);
    await db.insertMany("instances", INSTANCE_COLUMNS, this.instances);
    await db.insertMany("labels", ["sha256", "label_set", "value", "set_by", "set_at"], this.labels, ignore);
    // The labels given at ingest are the first entries of each instance's label history.
    await db.insertMany(
      "label_history",
      ["event_id", "sha256", "label_set", "value", "action", "set_by", "set_at", "reason"],
      this.labels.map(([sha256, set, value, by, at]) => [
        `${String(sha256)}:${String(set)}:${String(value)}:add:0`,
        sha256 ?? null,
        set ?? null,
        value ?? null,
        "add",
        by ?? null,
        at ?? null,
        "ingest",
      ]),
      ignore,
    );
    await db.insertMany("rejects", ["run_id", "file", "code", "reason"], this.rejects);
  }
}
