import { RadlabError } from "../core/radlab-error";
import { recordRun, type LineageNode } from "../datasets/lineage";
import { progress as startProgress } from "../display/progress";
import type { DisplaySink } from "../display/display-sink";
import type { Database } from "../store/database";
import { extractFeatures } from "./extract";
import { RadiomicsError } from "./radiomics-error";
import { FeatureTable, type FeatureFailure, type FeatureRow } from "./feature-table";
import type { Mask, Volume } from "./image/volume";
import { radiomicsSettingsHash, checkRadiomicsSettings, type RadiomicsSettings } from "./settings";

/** One image and ROI to compute: who it is, and how to load it (loaded only when its turn comes). */
export interface RadiomicsCase {
  /** Unique within the batch, for example `brain1/tumour`. */
  readonly id: string;
  readonly patientId: string;
  /** The ROI's name, for example `GTV` or `liver`. */
  readonly roi: string;
  /** The case's class for plots and models, when known. */
  readonly label?: string;
  readonly load: () =>
    Promise<{ readonly image: Volume; readonly mask: Mask }> | { readonly image: Volume; readonly mask: Mask };
}

/** Options of {@link extractBatch}. */
export interface BatchOptions {
  /** Show a progress bar (default: in the notebook when there is one). `null`: none. */
  readonly sink?: DisplaySink | null;
  /** Stop between cases when aborted; the cases done so far are returned. */
  readonly signal?: AbortSignal;
  /**
   * Record the batch as a lineage run (job `radiomics-extract`): its parameters are the settings
   * and their hash, its inputs these nodes (for example the dataset version), its output the
   * table's content hash (kind `features`).
   */
  readonly lineage?: { readonly db: Database; readonly inputs: readonly LineageNode[]; readonly name?: string };
}

function failureOf(item: RadiomicsCase, error: unknown): FeatureFailure {
  const code = error instanceof RadlabError ? error.code : "error";
  const message = error instanceof Error ? error.message : String(error);
  return Object.freeze({ caseId: item.id, patientId: item.patientId, roi: item.roi, code, message });
}

async function computeAll(
  cases: readonly RadiomicsCase[],
  settings: RadiomicsSettings,
  options: BatchOptions,
): Promise<FeatureTable> {
  const bar = startProgress({
    label: `Radiomics (${settings.name ?? settings.convention})`,
    total: cases.length,
    unit: "cases",
    ...(options.sink === undefined ? {} : { sink: options.sink }),
  });
  const rows: FeatureRow[] = [];
  const failures: FeatureFailure[] = [];
  // Once the batch has started, a display that stops working (a closed notebook, a dead
  // front end) must not lose the features computed so far: updates of the bar are best effort.
  const bestEffort = (update: () => void): void => {
    try {
      update();
    } catch {
      // The bar is only a view of the work.
    }
  };
  for (const item of cases) {
    if (options.signal?.aborted === true) break;
    try {
      const { image, mask } = await item.load();
      const result = extractFeatures(image, mask, settings);
      rows.push(
        Object.freeze({
          caseId: item.id,
          patientId: item.patientId,
          roi: item.roi,
          label: item.label ?? null,
          ...result,
        }),
      );
    } catch (error) {
      failures.push(failureOf(item, error));
    }
    bestEffort(() => bar.advance());
    // Let the kernel send the progress update between cases.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const aborted = options.signal?.aborted === true;
  const summary = `${rows.length} case(s) computed${failures.length > 0 ? `, ${failures.length} failed` : ""}${aborted ? `; stopped after ${rows.length + failures.length} of ${cases.length}` : ""}`;
  bestEffort(() => (failures.length > 0 || aborted ? bar.fail(summary) : bar.succeed(summary)));
  return new FeatureTable(rows, failures);
}

/**
 * Computes features for many images and ROIs with one settings object: one row per case, a
 * progress bar, and a case that cannot be read or has an empty ROI recorded in
 * `table.failures` with its reason while the rest go on. Cases are loaded one at a time, so a
 * batch of hundreds of CT volumes needs the memory of one.
 *
 * @throws {@link RadiomicsError} `settings` before any case is loaded when the settings are wrong;
 *   `settings` when two cases share an id.
 *
 * @example
 * ```ts
 * import { extractBatch, maskFromLabel, readNrrd, PYRADIOMICS_DEFAULTS } from "@radlab/kernel";
 * const dir = "../shared/data/radiomics/pyradiomics/data";
 * const table = await extractBatch(
 *   ["brain1", "breast1"].map((name) => ({
 *     id: name, patientId: name, roi: "lesion",
 *     load: () => ({ image: readNrrd(`${dir}/${name}_image.nrrd`), mask: maskFromLabel(readNrrd(`${dir}/${name}_label.nrrd`)) }),
 *   })),
 *   PYRADIOMICS_DEFAULTS,
 * );
 * table.rows.length; // 2
 * ```
 */
export async function extractBatch(
  cases: readonly RadiomicsCase[],
  settings: RadiomicsSettings,
  options: BatchOptions = {},
): Promise<FeatureTable> {
  checkRadiomicsSettings(settings);
  const seen = new Set<string>();
  for (const item of cases) {
    if (seen.has(item.id)) {
      throw new RadiomicsError("settings", `Two cases have the id "${item.id}"`, {
        path: "cases",
        hint: "Give each image and ROI its own id, for example `${patient}/${roi}`.",
      });
    }
    seen.add(item.id);
  }
  const lineage = options.lineage;
  if (lineage === undefined) return computeAll(cases, settings, options);
  const { result } = await recordRun(
    lineage.db,
    {
      job: "radiomics-extract",
      parameters: { settings, settingsHash: radiomicsSettingsHash(settings), cases: cases.length },
      inputs: lineage.inputs,
    },
    async () => {
      const featureTable = await computeAll(cases, settings, options);
      return {
        outputs: [{ kind: "features", name: lineage.name ?? settings.name ?? "radiomics", hash: featureTable.hash() }],
        result: featureTable,
      };
    },
  );
  return result;
}
