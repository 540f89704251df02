import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { gunzipSync, gzipSync } from "node:zlib";
import { sha256OfCanonical } from "../core/canonical-json";
import { RadlabError } from "../core/radlab-error";
import { parameterList, sqlTimestamp, type Database, type SqlRow } from "../store/database";
import { sha256Hex, type ObjectStore } from "../store/object-store";
import type { Annotation, Geometry, Mask } from "./annotation";

/**
 * What a label set holds per instance: `binary` and `multiclass` exactly one class, `multilabel`
 * any subset of classes; `boxes`, `polygons` and `masks` hold regions (annotations).
 */
export type LabelSetKind = "binary" | "multiclass" | "multilabel" | "boxes" | "polygons" | "masks";

const KINDS: readonly LabelSetKind[] = ["binary", "multiclass", "multilabel", "boxes", "polygons", "masks"];
const REGION_KIND: Partial<Record<LabelSetKind, Geometry["kind"]>> = {
  boxes: "box",
  polygons: "polygon",
  masks: "mask",
};

/** A label set's definition. */
export interface LabelSetDefinition {
  readonly name: string;
  readonly kind: LabelSetKind;
  /** The allowed classes, or `null` for an open vocabulary (any value). A binary set has two. */
  readonly classes: readonly string[] | null;
  readonly description?: string;
}

/** One entry of an instance's label history. */
export interface LabelHistoryEntry {
  readonly sha256: string;
  readonly labelSet: string;
  readonly value: string;
  readonly action: "add" | "remove";
  readonly setBy: string;
  readonly setAt: string;
  readonly reason: string | null;
}

/** An annotation as stored: with its id, who set it and when, and its removal if removed. */
export interface StoredAnnotation extends Annotation {
  readonly id: string;
  readonly setBy: string;
  readonly setAt: string;
  readonly removedBy: string | null;
  readonly removedAt: string | null;
}

/** Who makes a change, and why (kept in the history). */
export interface ChangeAuthor {
  readonly by: string;
  readonly reason?: string;
}

/** One instance's new values in a label set (see {@link LabelSets.set}). */
export interface LabelChange {
  readonly sha256: string;
  readonly labelSet: string;
  readonly values: readonly string[];
}

/**
 * The store's label sets: classification labels (binary, multiclass, multi-label) and region
 * annotations (boxes, polygons, masks), each value with who set it and when. Changes never erase
 * the past: every added or removed value is appended to the label history, and a removed
 * annotation is marked, not deleted. Dataset versions freeze the labels of their moment.
 *
 * @example
 * ```ts
 * import { openStore, LabelSets } from "@radlab/kernel";
 * const store = await openStore();
 * const labels = new LabelSets(store.db, store.objects);
 * await labels.define({ name: "quality", kind: "multiclass", classes: ["good", "poor"] }, { by: "ana" });
 * await labels.set([{ sha256, labelSet: "quality", values: ["poor"] }], { by: "ana", reason: "motion blur" });
 * ```
 */
export class LabelSets {
  constructor(
    private readonly db: Database,
    private readonly objects: ObjectStore,
  ) {}

