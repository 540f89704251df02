import { mkdir, rename, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { RadlabError } from "../core/radlab-error";
import type { DicomDataset } from "../dicom/dataset";
import { decodeFrame } from "../dicom/pixels/decode-frame";
import { encodePng, renderFrame, type WindowChoice } from "../dicom/pixels/render";
import { formatIssuePath, IssueCollector, type ValidationIssue } from "../display/contract/validation";
import type { Annotation, Geometry } from "./annotation";
import { brushToMask, maskToBrush } from "./label-studio-rle";

/**
 * Label Studio (1.x) round trip: images rendered to PNG with `tasks.json` (pre-annotations as
 * `predictions`) and a labeling config going out; the project's full JSON export coming back as
 * radlab annotations and image-level choices.
 *
 * Label Studio places regions in percent of the image: `value.x`, `value.width` in percent of
 * `original_width`, `value.y`, `value.height` in percent of `original_height`, so a pixel is
 * `percent * original_width / 100`. A rectangle turns `value.rotation` degrees clockwise (the
 * screen's y points down) about its top-left corner `(x, y)`. Brushes are the `rle` format of
 * `./label-studio-rle`.
 *
 * Each label set is one control of the labeling config and its name is the results' `from_name`,
 * so a label set holds one kind of region: boxes (RectangleLabels), polygons (PolygonLabels),
 * masks (BrushLabels) or image-level choices (Choices).
 */

/** The kind of a labeling config control: its radlab geometry, or `choices` for image-level classes. */
export type LabelStudioControlKind = Geometry["kind"] | "choices";

/** One control of a labeling config: a label set, the kind of region it draws and its classes. */
export interface LabelStudioControl {
  /** The label set; the control's `name`, and so the `from_name` of its results. */
  readonly name: string;
  /** `box` (RectangleLabels), `polygon` (PolygonLabels), `mask` (BrushLabels) or `choices` (Choices). */
  readonly kind: LabelStudioControlKind;
  /** The classes (for `choices`, the values), in the order the annotator sees them. */
  readonly labels: readonly string[];
  /** `choices` only: whether several values may be chosen (`choice="multiple"`); default single. */
  readonly multiple?: boolean;
}

/** Image-level values of one label set on one instance (a Label Studio `choices` result). */
export interface LabelStudioChoice {
  readonly sha256: string;
  /** The label set, the `from_name` of the Choices control. */
  readonly labelSet: string;
  readonly values: readonly string[];
}

/** One image to export: a stored instance, and extra task data shown to the annotator. */
export interface LabelStudioItem {
  /** The instance's content hash in the store (64 lowercase hex digits); names the PNG. */
  readonly sha256: string;
  readonly dataset: DicomDataset;
  /** Extra `data` fields of the task (for example a research ID); not `image` nor `radlab_*`. */
  readonly data?: Readonly<Record<string, string | number>>;
}

/** Options of {@link exportLabelStudioTasks}. */
export interface LabelStudioExportOptions {
  /** The folder written: `images/<sha256>.png`, `tasks.json` and, with `controls`, `label-config.xml`. */
  readonly folder: string;
  /** The window every greyscale image is rendered with: a CT preset, explicit values, `file` or `auto`. */
  readonly window: WindowChoice;
  /**
   * Where Label Studio will fetch the folder from; the task's image is `<urlPrefix>/images/<sha256>.png`.
   * Default `/data/local-files/?d=<folder name>`: Label Studio's local files storage with
   * `LOCAL_FILES_DOCUMENT_ROOT` set to the folder's parent.
   */
  readonly urlPrefix?: string;
  /** The frame rendered, counted from 0 (default 0); recorded in the task as `radlab_frame`. */
  readonly frame?: number;
  /** Regions to send as pre-annotations (`predictions`); those on other instances or frames are returned unused. */
  readonly annotations?: Iterable<Annotation>;
  /** Image-level values to send as pre-annotations; those on other instances are returned unused. */
  readonly choices?: Iterable<LabelStudioChoice>;
  /** The labeling config: when given, checked against the pre-annotations and written as `label-config.xml`. */
  readonly controls?: readonly LabelStudioControl[];
}

/** What {@link exportLabelStudioTasks} wrote. */
export interface LabelStudioExportSummary {
  /** The number of tasks (images). */
  readonly count: number;
  /** The path of `tasks.json`, the file to import in Label Studio. */
  readonly tasksFile: string;
  /** The PNG written for each task, in task order. */
  readonly images: readonly string[];
  /** The number of prediction results (regions and choices) written. */
  readonly predictions: number;
  /** The path of `label-config.xml`, or `null` without `controls`. */
  readonly configFile: string | null;
  /** The labeling config XML, or `null` without `controls`. */
  readonly labelConfig: string | null;
  /** Pre-annotations not written because their instance (or frame) was not exported. */
  readonly unused: {
    readonly annotations: readonly Annotation[];
    readonly choices: readonly LabelStudioChoice[];
  };
}

/** Where an imported value came from in Label Studio. */
export interface LabelStudioSource {
  /** The task id. */
  readonly task: number;
  /** The annotation id within the task. */
  readonly annotation: number;
  /** The result (region) id within the annotation. */
  readonly region: string;
}

/** A region imported from Label Studio: the annotation, who made it, when, and where from. */
export interface LabelStudioAnnotation extends Annotation {
  /** The annotator (see {@link LabelStudioImportOptions.users}). */
  readonly setBy: string;
  /** The annotation's `updated_at` (else `created_at`), as an ISO 8601 UTC timestamp. */
  readonly setAt: string;
  readonly source: LabelStudioSource;
}

/** Image-level values imported from a `choices` result, with who chose them, when, and where from. */
export interface LabelStudioImportedChoice extends LabelStudioChoice {
  readonly setBy: string;
  readonly setAt: string;
  readonly source: LabelStudioSource;
}

/** A problem that kept a task out of the import; `path` points into the export JSON. */
export interface LabelStudioSkip extends ValidationIssue {
  /** The task id, or `null` when the task has none. */
  readonly task: number | null;
}

/** Options of {@link importLabelStudio} and {@link safeImportLabelStudio}. */
export interface LabelStudioImportOptions {
  /**
   * Result types to leave out (for example `relation`, `textarea`). Any other type radlab does not
   * import keeps its task out with `unsupported-result-type`, so that no region is lost unnoticed.
   */
  readonly ignoreResultTypes?: readonly string[];
  /**
   * Names for Label Studio user ids. `setBy` is this name, else the email of a `completed_by`
   * object, else `label-studio-user-<id>`.
   */
  readonly users?: Readonly<Record<number, string>>;
}

/** What an import produced: values from every usable task, and why the others were left out. */
export interface LabelStudioImportResult {
  readonly choices: readonly LabelStudioImportedChoice[];
  readonly annotations: readonly LabelStudioAnnotation[];
  /**
   * Every problem found, one entry per problem (a task may have several). A task with a problem
   * contributes nothing. Tasks without an annotation to import are here with `no-annotation`.
   */
  readonly skipped: readonly LabelStudioSkip[];
}

/**
 * Thrown (code `label-studio`) when an export's inputs or an import's tasks have problems; every
 * problem found is in {@link LabelStudioError.issues} (for an import, the {@link LabelStudioSkip}s),
 * the first five in the message, and the first one's path in `evidence.path`.
 *
 * @example
 * ```ts
 * import { importLabelStudio, LabelStudioError } from "@radlab/kernel";
 * try {
 *   importLabelStudio([{ id: 1, data: {}, annotations: [] }]);
 * } catch (error) {
 *   if (error instanceof LabelStudioError) error.issues[0]?.code; // "missing-sha256"
 * }
 * ```
 */
export class LabelStudioError extends RadlabError {
  readonly issues: readonly ValidationIssue[];

  constructor(message: string, issues: readonly ValidationIssue[], hint: string) {
    const shown = issues.slice(0, 5).map((i) => `  ${formatIssuePath(i.path)}: ${i.message}`);
    const more = issues.length > 5 ? [`  ... and ${issues.length - 5} more`] : [];
    super("label-studio", [message, ...shown, ...more].join("\n"), {
      ...(issues[0] === undefined ? {} : { path: formatIssuePath(issues[0].path) }),
      hint,
    });
    this.issues = Object.freeze([...issues]);
  }
}

const SHA256 = /^[0-9a-f]{64}$/;
/** ISO 8601 with an explicit zone, as Label Studio writes `created_at`: no local-time guessing. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const RESERVED_DATA = new Set(["image", "radlab_sha256", "radlab_frame"]);
const CONTROL_KINDS: readonly LabelStudioControlKind[] = ["box", "polygon", "mask", "choices"];
const CONTROL_TAG: Record<LabelStudioControlKind, string> = {
  box: "RectangleLabels",
  polygon: "PolygonLabels",
  mask: "BrushLabels",
  choices: "Choices",
};
const RESULT_TYPE: Record<LabelStudioControlKind, string> = {
  box: "rectanglelabels",
  polygon: "polygonlabels",
  mask: "brushlabels",
  choices: "choices",
};
const REGION_TYPES = new Set(["rectanglelabels", "polygonlabels", "brushlabels"]);
const IMPORTED_TYPES = "rectanglelabels, polygonlabels, brushlabels, choices";

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "apos" }[c]};`);
}

/** Checks controls, recording issues under `at`; returns them by name. */
function checkControls(
  controls: readonly LabelStudioControl[],
  issues: IssueCollector,
  at: readonly (string | number)[],
): Map<string, LabelStudioControl> {
  const byName = new Map<string, LabelStudioControl>();
  controls.forEach((control, i) => {
    const p = [...at, i];
    if (!issues.oneOf(control.kind, CONTROL_KINDS, [...p, "kind"])) return;
    if (control.name === "" || control.name === "image") {
      issues.add(
        "bad-control-name",
        [...p, "name"],
        `"${control.name}" cannot name a control: it must be non-empty and not "image" (the Image tag's name).`,
      );
    } else if (byName.has(control.name)) {
      issues.add(
        "duplicate-control",
        [...p, "name"],
        `Two controls are named "${control.name}"; Label Studio needs each from_name once. Give each kind of region its own label set.`,
      );
    } else byName.set(control.name, control);
    if (control.labels.length === 0) {
      issues.add("no-labels", [...p, "labels"], `Control "${control.name}" has no labels.`);
    }
    const seen = new Set<string>();
    control.labels.forEach((label, j) => {
      if (label === "" || seen.has(label)) {
        issues.add(
          "bad-label",
          [...p, "labels", j],
          label === "" ? "A label cannot be empty." : `Label "${label}" appears twice in control "${control.name}".`,
        );
      }
      seen.add(label);
    });
    if (control.multiple !== undefined && control.kind !== "choices") {
      issues.add(
        "bad-option",
        [...p, "multiple"],
        `"multiple" applies to choices only; control "${control.name}" is a ${control.kind} control.`,
      );
    }
  });
  return byName;
}

/**
 * Writes a Label Studio labeling config for the given controls, to paste into the project's
 * Settings > Labeling Interface > Code. The image is `$image`, as {@link exportLabelStudioTasks}
 * writes it.
 *
 * @param controls - One control per label set, in display order.
 * @returns The config XML.
 * @throws {@link LabelStudioError} `label-studio` with every problem: an unknown kind, an empty,
 *   duplicate or `image` name, no labels, an empty or repeated label, `multiple` on a region control.
 *
 * @example
 * ```ts
 * import { labelStudioConfig } from "@radlab/kernel";
 * labelStudioConfig([
 *   { name: "nodules", kind: "box", labels: ["nodule"] },
 *   { name: "quality", kind: "choices", labels: ["good", "poor"] },
 * ]);
 * // <View>
 * //   <Image name="image" value="$image" zoom="true"/>
 * //   <RectangleLabels name="nodules" toName="image">
 * //     <Label value="nodule"/>
 * //   </RectangleLabels>
 * //   <Choices name="quality" toName="image" choice="single">
 * // ...
 * ```
 */
export function labelStudioConfig(controls: readonly LabelStudioControl[]): string {
  const issues = new IssueCollector();
  checkControls(controls, issues, []);
  if (issues.issues.length > 0) {
    throw new LabelStudioError(
      `The labeling config has ${issues.issues.length} problem(s):`,
      issues.issues,
      "Fix the controls named; each needs a unique name, a kind and at least one label.",
    );
  }
  const lines = ["<View>", '  <Image name="image" value="$image" zoom="true"/>'];
  for (const control of controls) {
    const tag = CONTROL_TAG[control.kind];
    const child = control.kind === "choices" ? "Choice" : "Label";
    const choice = control.kind === "choices" ? ` choice="${control.multiple === true ? "multiple" : "single"}"` : "";
    lines.push(`  <${tag} name="${escapeXml(control.name)}" toName="image"${choice}>`);
    for (const label of control.labels) lines.push(`    <${child} value="${escapeXml(label)}"/>`);
    lines.push(`  </${tag}>`);
  }
  lines.push("</View>");
  return `${lines.join("\n")}\n`;
}

/** The Label Studio result of one annotation on a `width` x `height` image (the kinds are checked before). */
function annotationResult(annotation: Annotation, id: string, width: number, height: number): Record<string, unknown> {
  const g = annotation.geometry;
  const px = (x: number) => (100 * x) / width;
  const py = (y: number) => (100 * y) / height;
  const value =
    g.kind === "box"
      ? {
          x: px(g.x),
          y: py(g.y),
          width: px(g.width),
          height: py(g.height),
          rotation: 0,
          rectanglelabels: [annotation.label],
        }
      : g.kind === "polygon"
        ? { points: g.points.map(([x, y]) => [px(x), py(y)]), closed: true, polygonlabels: [annotation.label] }
        : { format: "rle", rle: maskToBrush(g.mask.data, width, height), brushlabels: [annotation.label] };
  return {
    id,
    type: RESULT_TYPE[g.kind],
    from_name: annotation.labelSet,
    to_name: "image",
    original_width: width,
    original_height: height,
    image_rotation: 0,
    value,
  };
}

/**
 * Exports instances as Label Studio tasks: each frame rendered with the chosen window to
 * `<folder>/images/<sha256>.png`, and `<folder>/tasks.json` (Label Studio's import format) with one
 * task per image, `data: { image, radlab_sha256, radlab_frame, ...item.data }`. Existing annotations
 * and choices become `predictions` (pre-annotations, `model_version` `radlab`) in Label Studio's
 * percent coordinates; with `controls`, the matching labeling config is written too.
 *
 * Items are read one at a time, so an async generator over a store keeps one dataset in memory.
 * `tasks.json` is written last, in one rename: a failed export leaves no task list behind.
 *
 * @param items - The images to export (an array, a generator or an async generator).
 * @returns What was written, and the pre-annotations that matched no exported image.
 * @throws {@link LabelStudioError} `label-studio` before rendering anything when the options or
 *   pre-annotations have problems (every problem listed): a bad frame or controls, a label set
 *   holding several kinds of region, a label set or label the controls do not have. During the
 *   export, for an item whose hash is not 64 lowercase hex digits or repeats, whose `data` uses a
 *   reserved key, or whose mask does not match its image size.
 * @throws {@link DicomError} from decoding a frame, naming the file and tag.
 *
 * @example
 * ```ts
 * import { exportLabelStudioTasks, openStore } from "@radlab/kernel";
 * const store = await openStore({ home: "/data/radlab" });
 * const shas = (await store.query("SELECT sha256 FROM instances LIMIT 50")).map((row) => String(row["sha256"]));
 * const summary = await exportLabelStudioTasks(
 *   (async function* () {
 *     for (const sha256 of shas) yield { sha256, dataset: await store.dataset(sha256) };
 *   })(),
 *   { folder: "./ls-export", window: "lung", urlPrefix: "http://localhost:8081" },
 * );
 * summary.tasksFile; // "ls-export/tasks.json"
 * ```
 */
export async function exportLabelStudioTasks(
  items: Iterable<LabelStudioItem> | AsyncIterable<LabelStudioItem>,
  options: LabelStudioExportOptions,
): Promise<LabelStudioExportSummary> {
  const frame = options.frame ?? 0;
  const annotations = [...(options.annotations ?? [])];
  const choices = [...(options.choices ?? [])];
  const issues = new IssueCollector();
  issues.number(frame, ["frame"], { integer: true, min: 0 });
  const controls = options.controls === undefined ? null : checkControls(options.controls, issues, ["controls"]);
  // One label set is one control, so it holds one kind of region (or choices).
  const kinds = new Map<string, LabelStudioControlKind>();
  const checkKind = (
    labelSet: string,
    kind: LabelStudioControlKind,
    values: readonly string[],
    at: (string | number)[],
  ) => {
    const earlier = kinds.get(labelSet);
    if (earlier !== undefined && earlier !== kind) {
      issues.add(
        "mixed-kinds",
        at,
        `Label set "${labelSet}" holds both ${earlier} and ${kind} values; a Label Studio control draws one kind.`,
      );
      return;
    }
    kinds.set(labelSet, kind);
    if (values.length === 0 || values.includes("")) {
      issues.add("no-labels", at, `A "${labelSet}" value is missing or empty; Label Studio needs a label.`);
    }
    if (controls === null) return;
    const control = controls.get(labelSet);
    if (control === undefined || control.kind !== kind) {
      issues.add(
        "no-control",
        at,
        `No ${kind} control is named "${labelSet}"; Label Studio would not show this pre-annotation.`,
      );
      return;
    }
    for (const value of values) {
      if (!control.labels.includes(value)) {
        issues.add("unknown-label", at, `Control "${labelSet}" has no label "${value}".`);
      }
    }
  };
  annotations.forEach((a, i) => checkKind(a.labelSet, a.geometry.kind, [a.label], ["annotations", i]));
  choices.forEach((c, i) => checkKind(c.labelSet, "choices", c.values, ["choices", i]));
  if (issues.issues.length > 0) {
    throw new LabelStudioError(
      `The Label Studio export has ${issues.issues.length} problem(s):`,
      issues.issues,
      "Fix the options named; nothing was written.",
    );
  }

  const folder = options.folder;
  const imagesFolder = path.join(folder, "images");
  await mkdir(imagesFolder, { recursive: true });
  const prefix = (options.urlPrefix ?? `/data/local-files/?d=${path.basename(path.resolve(folder))}`).replace(
    /\/+$/,
    "",
  );
  const labelConfig = options.controls === undefined ? null : labelStudioConfig(options.controls);
  const pending = new Map<string, { annotations: Annotation[]; choices: LabelStudioChoice[] }>();
  const unusedAnnotations: Annotation[] = [];
  for (const a of annotations) {
    if (a.frame !== frame) unusedAnnotations.push(a);
    else {
      const entry = pending.get(a.sha256) ?? { annotations: [], choices: [] };
      entry.annotations.push(a);
      pending.set(a.sha256, entry);
    }
  }
  for (const c of choices) {
    const entry = pending.get(c.sha256) ?? { annotations: [], choices: [] };
    entry.choices.push(c);
    pending.set(c.sha256, entry);
  }

  const tasks: Record<string, unknown>[] = [];
  const images: string[] = [];
  const exported = new Set<string>();
  let predictions = 0;
  let index = 0;
  for await (const item of items) {
    const at = `items[${index}]`;
    if (!SHA256.test(item.sha256)) {
      throw new RadlabError("label-studio", `${at}: "${item.sha256}" is not a SHA-256 content hash.`, {
        path: `${at}.sha256`,
        hint: "Pass the sha256 column of store.catalog(): 64 lowercase hex digits.",
      });
    }
    if (exported.has(item.sha256)) {
      throw new RadlabError("label-studio", `${at}: instance ${item.sha256} is exported twice.`, {
        path: `${at}.sha256`,
        hint: "Pass each instance once; Label Studio would show it as two tasks.",
      });
    }
    const extra = item.data ?? {};
    const reserved = Object.keys(extra).filter((k) => RESERVED_DATA.has(k));
    if (reserved.length > 0) {
      throw new RadlabError("label-studio", `${at}: data uses the reserved key(s) ${reserved.join(", ")}.`, {
        path: `${at}.data.${reserved[0]}`,
        hint: "Rename them: image, radlab_sha256 and radlab_frame are written by the export.",
      });
    }
    exported.add(item.sha256);
    const image = renderFrame(item.dataset, await decodeFrame(item.dataset, frame), options.window);
    const file = path.join(imagesFolder, `${item.sha256}.png`);
    await writeFile(file, encodePng(image));
    images.push(file);

    const entry = pending.get(item.sha256);
    pending.delete(item.sha256);
    const result: Record<string, unknown>[] = [];
    for (const a of entry?.annotations ?? []) {
      if (a.geometry.kind === "mask") {
        const { rows, columns, data } = a.geometry.mask;
        if (rows !== image.height || columns !== image.width || data.length !== rows * columns) {
          throw new RadlabError(
            "label-studio",
            `A "${a.labelSet}" mask on ${item.sha256} is ${columns} x ${rows} (${data.length} pixels); the image is ${image.width} x ${image.height}.`,
            { path: `${at}`, hint: "Masks must cover the frame pixel for pixel: rows x columns of the instance." },
          );
        }
      }
      result.push(annotationResult(a, `radlab-${result.length}`, image.width, image.height));
    }
    for (const c of entry?.choices ?? []) {
      result.push({
        id: `radlab-${result.length}`,
        type: "choices",
        from_name: c.labelSet,
        to_name: "image",
        value: { choices: [...c.values] },
      });
    }
    predictions += result.length;
    tasks.push({
      data: {
        image: `${prefix}/images/${item.sha256}.png`,
        radlab_sha256: item.sha256,
        radlab_frame: frame,
        ...extra,
      },
      ...(result.length === 0 ? {} : { predictions: [{ model_version: "radlab", result }] }),
    });
    index++;
  }

  const tasksFile = path.join(folder, "tasks.json");
  await writeFile(`${tasksFile}.partial`, `${JSON.stringify(tasks, null, 2)}\n`);
  await rename(`${tasksFile}.partial`, tasksFile);
  let configFile: string | null = null;
  if (labelConfig !== null) {
    configFile = path.join(folder, "label-config.xml");
    await writeFile(configFile, labelConfig);
  }
  for (const entry of pending.values()) unusedAnnotations.push(...entry.annotations);
  return {
    count: tasks.length,
    tasksFile,
    images,
    predictions,
    configFile,
    labelConfig,
    unused: {
      annotations: unusedAnnotations,
      choices: [...pending.values()].flatMap((e) => e.choices),
    },
  };
}

type Path = readonly (string | number)[];

/** The ordering key of an annotation: its time (ms) and id; `null` when invalid (issues recorded). */
function annotationKey(
  annotation: Record<string, unknown>,
  at: Path,
  issues: IssueCollector,
): { time: number; id: number } | null {
  const id = annotation["id"];
  const okId = issues.number(id, [...at, "id"], { integer: true });
  const field = annotation["updated_at"] === undefined ? "created_at" : "updated_at";
  const stamp = annotation[field];
  let time = Number.NaN;
  if (issues.string(stamp, [...at, field])) {
    time = TIMESTAMP.test(stamp) ? Date.parse(stamp) : Number.NaN;
    if (Number.isNaN(time)) {
      issues.add("bad-timestamp", [...at, field], `"${stamp}" is not an ISO 8601 timestamp with a time zone.`);
    }
  }
  return okId && !Number.isNaN(time) ? { time, id: id as number } : null;
}

/** The labels of a region result: a non-empty array of non-empty strings. */
function regionLabels(value: Record<string, unknown>, key: string, at: Path, issues: IssueCollector): string[] | null {
  const labels = value[key];
  if (!issues.array(labels, [...at, key])) return null;
  if (labels.length === 0) {
    issues.add("no-labels", [...at, key], `${key} is empty: choose a value for it in Label Studio.`);
    return null;
  }
  let ok = true;
  labels.forEach((label, i) => {
    if (issues.string(label, [...at, key, i]) && label === "") {
      ok = issues.add("no-labels", [...at, key, i], "A label is empty.");
    } else if (typeof label !== "string") ok = false;
  });
  return ok ? (labels as string[]) : null;
}

interface Imported {
  readonly annotations: { annotation: Annotation; region: string }[];
  readonly choices: { labelSet: string; values: string[]; region: string }[];
  readonly regions: { labelSet: string; region: string }[];
}

/** Converts one result into `out`, recording issues; the task is dropped if any were recorded. */
function importResult(
  result: unknown,
  at: Path,
  sha256: string,
  frame: number,
  ignore: ReadonlySet<string>,
  issues: IssueCollector,
  out: Imported,
): void {
  if (!issues.record(result, at)) return;
  const type = result["type"];
  if (!issues.string(type, [...at, "type"]) || ignore.has(type)) return;
  if (type !== "choices" && !REGION_TYPES.has(type)) {
    issues.add(
      "unsupported-result-type",
      [...at, "type"],
      `Result type "${type}" is not one radlab imports (${IMPORTED_TYPES}); list it in ignoreResultTypes to leave it out.`,
    );
    return;
  }
  const id = result["id"];
  const fromName = result["from_name"];
  const value = result["value"];
  const okId = issues.string(id, [...at, "id"]);
  const okName = issues.string(fromName, [...at, "from_name"]);
  const okValue = issues.record(value, [...at, "value"]);
  if (!okId || !okName || !okValue) return;
  const v = [...at, "value"];
  if (type === "choices") {
    const values = regionLabels(value, "choices", v, issues);
    if (values !== null) out.choices.push({ labelSet: fromName, values, region: id });
    return;
  }
  out.regions.push({ labelSet: fromName, region: id });
  const width = result["original_width"];
  const height = result["original_height"];
  const okWidth = issues.number(width, [...at, "original_width"], { integer: true, min: 1 });
  const okHeight = issues.number(height, [...at, "original_height"], { integer: true, min: 1 });
  const rotation = result["image_rotation"] ?? 0;
  if (issues.number(rotation, [...at, "image_rotation"]) && rotation % 360 !== 0) {
    issues.add(
      "image-rotated",
      [...at, "image_rotation"],
      `The image was rotated by ${rotation} degrees in the editor, so the region is not in the instance's pixel grid; reset the rotation in Label Studio and update the annotation.`,
    );
  }
  const labels = regionLabels(value, type, v, issues);
  if (!okWidth || !okHeight) return;
  const w = width as number;
  const h = height as number;
  let geometry: Geometry | null = null;
  if (type === "rectanglelabels") {
    const [x, y, bw, bh] = (["x", "y", "width", "height"] as const).map((k) => value[k]);
    const okBox =
      [issues.number(x, [...v, "x"]), issues.number(y, [...v, "y"])].every(Boolean) &&
      [issues.number(bw, [...v, "width"], { min: 0 }), issues.number(bh, [...v, "height"], { min: 0 })].every(Boolean);
    const angle = value["rotation"] ?? 0;
    if (!issues.number(angle, [...v, "rotation"]) || !okBox) return;
    const left = ((x as number) * w) / 100;
    const top = ((y as number) * h) / 100;
    const pw = ((bw as number) * w) / 100;
    const ph = ((bh as number) * h) / 100;
    if (angle % 360 === 0) geometry = { kind: "box", x: left, y: top, width: pw, height: ph };
    else {
      // Turned clockwise on screen (y down) about the top-left corner, in pixels: the percent
      // axes have different scales unless the image is square.
      const cos = Math.cos((angle * Math.PI) / 180);
      const sin = Math.sin((angle * Math.PI) / 180);
      geometry = {
        kind: "polygon",
        points: [
          [left, top],
          [left + pw * cos, top + pw * sin],
          [left + pw * cos - ph * sin, top + pw * sin + ph * cos],
          [left - ph * sin, top + ph * cos],
        ],
      };
    }
  } else if (type === "polygonlabels") {
    const points = value["points"];
    if (!issues.array(points, [...v, "points"])) return;
    if (value["closed"] === false) {
      issues.add("polygon-open", [...v, "closed"], "The polygon is not closed; close it in Label Studio.");
    }
    if (points.length < 3) {
      issues.add("too-few-points", [...v, "points"], `A polygon needs at least 3 points, not ${points.length}.`);
      return;
    }
    const pixels: [number, number][] = [];
    points.forEach((point, i) => {
      const p = [...v, "points", i];
      if (!issues.array(point, p)) return;
      if (point.length !== 2) {
        issues.add("expected-point", p, `expected a point [x, y], got ${point.length} number(s)`);
        return;
      }
      if (issues.number(point[0], [...p, 0]) && issues.number(point[1], [...p, 1])) {
        pixels.push([((point[0] as number) * w) / 100, ((point[1] as number) * h) / 100]);
      }
    });
    if (pixels.length === points.length) geometry = { kind: "polygon", points: pixels };
  } else {
    if (value["format"] !== "rle") {
      issues.add(
        "brush-format",
        [...v, "format"],
        `Brush format ${JSON.stringify(value["format"])} is not "rle", the one Label Studio exports.`,
      );
      return;
    }
    const rle = value["rle"];
    if (!issues.array(rle, [...v, "rle"])) return;
    try {
      geometry = { kind: "mask", mask: { rows: h, columns: w, data: brushToMask(rle as number[], w, h) } };
    } catch (error) {
      if (!(error instanceof RadlabError)) throw error;
      issues.add("brush-rle", [...v, "rle"], error.message.split("\n")[0] ?? error.message);
    }
  }
  if (geometry === null || labels === null) return;
  for (const label of labels) {
    out.annotations.push({ annotation: { sha256, labelSet: fromName, label, frame, geometry }, region: id });
  }
}

/** Imports one task into `out`, or records why it is skipped. */
function importTask(
  task: unknown,
  index: number,
  options: LabelStudioImportOptions,
  ignore: ReadonlySet<string>,
  out: { choices: LabelStudioImportedChoice[]; annotations: LabelStudioAnnotation[]; skipped: LabelStudioSkip[] },
): void {
  const issues = new IssueCollector();
  const skip = (taskId: number | null) => {
    for (const issue of issues.issues) out.skipped.push({ task: taskId, ...issue });
  };
  if (!issues.record(task, [index])) return skip(null);
  const rawId = task["id"];
  const taskId = typeof rawId === "number" && Number.isInteger(rawId) ? rawId : null;
  if (taskId === null) issues.number(rawId, [index, "id"], { integer: true });
  const name = `Task ${taskId ?? `at index ${index}`}`;

  let sha256 = "";
  let frame = 0;
  const data = task["data"];
  if (issues.record(data, [index, "data"])) {
    const sha = data["radlab_sha256"];
    if (sha === undefined) {
      issues.add(
        "missing-sha256",
        [index, "data", "radlab_sha256"],
        `${name} has no data.radlab_sha256, so it cannot be matched to a stored instance; import tasks made by exportLabelStudioTasks.`,
      );
    } else if (typeof sha !== "string" || !SHA256.test(sha)) {
      issues.add(
        "bad-sha256",
        [index, "data", "radlab_sha256"],
        `${name}: data.radlab_sha256 ${JSON.stringify(sha)} is not 64 lowercase hex digits.`,
      );
    } else sha256 = sha;
    const rawFrame = data["radlab_frame"] ?? 0;
    if (issues.number(rawFrame, [index, "data", "radlab_frame"], { integer: true, min: 0 })) frame = rawFrame;
  }

  // The latest annotation that was not cancelled, by updated_at (else created_at), then by id.
  const list = task["annotations"];
  let chosen: { annotation: Record<string, unknown>; at: Path; time: number; id: number } | null = null;
  let cancelled = 0;
  if (issues.array(list, [index, "annotations"])) {
    list.forEach((annotation, j) => {
      const at = [index, "annotations", j];
      if (!issues.record(annotation, at)) return;
      const wasCancelled = annotation["was_cancelled"] ?? false;
      if (wasCancelled !== true && wasCancelled !== false) {
        issues.add("expected-boolean", [...at, "was_cancelled"], "expected true or false");
        return;
      }
      if (wasCancelled) {
        cancelled++;
        return;
      }
      const key = annotationKey(annotation, at, issues);
      if (key === null) return;
      if (chosen === null || key.time > chosen.time || (key.time === chosen.time && key.id > chosen.id)) {
        chosen = { annotation, at, ...key };
      }
    });
  }
  if (issues.issues.length > 0) return skip(taskId);
  // TypeScript does not follow the assignment inside the callback above.
  const pick = chosen as { annotation: Record<string, unknown>; at: Path; time: number; id: number } | null;
  if (pick === null) {
    issues.add(
      "no-annotation",
      [index, "annotations"],
      `${name} has no annotation to import${cancelled > 0 ? ` (${cancelled} cancelled)` : ""}.`,
    );
    return skip(taskId);
  }

  const { annotation, at, time, id } = pick;
  const setAt = new Date(time).toISOString();
  const by = annotation["completed_by"];
  let setBy = "";
  if (typeof by === "number" && Number.isInteger(by)) setBy = options.users?.[by] ?? `label-studio-user-${by}`;
  else if (issues.record(by, [...at, "completed_by"])) {
    const userId = by["id"];
    const email = by["email"];
    const named = typeof userId === "number" ? options.users?.[userId] : undefined;
    if (named !== undefined) setBy = named;
    else if (typeof email === "string" && email !== "") setBy = email;
    else if (typeof userId === "number" && Number.isInteger(userId)) setBy = `label-studio-user-${userId}`;
    else issues.add("unknown-user", [...at, "completed_by"], "completed_by has neither an email nor an integer id.");
  }
  const results = annotation["result"];
  const imported: Imported = { annotations: [], choices: [], regions: [] };
  if (issues.array(results, [...at, "result"])) {
    results.forEach((r, k) => importResult(r, [...at, "result", k], sha256, frame, ignore, issues, imported));
  }
  // Per-region choices (perRegion="true") share the id of their region: they classify the region,
  // not the image, and radlab has no place for them.
  const regionIds = new Set(imported.regions.map((r) => r.region));
  imported.choices.forEach((c) => {
    if (regionIds.has(c.region)) {
      issues.add(
        "per-region-choices",
        [...at, "result"],
        `Choices "${c.labelSet}" belong to region ${c.region} (perRegion); radlab imports image-level choices only.`,
      );
    }
  });
  if (issues.issues.length > 0 || taskId === null) return skip(taskId);
  const source = (region: string): LabelStudioSource => ({ task: taskId, annotation: id, region });
  for (const c of imported.choices) {
    out.choices.push({ sha256, labelSet: c.labelSet, values: c.values, setBy, setAt, source: source(c.region) });
  }
  for (const a of imported.annotations) {
    out.annotations.push({ ...a.annotation, setBy, setAt, source: source(a.region) });
  }
}

/**
 * Imports Label Studio's JSON export (Export > JSON, the full format: an array of tasks with
 * `data` and `annotations`) as radlab annotations and choices, collecting every problem instead of
 * stopping at the first. Never throws for bad input; see {@link importLabelStudio} for the strict
 * variant.
 *
 * - A task is matched to its instance by `data.radlab_sha256` and `data.radlab_frame` (default 0),
 *   as {@link exportLabelStudioTasks} wrote them.
 * - One annotation per task is imported: the latest one not cancelled (`was_cancelled`), by
 *   `updated_at` (else `created_at`), ties going to the higher id. Predictions are not imported.
 * - `from_name` becomes the label set; `completed_by` the annotator ({@link LabelStudioImportOptions.users}).
 * - `rectanglelabels` become boxes (percent to pixels with `original_width` and `original_height`);
 *   a rotated rectangle becomes the polygon of its four corners. `polygonlabels` become polygons,
 *   `brushlabels` (format `rle`) masks, `choices` image-level values. A region with several labels
 *   gives one annotation per label.
 * - A task with any problem contributes nothing (so a task is imported whole or not at all), and
 *   each problem is in `skipped`: a missing or malformed `radlab_sha256`, an unknown result type,
 *   an image rotated in the editor, an open polygon, a brush that does not fit its image,
 *   per-region choices, malformed fields. A task without an annotation to import is `no-annotation`.
 *
 * @param json - The parsed export (`JSON.parse` of the file).
 * @returns The choices and annotations of the usable tasks, and what was skipped and why.
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { safeImportLabelStudio } from "@radlab/kernel";
 * const { annotations, skipped } = safeImportLabelStudio(JSON.parse(readFileSync("project-1.json", "utf8")), {
 *   ignoreResultTypes: ["relation"],
 * });
 * skipped.map((s) => `${s.task}: ${s.message}`);
 * ```
 */
export function safeImportLabelStudio(json: unknown, options: LabelStudioImportOptions = {}): LabelStudioImportResult {
  const out = {
    choices: [] as LabelStudioImportedChoice[],
    annotations: [] as LabelStudioAnnotation[],
    skipped: [] as LabelStudioSkip[],
  };
  if (!Array.isArray(json)) {
    const got =
      typeof json === "string" ? "a string: pass JSON.parse(text)" : json === null ? "null" : `a ${typeof json}`;
    out.skipped.push({
      task: null,
      code: "expected-array",
      path: [],
      message: `A Label Studio JSON export is an array of tasks, got ${got}.`,
    });
    return out;
  }
  const ignore = new Set(options.ignoreResultTypes ?? []);
  json.forEach((task, index) => importTask(task, index, options, ignore, out));
  return out;
}

/**
 * Imports Label Studio's JSON export like {@link safeImportLabelStudio}, but throws if any task has
 * a problem. Tasks without an annotation to import (`no-annotation`) are not a problem: they stay
 * in `skipped`.
 *
 * @throws {@link LabelStudioError} `label-studio` listing every problem (each with its task and
 *   JSON path); nothing is returned, so nothing half-imported reaches the store.
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { importLabelStudio } from "@radlab/kernel";
 * const { annotations, choices } = importLabelStudio(JSON.parse(readFileSync("project-1.json", "utf8")));
 * ```
 */
export function importLabelStudio(json: unknown, options: LabelStudioImportOptions = {}): LabelStudioImportResult {
  const result = safeImportLabelStudio(json, options);
  const problems = result.skipped.filter((s) => s.code !== "no-annotation");
  if (problems.length > 0) {
    const tasks = new Set(problems.map((p) => (p.task === null ? `[${p.path[0] ?? ""}]` : p.task)));
    throw new LabelStudioError(
      `The Label Studio export has ${problems.length} problem(s) in ${tasks.size} task(s):`,
      problems,
      "Fix the tasks named in Label Studio and export again, or use safeImportLabelStudio to import the other tasks; nothing was imported.",
    );
  }
  return result;
}
