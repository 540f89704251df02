import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import type { DataFrame } from "danfojs";
import type { Tensor1D, Tensor2D, Tensor3D, Tensor4D } from "@tensorflow/tfjs-core";
import type { data } from "@tensorflow/tfjs";
import { csvField } from "../core/csv-field";
import { RadlabError } from "../core/radlab-error";
import { pixelArray } from "../dicom/pixels/pixel-array";
import { readDicom } from "../dicom/read";
import { DisplayableValue, type MimeBundle } from "../display/mime-bundle";
import { table } from "../display/table";
import { toDataFrame } from "../store/data-frame";
import type { SqlRow } from "../store/database";
import { sha256Hex } from "../store/object-store";
import type { ResearchStore } from "../store/research-store";
import { manifestId, manifestText, type DatasetMember } from "./dataset-manifest";
import { resampleArea } from "./resample-area";

/** A version's record: who committed it, when, why, and what it holds. */
export interface VersionRecord {
  /** The SHA-256 of the version's manifest. */
  readonly id: string;
  readonly dataset: string;
  readonly parent: string | null;
  readonly message: string;
  readonly createdBy: string;
  readonly createdAt: string;
  /** The spec's selection, label sets and split (canonical, hashed into the id). */
  readonly parameters: unknown;
  readonly instances: number;
  readonly patients: number;
}

/** Options of {@link DatasetVersion.samples} and {@link DatasetVersion.batches}. */
export interface SampleOptions {
  /** Only this split (default: every member). */
  readonly split?: string;
  /** The classification label set that gives the target. */
  readonly labelSet: string;
  /**
   * The classes in output order. One class per member (binary, multiclass) gives a one-hot
   * target; a member with several values (multilabel) gives a multi-hot one.
   */
  readonly classes: readonly string[];
  /** Output `[rows, columns]` (default `[64, 64]`). */
  readonly size?: readonly [number, number];
}

/** One member as a training sample: a greyscale image scaled to 0..1 and its target. */
export interface Sample {
  readonly sha256: string;
  readonly patientId: string;
  readonly split: string;
  /** Row-major `rows * columns` values in 0..1 (bright is dense, MONOCHROME1 inverted). */
  readonly image: Float32Array;
  /** One entry per class: 1 when the member has it. */
  readonly target: Float32Array;
}

/**
 * One committed, immutable version of a dataset: its members (instances by content hash), their
 * labels and split as they were at commit, whatever has changed in the store since. Load it as a
 * dataframe, stream it as samples or tensors, or materialise its files.
 *
 * @example
 * ```ts
 * const v1 = await datasets.getOrThrow("3fa2c1d0");
 * display(v1);                                  // counts by split and label
 * const df = await v1.toDataFrame({ split: "train" });
 * for await (const s of v1.samples({ labelSet: "label", classes: ["No Finding", "Finding"] })) { ... }
 * ```
 */
export class DatasetVersion extends DisplayableValue {
  constructor(
    private readonly store: ResearchStore,
    readonly record: VersionRecord,
  ) {
    super();
  }

  get id(): string {
    return this.record.id;
  }

  /** The first 12 hex digits of the id, enough to name a version in a message. */
  get shortId(): string {
    return this.record.id.slice(0, 12);
  }

  /** The members, sorted by content hash (optionally one split's). */
  async members(split?: string): Promise<DatasetMember[]> {
    const rows = await this.store.db.all(
      `SELECT sha256, patient_id, split, labels, annotations FROM dataset_members WHERE version_id = $1
       ${split === undefined ? "" : "AND split = $2"} ORDER BY sha256`,
      split === undefined ? [this.id] : [this.id, split],
    );
    return rows.map(toMember);
  }

  /**
   * Checks that the version is intact: the manifest object has the version's hash, and the
   * member rows rebuild exactly that manifest.
   *
   * @throws {@link RadlabError} `dataset-corrupt` naming what differs.
   */
  async verify(): Promise<void> {
    const manifest = this.manifest();
    if (manifestId(manifest) !== this.id) {
      throw new RadlabError("dataset-corrupt", `The manifest of version ${this.shortId} does not match its hash.`, {
        file: this.store.objects.relativePath(this.id, "manifest"),
        hint: "The store's objects were modified; restore the file from a backup.",
      });
    }
    const rebuilt = manifestText(this.record.dataset, this.record.parameters, await this.members());
    if (rebuilt !== manifest) {
      throw new RadlabError("dataset-corrupt", `The member rows of version ${this.shortId} differ from its manifest.`, {
        hint: "The dataset_members table was edited; rebuild its rows from the manifest object.",
      });
    }
  }