  /**
   * Defines a new label set.
   *
   * @throws {@link RadlabError} `label-set` when the name is taken, the kind unknown, or a binary
   *   set does not have exactly two classes.
   */
  async define(definition: LabelSetDefinition, author: ChangeAuthor): Promise<LabelSetDefinition> {
    const { name, kind, classes } = definition;
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) {
      throw new RadlabError("label-set", `"${name}" is not a label set name.`, {
        hint: "Use letters, digits, '_', '.' and '-' only.",
      });
    }
    if (!KINDS.includes(kind)) {
      throw new RadlabError("label-set", `Label set ${name}: unknown kind "${String(kind)}".`, {
        hint: `Use one of ${KINDS.join(", ")}.`,
      });
    }
    if (kind === "binary" && classes?.length !== 2) {
      throw new RadlabError(
        "label-set",
        `Binary label set ${name} needs exactly two classes, not ${classes?.length ?? "an open vocabulary"}.`,
        {
          hint: 'Give classes: ["negative", "positive"] (the second is the positive class).',
        },
      );
    }
    if (classes !== null && new Set(classes).size !== classes.length) {
      throw new RadlabError("label-set", `Label set ${name} lists a class twice: ${classes.join(", ")}.`);
    }
    if ((await this.get(name)) !== undefined) {
      throw new RadlabError("label-set", `Label set ${name} already exists.`, {
        hint: "Choose another name, or change its labels with set().",
      });
    }
    await this.db.run("INSERT INTO label_sets VALUES ($1, $2, $3, $4, $5, now())", [
      name,
      kind,
      classes === null ? null : JSON.stringify(classes),
      definition.description ?? null,
      author.by,
    ]);
    return definition;
  }

  /** A label set's definition, or `undefined`. */
  async get(name: string): Promise<LabelSetDefinition | undefined> {
    const row = (await this.db.all("SELECT * FROM label_sets WHERE name = $1", [name]))[0];
    return row === undefined ? undefined : toDefinition(row);
  }

  /**
   * A label set's definition.
   *
   * @throws {@link RadlabError} `label-set` naming the sets that exist.
   */
  async getOrThrow(name: string): Promise<LabelSetDefinition> {
    const found = await this.get(name);
    if (found !== undefined) return found;
    const names = (await this.list()).map((d) => d.name);
    throw new RadlabError("label-set", `No label set is named ${name}.`, {
      hint: `The store has ${names.join(", ")}; define new ones with define().`,
    });
  }

  /** Every label set, by name. */
  async list(): Promise<LabelSetDefinition[]> {
    return (await this.db.all("SELECT * FROM label_sets ORDER BY name")).map(toDefinition);
  }

  /**
   * Sets instances' values in classification label sets (replacing what they held), in one
   * transaction: either every change is made or none. Each added and removed value is appended
   * to the history with the author and reason; a change that changes nothing records nothing.
   *
   * @returns How many values were added and removed.
   * @throws {@link RadlabError} `label-value` listing every invalid change (unknown instance,
   *   value outside the set's classes, not exactly one value in a binary or multiclass set, a
   *   region label set); nothing is changed then.
   */
  async set(changes: readonly LabelChange[], author: ChangeAuthor): Promise<{ added: number; removed: number }> {
    const problems: string[] = [];
    const definitions = new Map<string, LabelSetDefinition | undefined>();
    for (const change of changes) {
      if (!definitions.has(change.labelSet)) definitions.set(change.labelSet, await this.get(change.labelSet));
    }
    const hashes = [...new Set(changes.map((c) => c.sha256))];
    const stored = new Set<string>();
    for (let i = 0; i < hashes.length; i += 500) {
      const chunk = hashes.slice(i, i + 500);
      const placeholders = parameterList(chunk.length);
      for (const row of await this.db.all(`SELECT sha256 FROM instances WHERE sha256 IN (${placeholders})`, chunk)) {
        stored.add(String(row["sha256"]));
      }
    }
    for (const [index, change] of changes.entries()) {
      const where = `change ${index} (${change.sha256.slice(0, 12)}…, ${change.labelSet})`;
      const definition = definitions.get(change.labelSet);
      if (!stored.has(change.sha256)) problems.push(`${where}: no instance with this content hash is stored`);
      if (definition === undefined) {
        problems.push(`${where}: no label set is named ${change.labelSet}`);
        continue;
      }
      if (REGION_KIND[definition.kind] !== undefined) {
        problems.push(`${where}: ${change.labelSet} holds ${definition.kind}; add regions with annotate()`);
        continue;
      }
      const single = definition.kind === "binary" || definition.kind === "multiclass";
      if (single && change.values.length !== 1) {
        problems.push(`${where}: a ${definition.kind} label set takes exactly one value, not ${change.values.length}`);
      }
      const classes = definition.classes;
      for (const value of change.values) {
        if (classes !== null && !classes.includes(value)) {
          problems.push(`${where}: "${value}" is not one of ${classes.join(", ")}`);
        }
      }
    }
    if (problems.length > 0) {
      throw new RadlabError(
        "label-value",
        `${problems.length} of ${changes.length} label change(s) are invalid; nothing was changed:\n${problems.join("\n")}`,
        {
          hint: "Fix the listed changes and call set() again.",
        },
      );
    }
    // A later change of the same instance and set replaces an earlier one in the same call.
    const latest = new Map(changes.map((c) => [`${c.sha256}\u0000${c.labelSet}`, c]));
    const sets = [...new Set(changes.map((c) => c.labelSet))];
    return this.db.transaction(async () => {
      const at = sqlTimestamp(new Date());
      const history: (string | null)[][] = [];
      const added: string[][] = [];
      let removed = 0;
      // Reads and deletes in batches (a statement per 500 instances, not per value): one change
      // costs a fraction of a millisecond on either engine.
      const current = new Map<string, Set<string>>();
      for (let i = 0; i < hashes.length; i += 500) {
        const chunk = hashes.slice(i, i + 500);
        const rows = await this.db.all(
          `SELECT sha256, label_set, value FROM labels WHERE sha256 IN (${parameterList(chunk.length)})
           AND label_set IN (${parameterList(sets.length, chunk.length + 1)})`,
          [...chunk, ...sets],
        );
        for (const row of rows) {
          const key = `${String(row["sha256"])}\u0000${String(row["label_set"])}`;
          current.set(key, (current.get(key) ?? new Set()).add(String(row["value"])));
        }
      }
      const removals = new Map<string, { set: string; value: string; hashes: string[] }>();
      const event = (change: LabelChange, value: string, action: "add" | "remove") =>
        history.push([
          randomUUID(),
          change.sha256,
          change.labelSet,
          value,
          action,
          author.by,
          at,
          author.reason ?? null,
        ]);
      for (const [key, change] of latest) {
        const had = current.get(key) ?? new Set<string>();
        const wanted = new Set(change.values);
        for (const value of had) {
          if (wanted.has(value)) continue;
          const group = removals.get(`${change.labelSet}\u0000${value}`) ?? { set: change.labelSet, value, hashes: [] };
          group.hashes.push(change.sha256);
          removals.set(`${change.labelSet}\u0000${value}`, group);
          event(change, value, "remove");
          removed += 1;
        }
        for (const value of wanted) {
          if (had.has(value)) continue;
          added.push([change.sha256, change.labelSet, value, author.by, at]);
          event(change, value, "add");
        }
      }
      for (const { set, value, hashes: from } of removals.values()) {
        for (let i = 0; i < from.length; i += 500) {
          const chunk = from.slice(i, i + 500);
          await this.db.run(
            `DELETE FROM labels WHERE label_set = $1 AND value = $2 AND sha256 IN (${parameterList(chunk.length, 3)})`,
            [set, value, ...chunk],
          );
        }
      }
      await this.db.insertMany("labels", ["sha256", "label_set", "value", "set_by", "set_at"], added);
      await this.db.insertMany("label_history", HISTORY_COLUMNS, history);
      return { added: added.length, removed };
    });
  }

  /** The current values of an instance, by label set (values sorted). */
  async current(sha256: string): Promise<Record<string, string[]>> {
    const rows = await this.db.all("SELECT label_set, value FROM labels WHERE sha256 = $1 ORDER BY label_set, value", [
      sha256,
    ]);
    const result: Record<string, string[]> = {};
    for (const row of rows) (result[String(row["label_set"])] ??= []).push(String(row["value"]));
    return result;
  }

  /** Every change ever made to an instance's labels (optionally one set's), oldest first. */
  async history(sha256: string, labelSet?: string): Promise<LabelHistoryEntry[]> {
    const rows =
      labelSet === undefined
        ? await this.db.all(
            "SELECT * FROM label_history WHERE sha256 = $1 ORDER BY set_at, action DESC, label_set, value",
            [sha256],
          )
        : await this.db.all(
            "SELECT * FROM label_history WHERE sha256 = $1 AND label_set = $2 ORDER BY set_at, action DESC, value",
            [sha256, labelSet],
          );
    return rows.map((r) => ({
      sha256: String(r["sha256"]),
      labelSet: String(r["label_set"]),
      value: String(r["value"]),
      action: r["action"] === "remove" ? "remove" : "add",
      setBy: String(r["set_by"]),
      setAt: timestampText(r["set_at"]),
      reason: r["reason"] === null ? null : String(r["reason"]),
    }));
  }

  /**
   * Adds region annotations (boxes, polygons, masks) in one transaction. A mask is kept as a
   * content-addressed object (bits packed, compressed), its geometry row naming it.
   *
   * @returns The new annotations' ids, in order.
   * @throws {@link RadlabError} `label-value` listing every invalid annotation (unknown instance
   *   or set, a geometry the set does not hold, a class outside the set, a degenerate region).
   */
  async annotate(annotations: readonly Annotation[], author: ChangeAuthor): Promise<string[]> {
    const problems: string[] = [];
    for (const [index, a] of annotations.entries()) {
      const where = `annotation ${index} (${a.sha256.slice(0, 12)}…, ${a.labelSet})`;
      const definition = await this.get(a.labelSet);
      const instance = (
        await this.db.all("SELECT rows, columns, frames FROM instances WHERE sha256 = $1", [a.sha256])
      )[0];
      if (instance === undefined) problems.push(`${where}: no instance with this content hash is stored`);
      if (definition === undefined) {
        problems.push(`${where}: no label set is named ${a.labelSet}`);
        continue;
      }
      const expected = REGION_KIND[definition.kind];
      if (expected === undefined)
        problems.push(`${where}: ${a.labelSet} is a ${definition.kind} label set; set its values with set()`);
      else if (a.geometry.kind !== expected)
        problems.push(`${where}: ${a.labelSet} holds ${definition.kind}, not a ${a.geometry.kind}`);
      if (definition.classes !== null && !definition.classes.includes(a.label)) {
        problems.push(`${where}: "${a.label}" is not one of ${definition.classes.join(", ")}`);
      }
      const issue = geometryProblem(a.geometry, instance);
      if (issue !== undefined) problems.push(`${where}: ${issue}`);
      const frames = Number(instance?.["frames"] ?? 1);
      if (!Number.isInteger(a.frame) || a.frame < 0 || a.frame >= Math.max(frames, 1)) {
        problems.push(`${where}: frame ${a.frame} is not one of the instance's ${frames} frame(s)`);
      }
    }
    if (problems.length > 0) {
      throw new RadlabError(
        "label-value",
        `${problems.length} of ${annotations.length} annotation(s) are invalid; nothing was added:\n${problems.join("\n")}`,
        {
          hint: "Fix the listed annotations and call annotate() again.",
        },
      );
    }
    const at = sqlTimestamp(new Date());
    const rows = annotations.map((a) => {
      const id = randomUUID();
      return [
        id,
        a.sha256,
        a.labelSet,
        a.geometry.kind,
        a.label,
        a.frame,
        this.storeGeometry(a.geometry),
        author.by,
        at,
        null,
        null,
        null,
      ];
    });
    await this.db.transaction(() => this.db.insertMany("annotations", ANNOTATION_COLUMNS, rows));
    return rows.map((r) => String(r[0]));
  }

  /**
   * Marks annotations as removed (they stay in the history).
   *
   * @throws {@link RadlabError} `label-value` when an id is unknown or already removed.
   */
  async removeAnnotations(ids: readonly string[], author: ChangeAuthor): Promise<void> {
    await this.db.transaction(async () => {
      for (const id of ids) {
        const row = (await this.db.all("SELECT removed_at FROM annotations WHERE annotation_id = $1", [id]))[0];
        if (row === undefined || row["removed_at"] !== null) {
          throw new RadlabError(
            "label-value",
            `Annotation ${id} ${row === undefined ? "does not exist" : "is already removed"}; nothing was removed.`,
          );
        }
        await this.db.run(
          "UPDATE annotations SET removed_by = $2, removed_at = now(), removal_reason = $3 WHERE annotation_id = $1",
          [id, author.by, author.reason ?? null],
        );
      }
    });
  }

  /** An instance's annotations (current ones, or with `includeRemoved` every one ever made). */
  async annotations(
    sha256: string,
    options: { readonly labelSet?: string; readonly includeRemoved?: boolean } = {},
  ): Promise<StoredAnnotation[]> {
    const conditions = ["sha256 = $1", ...(options.labelSet === undefined ? [] : ["label_set = $2"])];
    if (options.includeRemoved !== true) conditions.push("removed_at IS NULL");
    const rows = await this.db.all(
      `SELECT * FROM annotations WHERE ${conditions.join(" AND ")} ORDER BY set_at, label_set, label, annotation_id`,
      options.labelSet === undefined ? [sha256] : [sha256, options.labelSet],
    );
    return rows.map((r) => this.toAnnotation(r));
  }

  /**
   * Applies labels and regions made elsewhere (for example {@link importLabelStudio}'s result):
   * each author's choices through {@link LabelSets.set} and regions through
   * {@link LabelSets.annotate}, so the same checks hold and the history names the author. A region
   * already present (same set, class, frame and geometry on the instance) is not added twice, so
   * applying the same import again changes nothing.
   *
   * @throws {@link RadlabError} `label-value` as `set` and `annotate` do; an author's changes are
   *   applied whole or not at all.
   */
  async applyImported(
    imported: {
      readonly choices: readonly (LabelChange & { readonly setBy: string })[];
      readonly annotations: readonly (Annotation & { readonly setBy: string })[];
    },
    options: { readonly reason: string },
  ): Promise<{ added: number; removed: number; regions: number; regionsPresent: number }> {
    const authors = [
      ...new Set([...imported.choices.map((c) => c.setBy), ...imported.annotations.map((a) => a.setBy)]),
    ].sort();
    const total = { added: 0, removed: 0, regions: 0, regionsPresent: 0 };
    for (const by of authors) {
      const author = { by, reason: options.reason };
      const choices = imported.choices.filter((c) => c.setBy === by);
      if (choices.length > 0) {
        const { added, removed } = await this.set(
          choices.map(({ sha256, labelSet, values }) => ({ sha256, labelSet, values })),
          author,
        );
        total.added += added;
        total.removed += removed;
      }
      const fresh: Annotation[] = [];
      for (const { setBy: _by, ...a } of imported.annotations.filter((x) => x.setBy === by)) {
        void _by;
        const present = new Set(
          (
            await this.db.all(
              "SELECT label_set, label, frame, geometry FROM annotations WHERE sha256 = $1 AND removed_at IS NULL",
              [a.sha256],
            )
          ).map(annotationContentHash),
        );
        const candidate = {
          label_set: a.labelSet,
          label: a.label,
          frame: a.frame,
          geometry: this.geometryJson(a.geometry, false),
        };
        if (present.has(annotationContentHash(candidate))) total.regionsPresent += 1;
        else
          fresh.push({ sha256: a.sha256, labelSet: a.labelSet, label: a.label, frame: a.frame, geometry: a.geometry });
      }
      if (fresh.length > 0) total.regions += (await this.annotate(fresh, author)).length;
    }
    return total;
  }

  /** The geometry of a stored annotation row, reading a mask's object. */
  toAnnotation(row: SqlRow): StoredAnnotation {
    return {
      id: String(row["annotation_id"]),
      sha256: String(row["sha256"]),
      labelSet: String(row["label_set"]),
      label: String(row["label"]),
      frame: Number(row["frame"]),
      geometry: this.loadGeometry(String(row["geometry"])),
      setBy: String(row["set_by"]),
      setAt: timestampText(row["set_at"]),
      removedBy: row["removed_by"] === null ? null : String(row["removed_by"]),
      removedAt: row["removed_at"] === null ? null : timestampText(row["removed_at"]),
    };
  }

  private storeGeometry(geometry: Geometry): string {
    return this.geometryJson(geometry, true);
  }

  /** The geometry as its row stores it: a mask by its packed bits' hash (written when `write`). */
  private geometryJson(geometry: Geometry, write: boolean): string {
    if (geometry.kind !== "mask") return JSON.stringify(geometry);
    const { rows, columns, data } = geometry.mask;
    const packed = packBits(data);
    const object = sha256Hex(packed);
    if (write) this.objects.put(gzipSync(packed), object, "mask");
    return JSON.stringify({ kind: "mask", object, rows, columns });
  }

  private loadGeometry(json: string): Geometry {
    const parsed = JSON.parse(json) as Geometry | { kind: "mask"; object: string; rows: number; columns: number };
    if (parsed.kind !== "mask" || !("object" in parsed)) return parsed as Geometry;
    const packed = gunzipSync(
      readFileSync(this.objects.absolutePath(this.objects.relativePath(parsed.object, "mask"))),
    );
    if (sha256Hex(packed) !== parsed.object) {
      throw new RadlabError("object-corrupt", `Mask object ${parsed.object} does not match its hash.`, {
        file: this.objects.relativePath(parsed.object, "mask"),
        hint: "The store's objects were modified; restore the file from a backup.",
      });
    }
    return {
      kind: "mask",
      mask: { rows: parsed.rows, columns: parsed.columns, data: unpackBits(packed, parsed.rows * parsed.columns) },
    };
  }
}

