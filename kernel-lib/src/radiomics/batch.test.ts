import { createHash } from "node:crypto";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getRun, lineageGraph, type LineageNode } from "../datasets/lineage";
import { RADLAB_MIME } from "../display/contract/mime-types";
import type { ProgressPayload } from "../display/contract/progress-payload";
import { createCaptureSink, type DisplaySink } from "../display/display-sink";
import { ENGINES, engineStores } from "../store/test-support/engine-stores";
import { extractBatch, type RadiomicsCase } from "./batch";
import { extractFeatures } from "./extract";
import { maskFromLabel } from "./image/mask";
import { readNrrd } from "./image/nrrd";
import { IDENTITY_DIRECTION, type Mask, type Volume } from "./image/volume";
import { IBSI_DIGITAL_PHANTOM, PYRADIOMICS_DEFAULTS, radiomicsSettingsHash, type IbsiSettings } from "./settings";
import { rejected } from "./test-support/thrown";
import { PYRADIOMICS_DATA } from "./test-support/reference-data";

const { freshStore } = engineStores("radiomics-batch");

/** An 8 x 8 x 4 image of varied intensities (-100..99) with a 4 x 4 x 2 ROI in the middle. */
function synthetic(shift = 0, maskDepth = 4): { image: Volume; mask: Mask } {
  const grid = { spacing: [1, 1, 2] as const, origin: [0, 0, 0] as const, direction: IDENTITY_DIRECTION };
  const data = new Float64Array(256);
  for (let k = 0; k < 4; k++)
    for (let j = 0; j < 8; j++)
      for (let i = 0; i < 8; i++) data[i + 8 * (j + 8 * k)] = ((i * 37 + j * 17 + k * 101 + shift) % 200) - 100;
  const mask = new Uint8Array(64 * maskDepth);
  for (let k = 1; k <= 2; k++) for (let j = 2; j < 6; j++) for (let i = 2; i < 6; i++) mask[i + 8 * (j + 8 * k)] = 1;
  return {
    image: { ...grid, dims: [8, 8, 4], data },
    mask: { ...grid, dims: [8, 8, maskDepth], data: mask, source: `synthetic-${shift}.mask` },
  };
}

/** Cases that record the order in which they are loaded. */
function recorder(): { loads: string[]; make(id: string, load: RadiomicsCase["load"], label?: string): RadiomicsCase } {
  const loads: string[] = [];
  return {
    loads,
    make: (id, load, label) => ({
      id,
      patientId: id.split("/")[0]!,
      roi: "lesion",
      ...(label === undefined ? {} : { label }),
      load: () => {
        loads.push(id);
        return load();
      },
    }),
  };
}

/** pyradiomics' test volumes, read once (nothing modifies its input). */
const volumes = new Map<string, Volume>();
function nrrd(name: string): Volume {
  let volume = volumes.get(name);
  if (volume === undefined) volumes.set(name, (volume = readNrrd(path.join(PYRADIOMICS_DATA, name))));
  return volume;
}
const pyradiomicsCase = (name: string) => () => ({
  image: nrrd(`${name}_image.nrrd`),
  mask: maskFromLabel(nrrd(`${name}_label.nrrd`)),
});

/** The progress bar's last state as shown in the notebook. */
function lastProgress(sink: ReturnType<typeof createCaptureSink>): ProgressPayload {
  expect(sink.outputs).toHaveLength(1);
  return sink.outputs[0]!.bundle.data[RADLAB_MIME.progress] as unknown as ProgressPayload;
}