  /** The manifest text, as committed. */
  manifest(): string {
    const file = this.store.objects.absolutePath(this.store.objects.relativePath(this.id, "manifest"));
    return gunzipSync(readFileSync(file)).toString("utf8");
  }

  /**
   * One row per member: content hash, patient, split, the frozen labels (one column per label set,
   * values joined with `|`), the number of region annotations, and the instance's searchable
   * metadata from the store.
   */
  async rows(options: { readonly split?: string } = {}): Promise<SqlRow[]> {
    const rows = await this.store.db.all(
      `SELECT m.sha256, m.patient_id, m.split, m.labels, m.annotations, i.study_uid, i.study_date, i.sex, i.modality,
         i.view_position, i.rows AS image_rows, i.columns AS image_columns, i.frames, i.pixel_spacing_row, i.pixel_spacing_col, i.photometric
       FROM dataset_members m JOIN instances i ON i.sha256 = m.sha256
       WHERE m.version_id = $1 ${options.split === undefined ? "" : "AND m.split = $2"} ORDER BY m.sha256`,
      options.split === undefined ? [this.id] : [this.id, options.split],
    );
    const sets = labelSetsOf(this.record.parameters);
    return rows.map((row) => {
      const labels = JSON.parse(String(row["labels"])) as Record<string, string[]>;
      const { labels: _frozen, annotations, ...rest } = row;
      void _frozen;
      return {
        sha256: rest["sha256"],
        patient_id: rest["patient_id"],
        split: rest["split"],
        ...Object.fromEntries(sets.map((s) => [s, (labels[s] ?? []).join("|")])),
        annotations: (JSON.parse(String(annotations)) as string[]).length,
        ...rest,
      };
    });
  }

  /** {@link DatasetVersion.rows} as a danfo.js DataFrame. */
  async toDataFrame(options: { readonly split?: string } = {}): Promise<DataFrame> {
    return toDataFrame(await this.rows(options));
  }

  /**
   * Streams the members as samples, one at a time: only the current image is in memory, so a
   * version of any size can be read. Images are decoded from the store's immutable objects (each
   * checked against its hash), made greyscale, resampled by area to `size` and scaled to 0..1 by
   * their own range.
   *
   * @throws {@link RadlabError} `dataset-label` when a member's value is not among `classes`;
   *   `object-corrupt` when an object does not match its hash.
   */
  async *samples(options: SampleOptions): AsyncGenerator<Sample> {
    const [outRows, outColumns] = options.size ?? [64, 64];
    const classIndex = new Map(options.classes.map((c, i) => [c, i]));
    for (const member of await this.members(options.split)) {
      const values = member.labels[options.labelSet];
      if (values === undefined) {
        throw new RadlabError(
          "dataset-label",
          `Version ${this.shortId} does not carry label set ${options.labelSet}.`,
          {
            hint: `It carries ${labelSetsOf(this.record.parameters).join(", ")}.`,
          },
        );
      }
      const target = new Float32Array(options.classes.length);
      for (const value of values) {
        const index = classIndex.get(value);
        if (index === undefined) {
          throw new RadlabError(
            "dataset-label",
            `Member ${member.sha256.slice(0, 12)}… has ${options.labelSet} "${value}", which is not among the classes ${options.classes.join(", ")}.`,
            {
              hint: "List every class of the label set (see version.counts()).",
            },
          );
        }
        target[index] = 1;
      }
      const bytes = this.object(member.sha256);
      const pixels = await pixelArray(readDicom(bytes, { file: member.sha256 }), [0]);
      const [, rows, columns, spp] = pixels.shape;
      const grey = new Float32Array(rows * columns);
      for (let p = 0; p < grey.length; p++) {
        let sum = 0;
        for (let s = 0; s < spp; s++) sum += pixels.data[p * spp + s] ?? 0;
        grey[p] = sum / spp;
      }
      const image = resampleArea(grey, rows, columns, outRows, outColumns);
      let min = Infinity;
      let max = -Infinity;
      for (const v of image) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      const range = max - min;
      const invert = pixels.photometricInterpretation === "MONOCHROME1";
      for (let p = 0; p < image.length; p++) {
        const scaled = range > 0 ? ((image[p] ?? 0) - min) / range : 0;
        image[p] = invert ? 1 - scaled : scaled;
      }
      yield { sha256: member.sha256, patientId: member.patientId, split: member.split, image, target };
    }
  }