const HISTORY_COLUMNS = ["event_id", "sha256", "label_set", "value", "action", "set_by", "set_at", "reason"];
const ANNOTATION_COLUMNS = [
  "annotation_id", "sha256", "label_set", "kind", "label", "frame", "geometry",
  "set_by", "set_at", "removed_by", "removed_at", "removal_reason",
]; // prettier-ignore

function toDefinition(row: SqlRow): LabelSetDefinition {
  const classes = row["classes"] === null ? null : (JSON.parse(String(row["classes"])) as string[]);
  return {
    name: String(row["name"]),
    kind: String(row["kind"]) as LabelSetKind,
    classes,
    ...(row["description"] === null ? {} : { description: String(row["description"]) }),
  };
}

/** Why a region does not fit its image, or `undefined`. */
function geometryProblem(geometry: Geometry, instance: SqlRow | undefined): string | undefined {
  const rows = Number(instance?.["rows"] ?? Infinity);
  const columns = Number(instance?.["columns"] ?? Infinity);
  const finite = (...v: number[]) => v.every(Number.isFinite);
  switch (geometry.kind) {
    case "box": {
      const { x, y, width, height } = geometry;
      if (!finite(x, y, width, height) || width <= 0 || height <= 0)
        return `box ${x},${y} ${width}x${height} is empty or not finite`;
      if (x < 0 || y < 0 || x + width > columns || y + height > rows)
        return `box ${x},${y} ${width}x${height} lies outside the ${columns} x ${rows} image`;
      return undefined;
    }
    case "polygon": {
      if (geometry.points.length < 3) return `a polygon needs at least 3 points, not ${geometry.points.length}`;
      const outside = geometry.points.find(
        ([px, py]) => !finite(px, py) || px < 0 || py < 0 || px > columns || py > rows,
      );
      return outside === undefined
        ? undefined
        : `polygon point ${outside.join(",")} lies outside the ${columns} x ${rows} image`;
    }
    case "mask": {
      const m: Mask = geometry.mask;
      if (m.data.length !== m.rows * m.columns)
        return `mask holds ${m.data.length} pixels, not ${m.rows} x ${m.columns}`;
      if (instance !== undefined && (m.rows !== rows || m.columns !== columns))
        return `mask is ${m.columns} x ${m.rows}, the image ${columns} x ${rows}`;
      return undefined;
    }
  }
}

/**
 * The content hash of an annotation row: its set, class, frame and geometry (a mask by its
 * object's hash), so that dataset versions name regions by what they are, not by a row id.
 */
export function annotationContentHash(row: SqlRow): string {
  const content = {
    labelSet: String(row["label_set"]),
    label: String(row["label"]),
    frame: Number(row["frame"]),
    geometry: JSON.parse(String(row["geometry"])) as unknown,
  };
  return sha256OfCanonical(content);
}

/** A binary mask as bits, least significant first (as DICOM packs 1-bit pixels). */
export function packBits(mask: ArrayLike<number>): Uint8Array {
  const packed = new Uint8Array(Math.ceil(mask.length / 8));
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) packed[i >> 3]! |= 1 << (i & 7);
  return packed;
}

/** The inverse of {@link packBits}: `count` pixels, 0 or 1. */
export function unpackBits(packed: Uint8Array, count: number): Uint8Array {
  const mask = new Uint8Array(count);
  for (let i = 0; i < count; i++) mask[i] = (packed[i >> 3]! >> (i & 7)) & 1;
  return mask;
}

/** A timestamp from either engine (both return `Date`) as ISO text, UTC. */
export function timestampText(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}