describe("extractBatch", () => {
  it("gives one row per case, in order, each as extractFeatures computes it", async () => {
    const { loads, make } = recorder();
    const cases = [
      make("brain1/lesion", pyradiomicsCase("brain1"), "brain"),
      make("breast1/lesion", pyradiomicsCase("breast1"), "breast"),
      make("synthetic/lesion", () => synthetic()),
    ];
    const table = await extractBatch(cases, PYRADIOMICS_DEFAULTS, { sink: null });
    expect(loads).toEqual(["brain1/lesion", "breast1/lesion", "synthetic/lesion"]);
    expect(table.rows.map((r) => [r.caseId, r.patientId, r.roi, r.label])).toEqual([
      ["brain1/lesion", "brain1", "lesion", "brain"],
      ["breast1/lesion", "breast1", "lesion", "breast"],
      ["synthetic/lesion", "synthetic", "lesion", null],
    ]);
    expect(table.failures).toEqual([]);
    expect(table.featureNames).toHaveLength(107);
    for (const [r, name] of [
      [0, "brain1"],
      [1, "breast1"],
    ] as const) {
      const own = extractFeatures(
        nrrd(`${name}_image.nrrd`),
        maskFromLabel(nrrd(`${name}_label.nrrd`)),
        PYRADIOMICS_DEFAULTS,
      );
      expect(table.rows[r]!.features).toEqual(own.features);
    }
    expect(table.rows[0]!.provenance.maskVoxels).toBe(4137);
    expect(table.rows[0]!.provenance.settingsHash).toBe(radiomicsSettingsHash(PYRADIOMICS_DEFAULTS));
    const { image, mask } = synthetic();
    expect(table.rows[2]!.features).toEqual(extractFeatures(image, mask, PYRADIOMICS_DEFAULTS).features);
    // breast1 spans 3 bins of 25: the advice travels with its row.
    expect(table.rows[1]!.warnings).toEqual([
      "A bin width of 25 gives only 3 grey level(s), fewer than 8: most texture is lost. Use a narrower bin (or more bins) so that the ROI spans 16 to 128 levels.",
    ]);
    expect(Object.isFrozen(table.rows[0])).toBe(true);
  });

  it("records a case that fails in table.failures with its code and message, and goes on", async () => {
    const { loads, make } = recorder();
    const settings = { ...PYRADIOMICS_DEFAULTS, classes: ["firstorder"] } as const;
    const empty = synthetic();
    const cases = [
      make("a", () => synthetic(0)),
      make("b", () => ({ image: empty.image, mask: { ...empty.mask, data: new Uint8Array(256) } })),
      make("c", () => {
        throw new Error("cannot open ct-007.nrrd");
      }),
      make("d", () => Promise.reject(new Error("PACS timed out"))),
      make("e", () => {
        // A loader that throws something that is not an Error.
        throw "boom";
      }),
      make("f", () => synthetic(0, 3)),
      make("g", () => ({ image: nrrd("brain1_image.nrrd"), mask: maskFromLabel(nrrd("brain1_label.nrrd"), 2) })),
      make("h", () => synthetic(50)),
    ];
    const table = await extractBatch(cases, settings, { sink: null });
    expect(loads).toEqual(["a", "b", "c", "d", "e", "f", "g", "h"]);
    expect(table.rows.map((r) => r.caseId)).toEqual(["a", "h"]);
    expect(table.failures).toEqual([
      {
        caseId: "b",
        patientId: "b",
        roi: "lesion",
        code: "empty-roi",
        message:
          "The mask has no voxel\nHow to fix: Check the mask's label value and that the mask belongs to this image.",
      },
      { caseId: "c", patientId: "c", roi: "lesion", code: "error", message: "cannot open ct-007.nrrd" },
      { caseId: "d", patientId: "d", roi: "lesion", code: "error", message: "PACS timed out" },
      { caseId: "e", patientId: "e", roi: "lesion", code: "error", message: "boom" },
      {
        caseId: "f",
        patientId: "f",
        roi: "lesion",
        code: "geometry",
        message:
          "The image and the mask are not on the same voxel grid: dims is [8, 8, 4] in the image and [8, 8, 3] in the mask\nHow to fix: Resample the mask onto the image grid (resampleMask), or check that the mask belongs to this image.",
      },
      {
        caseId: "g",
        patientId: "g",
        roi: "lesion",
        code: "empty-roi",
        message: "No voxel has label 2; the label image holds 0, 1\nHow to fix: Pick one of the labels present (1).",
      },
    ]);
    expect(table.toMimeBundle().data[RADLAB_MIME.table]).toMatchObject({
      caption: "2 case(s) x 18 features; 6 failed (see .failures)",
    });
  });

  it("refuses two cases with the same id before loading any", async () => {
    const { loads, make } = recorder();
    const error = await rejected(() =>
      extractBatch(
        [make("a", () => synthetic()), make("b", () => synthetic()), make("a", () => synthetic())],
        PYRADIOMICS_DEFAULTS,
        {
          sink: null,
        },
      ),
    );
    expect([error.code, error.evidence.path, error.message]).toEqual([
      "settings",
      "cases",
      'Two cases have the id "a"\nHow to fix: Give each image and ROI its own id, for example `${patient}/${roi}`.',
    ]);
    expect(loads).toEqual([]);
  });

  it("throws a settings error before any case is loaded", async () => {
    const { loads, make } = recorder();
    const cases = [make("a", () => synthetic()), make("b", () => synthetic())];
    const width = await rejected(() => extractBatch(cases, { ...PYRADIOMICS_DEFAULTS, binWidth: 0 }, { sink: null }));
    expect([width.code, width.evidence.path]).toEqual(["settings", "settings.binWidth"]);
    const bins: IbsiSettings = { ...IBSI_DIGITAL_PHANTOM, discretisation: { kind: "fixed-bin-number", bins: 0 } };
    const fbn = await rejected(() => extractBatch(cases, bins, { sink: null }));
    expect([fbn.code, fbn.evidence.path]).toEqual(["settings", "settings.discretisation.bins"]);
    expect(loads).toEqual([]);
  });

  it("stops between cases when the signal is aborted, keeping the cases done", async () => {
    const { loads, make } = recorder();
    const controller = new AbortController();
    const settings = { ...PYRADIOMICS_DEFAULTS, classes: ["firstorder"] } as const;
    const sink = createCaptureSink();
    const cases = [
      make("a", () => {
        controller.abort();
        return synthetic(0);
      }),
      make("b", () => synthetic(1)),
      make("c", () => synthetic(2)),
    ];
    const table = await extractBatch(cases, settings, { sink, signal: controller.signal });
    expect(loads).toEqual(["a"]);
    expect(table.rows.map((r) => r.caseId)).toEqual(["a"]);
    expect(table.failures).toEqual([]);
    expect(lastProgress(sink)).toMatchObject({
      done: 1,
      total: 3,
      status: "failed",
      message: "1 case(s) computed; stopped after 1 of 3",
    });
    const before = await extractBatch(cases, settings, { sink: null, signal: AbortSignal.abort() });
    expect([before.rows, before.failures, loads]).toEqual([[], [], ["a"]]);
  });

  it("shows progress by case: succeeded when all are computed, failed with the count otherwise", async () => {
    const settings = { ...PYRADIOMICS_DEFAULTS, classes: ["firstorder"] } as const;
    const ok = createCaptureSink();
    const { make } = recorder();
    await extractBatch([make("a", () => synthetic(0)), make("b", () => synthetic(1))], settings, { sink: ok });
    expect(lastProgress(ok)).toMatchObject({
      label: "Radiomics (pyradiomics-default)",
      unit: "cases",
      done: 2,
      total: 2,
      status: "succeeded",
      message: "2 case(s) computed",
    });
    const bad = createCaptureSink();
    const unnamed = {
      kind: settings.kind,
      convention: settings.convention,
      binWidth: 25,
      voxelArrayShift: 0,
      classes: settings.classes,
    };
    await extractBatch(
      [
        make("c", () => synthetic(0)),
        make("d", () => {
          throw new Error("unreadable");
        }),
      ],
      unnamed,
      { sink: bad },
    );
    expect(lastProgress(bad)).toMatchObject({
      label: "Radiomics (pyradiomics)",
      done: 2,
      total: 2,
      status: "failed",
      message: "1 case(s) computed, 1 failed",
    });
  });

  it("keeps computing when the display stops working after the batch started", async () => {
    const settings = { ...PYRADIOMICS_DEFAULTS, classes: ["firstorder"] } as const;
    let shown = 0;
    const dying: DisplaySink = {
      name: "dying",
      show() {
        shown++;
      },
      update() {
        throw new Error("front end gone");
      },
    };
    const { make } = recorder();
    const table = await extractBatch([make("a", () => synthetic(0)), make("b", () => synthetic(1))], settings, {
      sink: dying,
    });
    // The final update is forced, so it reached the dead display (and was ignored).
    expect(shown).toBe(1);
    expect(table.rows.map((r) => r.caseId)).toEqual(["a", "b"]);
  });
});

