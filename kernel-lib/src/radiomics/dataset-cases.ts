import { annotationContentHash, LabelSets } from "../curation/label-sets";
import type { DatasetVersion } from "../datasets/dataset-version";
import type { LineageNode } from "../datasets/lineage";
import { parameterList } from "../store/database";
import type { ResearchStore } from "../store/research-store";
import type { RadiomicsCase } from "./batch";
import { annotationMask } from "./image/annotation-mask";
import { readDicomSeries } from "./image/dicom-series";
import { gridOf, type Mask, type VoxelGrid } from "./image/volume";
import { RadiomicsError } from "./radiomics-error";

/** Options of {@link datasetCases}. */
export interface DatasetCasesOptions {
  /** The region label set (boxes, polygons or masks) whose annotations make the ROI. */
  readonly roiLabelSet: string;
  /** Only this class of the set (default: every class, united into one ROI). */
  readonly roiLabel?: string;
  /** A classification label set whose value becomes each case's label (values joined by `+`). */
  readonly classLabelSet?: string;
  /** Only members of this split. */
  readonly split?: string;
}

/**
 * The cases of a dataset version for {@link extractBatch}: one per DICOM series, the image read
 * from the store's objects and the ROI built from the annotations the version froze (not the
 * ones the label set holds today), so that features can be recomputed exactly from the version.
 * A series with no annotation in `roiLabelSet` stays a case and fails with `empty-roi` (it shows
 * in `table.failures` rather than vanishing).
 *
 * @throws {@link RadiomicsError} `settings` when the version does not carry `roiLabelSet` or
 *   `classLabelSet`.
 *
 * @example
 * ```ts
 * import { Datasets, datasetCases, datasetLineageInput, extractBatch, openStore, PYRADIOMICS_DEFAULTS } from "@radlab/kernel";
 * const store = await openStore();
 * const version = await new Datasets(store).getOrThrow("3f2a...");
 * const cases = await datasetCases(version, store, { roiLabelSet: "tumour", classLabelSet: "diagnosis" });
 * const table = await extractBatch(cases, PYRADIOMICS_DEFAULTS, { lineage: { db: store.db, inputs: [datasetLineageInput(version)] } });
 * ```
 */
export async function datasetCases(
  version: DatasetVersion,
  store: ResearchStore,
  options: DatasetCasesOptions,
): Promise<RadiomicsCase[]> {
  const carried = (version.record.parameters as { labelSets?: readonly string[] } | null)?.labelSets ?? [];
  for (const [field, set] of [
    ["roiLabelSet", options.roiLabelSet],
    ["classLabelSet", options.classLabelSet],
  ] as const) {
    if (set !== undefined && !carried.includes(set)) {
      throw new RadiomicsError(
        "settings",
        `Version ${version.shortId} does not carry the label set "${set}"; it carries ${carried.join(", ") || "none"}`,
        {
          path: field,
          hint: `Commit a version whose spec lists "${set}" in labelSets, or pick one of ${carried.join(", ")}.`,
        },
      );
    }
  }
  const members = await version.members(options.split);
  const bySha = new Map(members.map((m) => [m.sha256, m]));
  const rows: { sha256: string; series: string; path: string }[] = [];
  const hashes = [...bySha.keys()];
  for (let i = 0; i < hashes.length; i += 500) {
    const chunk = hashes.slice(i, i + 500);
    for (const row of await store.db.all(
      `SELECT sha256, series_uid, object_path FROM instances WHERE sha256 IN (${parameterList(chunk.length)})`,
      chunk,
    )) {
      rows.push({
        sha256: String(row["sha256"]),
        series: String(row["series_uid"]),
        path: store.objects.absolutePath(String(row["object_path"])),
      });
    }
  }
  const series = new Map<string, typeof rows>();
  for (const row of rows.sort((a, b) => (a.sha256 < b.sha256 ? -1 : 1)))
    series.set(row.series, [...(series.get(row.series) ?? []), row]);
  const labels = new LabelSets(store.db, store.objects);
  const roiName = options.roiLabel ?? options.roiLabelSet;
  return [...series].map(([seriesUid, instances]) => {
    const first = bySha.get(instances[0]!.sha256)!;
    const classSet = options.classLabelSet;
    // The series' label: every value its instances carry (usually one).
    const values =
      classSet === undefined
        ? undefined
        : [...new Set(instances.flatMap((i) => bySha.get(i.sha256)!.labels[classSet] ?? []))].sort();
    return {
      id: `${first.patientId}/${seriesUid}/${roiName}`,
      patientId: first.patientId,
      roi: roiName,
      ...(values === undefined || values.length === 0 ? {} : { label: values.join("+") }),
      load: async () => {
        const image = await readDicomSeries(instances.map((s) => s.path));
        const data = new Uint8Array(image.data.length);
        const [columns, rows] = image.dims;
        // Each annotation is drawn on a one-slice grid and copied into its slice of the volume.
        const sliceGrid: VoxelGrid = { ...gridOf(image), dims: [columns, rows, 1] };
        const annotated = instances.filter((i) => bySha.get(i.sha256)!.annotations.length > 0);
        const stored =
          annotated.length === 0
            ? []
            : await store.db.all(
                `SELECT * FROM annotations WHERE label_set = $1 AND sha256 IN (${parameterList(annotated.length, 2)})`,
                [options.roiLabelSet, ...annotated.map((i) => i.sha256)],
              );
        const instanceOf = new Map(annotated.map((i) => [i.sha256, i]));
        let annotations = 0;
        for (const row of stored) {
          const instance = instanceOf.get(String(row["sha256"]))!;
          if (!bySha.get(instance.sha256)!.annotations.includes(annotationContentHash(row))) continue;
          const annotation = labels.toAnnotation(row);
          if (options.roiLabel !== undefined && annotation.label !== options.roiLabel) continue;
          const k = image.slices.findIndex((s) => s.file === instance.path && s.frame === annotation.frame);
          if (k < 0) {
            throw new RadiomicsError(
              "settings",
              `Frame ${annotation.frame} of ${instance.path} is not a slice of series ${seriesUid}`,
              {
                path: "roiLabelSet",
                hint: "The annotation names a frame the instance does not have; re-annotate it.",
              },
            );
          }
          data.set(annotationMask(annotation, sliceGrid).data, k * columns * rows);
          annotations++;
        }
        if (annotations === 0) {
          throw new RadiomicsError(
            "empty-roi",
            `Series ${seriesUid} has no "${roiName}" annotation in version ${version.shortId}`,
            {
              path: "roiLabelSet",
              hint: `Annotate the series in "${options.roiLabelSet}" and commit a new version, or leave it out of the selection.`,
            },
          );
        }
        const mask: Mask = { ...gridOf(image), data, source: `${version.shortId}:${seriesUid}` };
        return { image, mask };
      },
    };
  });
}

/**
 * The lineage node of a dataset version (kind `dataset-version`, named `name@id12`), as the
 * datasets module records it, for {@link BatchOptions.lineage} inputs.
 *
 * @example
 * ```ts
 * import { datasetLineageInput } from "@radlab/kernel";
 * datasetLineageInput(version); // { kind: "dataset-version", name: "lungs@3f2a9c01b7de", hash: "3f2a9c01..." }
 * ```
 */
export function datasetLineageInput(version: DatasetVersion): LineageNode {
  return { kind: "dataset-version", name: `${version.record.dataset}@${version.id.slice(0, 12)}`, hash: version.id };
}