  /**
   * Members in batches as tfjs tensors: `xs` of shape `[batch, rows, columns, 1]` and `ys` of
   * `[batch, classes]`, streaming (one batch in memory at a time). The caller owns each batch's
   * tensors and must dispose them (`xs.dispose(); ys.dispose()`).
   *
   * @example
   * ```ts
   * for await (const { xs, ys } of v1.batches({ split: "train", labelSet: "label", classes, batchSize: 32 })) {
   *   await model.trainOnBatch(xs, ys);
   *   xs.dispose(); ys.dispose();
   * }
   * ```
   */
  async *batches(
    options: SampleOptions & { readonly batchSize?: number },
  ): AsyncGenerator<{ xs: Tensor4D; ys: Tensor2D; sha256: string[] }> {
    const tf = await import("@tensorflow/tfjs-core");
    const size = options.batchSize ?? 32;
    const [outRows, outColumns] = options.size ?? [64, 64];
    let pending: Sample[] = [];
    const emit = () => {
      const xs = new Float32Array(pending.length * outRows * outColumns);
      const ys = new Float32Array(pending.length * options.classes.length);
      pending.forEach((s, i) => {
        xs.set(s.image, i * outRows * outColumns);
        ys.set(s.target, i * options.classes.length);
      });
      const batch = {
        xs: tf.tensor4d(xs, [pending.length, outRows, outColumns, 1]),
        ys: tf.tensor2d(ys, [pending.length, options.classes.length]),
        sha256: pending.map((s) => s.sha256),
      };
      pending = [];
      return batch;
    };
    for await (const sample of this.samples(options)) {
      pending.push(sample);
      if (pending.length === size) yield emit();
    }
    if (pending.length > 0) yield emit();
  }

  /**
   * The members as a tfjs `Dataset` of `{ xs: [rows, columns, 1], ys: [classes] }` elements,
   * streamed from the store as it is iterated (batch, shuffle and prefetch it with tfjs-data's own
   * methods). tfjs disposes the tensors of elements it consumes in `model.fitDataset`; a caller
   * iterating by hand owns each element's tensors.
   *
   * @example
   * ```ts
   * const train = (await v1.tfDataset({ split: "train", labelSet: "label", classes })).shuffle(256, "7").batch(32);
   * await model.fitDataset(train, { epochs: 5 });
   * ```
   */
  async tfDataset(options: SampleOptions): Promise<data.Dataset<{ xs: Tensor3D; ys: Tensor1D }>> {
    const tf = await import("@tensorflow/tfjs");
    const [rows, columns] = options.size ?? [64, 64];
    const samples = () => this.samples(options);
    return tf.data.generator(async function* () {
      for await (const s of samples())
        yield { xs: tf.tensor3d(s.image, [rows, columns, 1]), ys: tf.tensor1d(s.target) };
    });
  }