const hashOf = (label: string): string => createHash("sha256").update(label).digest("hex");

describe.each(ENGINES)("extractBatch with lineage (%s)", (engine) => {
  const cohort: LineageNode = { kind: "dataset-version", name: "synthetic-cohort", hash: hashOf("cohort v1") };
  const labels: LineageNode = { kind: "files", name: "labels.csv", hash: hashOf("labels") };
  const settings = { ...PYRADIOMICS_DEFAULTS, classes: ["firstorder", "glcm"] } as const;

  it("records the run: job radiomics-extract, its inputs, and the table as a features node", async () => {
    const { db } = await freshStore(engine, "complete");
    const { make } = recorder();
    const table = await extractBatch([make("a", () => synthetic(0)), make("b", () => synthetic(7))], settings, {
      sink: null,
      lineage: { db, inputs: [labels, cohort], name: "cohort-features" },
    });
    const output: LineageNode = { kind: "features", name: "cohort-features", hash: table.hash() };
    const graph = await lineageGraph(db, table.hash());
    expect(graph.runs).toHaveLength(1);
    const [run] = graph.runs;
    expect([run!.job, run!.status]).toEqual(["radiomics-extract", "COMPLETE"]);
    expect(graph.nodes).toEqual([cohort, labels, output].sort((a, b) => (a.hash < b.hash ? -1 : 1)));
    expect(graph.edges).toEqual(
      [
        { from: cohort.hash, to: run!.runId },
        { from: labels.hash, to: run!.runId },
        { from: run!.runId, to: output.hash },
      ].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0)),
    );
    const record = await getRun(db, run!.runId);
    expect(record).toMatchObject({
      job: "radiomics-extract",
      status: "COMPLETE",
      error: null,
      parameters: {
        cases: 2,
        settings: JSON.parse(JSON.stringify(settings)) as unknown,
        settingsHash: radiomicsSettingsHash(settings),
      },
      inputs: [cohort, labels],
      outputs: [output],
    });
  });

  it("names the features node after the settings, or `radiomics`", async () => {
    const { db } = await freshStore(engine, "names");
    const { make } = recorder();
    const named = await extractBatch([make("a", () => synthetic(0))], settings, {
      sink: null,
      lineage: { db, inputs: [cohort] },
    });
    const ibsi: IbsiSettings = {
      kind: "radiomics-settings",
      convention: "ibsi",
      discretisation: { kind: "fixed-bin-number", bins: 8 },
      families: ["statistics"],
    };
    const unnamed = await extractBatch([make("b", () => synthetic(0))], ibsi, {
      sink: null,
      lineage: { db, inputs: [cohort] },
    });
    const outputs = (await lineageGraph(db, cohort.hash)).nodes.filter((n) => n.kind === "features");
    expect(outputs).toEqual(
      [
        { kind: "features", name: "pyradiomics-default", hash: named.hash() },
        { kind: "features", name: "radiomics", hash: unnamed.hash() },
      ].sort((a, b) => (a.hash < b.hash ? -1 : 1)),
    );
  });

  it("records FAIL with the error when the batch itself fails", async () => {
    const { db } = await freshStore(engine, "fail");
    const { loads, make } = recorder();
    const broken: DisplaySink = {
      name: "broken",
      show() {
        throw new Error("display closed");
      },
      update() {},
    };
    const input: LineageNode = { kind: "dataset-version", name: "synthetic-cohort", hash: hashOf("cohort v2") };
    await expect(
      extractBatch([make("a", () => synthetic(0))], settings, { sink: broken, lineage: { db, inputs: [input] } }),
    ).rejects.toThrow("display closed");
    expect(loads).toEqual([]);
    const graph = await lineageGraph(db, input.hash);
    expect(graph.runs.map((r) => [r.job, r.status])).toEqual([["radiomics-extract", "FAIL"]]);
    expect(await getRun(db, graph.runs[0]!.runId)).toMatchObject({
      status: "FAIL",
      error: "display closed",
      inputs: [input],
      outputs: [],
    });
  });
});