  /** Members by split and value of a label set (default: the stratifying set). */
  async counts(labelSet?: string): Promise<SqlRow[]> {
    const set = labelSet ?? stratifyByOf(this.record.parameters);
    const counts = new Map<string, number>();
    for (const m of await this.members()) {
      const key = `${m.split}\u0000${(m.labels[set] ?? []).join("|")}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, instances]) => {
        const [split, value] = key.split("\u0000");
        return { split, [set]: value, instances };
      });
  }

  /**
   * Materialises the version as files: `<folder>/<split>/<label>/<sha256>.dcm` (the label from
   * `labelSet`, default the stratifying set), plus `manifest.jsonl` and `members.csv`. Each
   * object is checked against its hash before it is copied, so the files are the version's bytes
   * exactly, however the store has changed. The folder is filled under a temporary name and
   * renamed at the end: an interrupted checkout leaves no half-made folder.
   *
   * @throws {@link RadlabError} `checkout-exists` when the folder exists and is not empty;
   *   `object-corrupt` when a stored object does not match its hash.
   */
  async checkout(
    folder: string,
    options: { readonly labelSet?: string } = {},
  ): Promise<{ folder: string; files: number }> {
    if (existsSync(folder) && readdirSync(folder).length > 0) {
      throw new RadlabError(
        "checkout-exists",
        `${folder} exists and is not empty; a checkout never overwrites files.`,
        {
          file: folder,
          hint: "Give a new folder, or remove this one first.",
        },
      );
    }
    const set = options.labelSet ?? stratifyByOf(this.record.parameters);
    const temporary = `${folder.replace(/[\\/]+$/, "")}.partial-${process.pid}`;
    mkdirSync(temporary, { recursive: true });
    const csv = ["sha256,patient_id,split,label,path"];
    const members = await this.members();
    for (const m of members) {
      const label = (m.labels[set] ?? []).join("|") || "unlabelled";
      const relative = path.join(m.split, safeName(label), `${m.sha256}.dcm`);
      mkdirSync(path.join(temporary, path.dirname(relative)), { recursive: true });
      // The bytes read to check the hash are the ones written: each object is read once.
      writeFileSync(path.join(temporary, relative), this.object(m.sha256));
      csv.push([m.sha256, m.patientId, m.split, label, relative].map(csvField).join(","));
    }
    writeFileSync(path.join(temporary, "manifest.jsonl"), this.manifest());
    writeFileSync(path.join(temporary, "members.csv"), `${csv.join("\n")}\n`);
    if (existsSync(folder)) {
      // An empty folder: move the contents in.
      for (const entry of readdirSync(temporary)) renameSync(path.join(temporary, entry), path.join(folder, entry));
      renameSync(temporary, `${temporary}.done`);
    } else renameSync(temporary, folder);
    return { folder, files: members.length };
  }

  toMimeBundle(): MimeBundle {
    const r = this.record;
    const caption =
      `Dataset ${r.dataset} version ${this.shortId}: ${r.instances} instances of ${r.patients} patients` +
      ` — "${r.message}" by ${r.createdBy}, ${r.createdAt}${r.parent === null ? "" : `, parent ${r.parent.slice(0, 12)}`}`;
    return table(
      [
        {
          version: this.shortId,
          dataset: r.dataset,
          instances: r.instances,
          patients: r.patients,
          message: r.message,
          created_by: r.createdBy,
          created_at: r.createdAt,
        },
      ],
      {
        caption,
      },
    ).toMimeBundle();
  }

  private objectPath(sha256: string): string {
    return this.store.objects.absolutePath(this.store.objects.relativePath(sha256));
  }

  /** A member's stored bytes, checked against its hash. */
  private object(sha256: string): Uint8Array {
    const file = this.objectPath(sha256);
    const bytes = readFileSync(file);
    if (sha256Hex(bytes) !== sha256) {
      throw new RadlabError(
        "object-corrupt",
        `Object ${sha256.slice(0, 12)}… of version ${this.shortId} does not match its hash.`,
        {
          file,
          hint: "The store's objects were modified; restore the file from a backup.",
        },
      );
    }
    return bytes;
  }
}

/** A member from its dataset_members row. */
export function toMember(row: SqlRow): DatasetMember {
  return {
    sha256: String(row["sha256"]),
    patientId: String(row["patient_id"]),
    split: String(row["split"]),
    labels: JSON.parse(String(row["labels"])) as Record<string, string[]>,
    annotations: JSON.parse(String(row["annotations"])) as string[],
  };
}

function labelSetsOf(parameters: unknown): string[] {
  return [...((parameters as { labelSets?: string[] }).labelSets ?? [])];
}

function stratifyByOf(parameters: unknown): string {
  return (parameters as { split?: { stratifyBy?: string } }).split?.stratifyBy ?? labelSetsOf(parameters)[0] ?? "label";
}

/** A label as a folder name: no path separators or characters file systems refuse. */
function safeName(label: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
  return label.replace(/[\\/:*?"<>|\u0000-\u001f]/g, "_").replace(/^\.+$/, "_");
}
