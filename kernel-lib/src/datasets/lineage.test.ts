import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { canonicalJson } from "../core/canonical-json";
import { codeVersion } from "../core/environment";
import { RadlabError } from "../core/radlab-error";
import type { Database } from "../store/database";
import { ENGINES, engineStores, type Engine } from "../store/test-support/engine-stores";
import {
  OPENLINEAGE_RUN_EVENT_SCHEMA,
  RADLAB_PRODUCER,
  LineageSpecError,
  downstream,
  getRun,
  getRunOrThrow,
  lineageGraph,
  parametersHash,
  recordRun,
  startRun,
  toOpenLineageEvents,
  upstream,
  type LineageNode,
} from "./lineage";

const { freshStore } = engineStores("lineage");

async function freshDb(engine: Engine, name: string): Promise<Database> {
  return (await freshStore(engine, name)).db;
}

/** A content hash for a test artefact: the SHA-256 of its label. */
function hashOf(label: string): string {
  return createHash("sha256").update(label).digest("hex");
}

function node(kind: string, name: string): LineageNode {
  return { kind, name, hash: hashOf(`${kind}:${name}`) };
}

/** A clock that starts at 09:00:00.123 UTC and moves one second per reading. */
function steppingClock(): () => Date {
  let t = Date.parse("2024-05-01T09:00:00.123Z");
  return () => {
    const now = new Date(t);
    t += 1000;
    return now;
  };
}

const runId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../package.json"), "utf8")) as {
  version: string;
};
const RECORDED_VERSION = codeVersion().gitDirty === true ? `${manifest.version}+dirty` : manifest.version;
const GIT_COMMIT = codeVersion().gitCommit;

async function rejection(promise: Promise<unknown>): Promise<RadlabError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(RadlabError);
    return error as RadlabError;
  }
  throw new Error("expected a rejection");
}

const store = node("store", "nih1000");
const v1 = node("dataset-version", "pneumothorax");
const v2 = { kind: "dataset-version", name: "pneumothorax", hash: hashOf("v2") };
const labels = node("files", "labels.csv");
const model = node("model", "resnet18.onnx");
const report = node("files", "eval.json");

describe.each(ENGINES)("lineage recording (%s)", (engine) => {
  it("records a run's start and completion exactly, parameters as canonical JSON", async () => {
    const db = await freshDb(engine, "complete");
    const run = await startRun(
      db,
      {
        job: "train-classifier",
        parameters: { seed: 7, optimiser: { lr: 0.001, name: "adam" }, epochs: 10 },
        inputs: [v2, labels, v2],
        runId: runId(1),
      },
      { clock: steppingClock() },
    );
    expect(run.runId).toBe(runId(1));
    expect(run.namespace).toBe("radlab");
    expect(run.startedAt).toBe("2024-05-01T09:00:00.123Z");
    const canonical = '{"epochs":10,"optimiser":{"lr":0.001,"name":"adam"},"seed":7}';
    const sha = createHash("sha256").update(canonical).digest("hex");
    expect(run.parametersHash).toBe(sha);
    expect((await getRunOrThrow(db, run.runId)).status).toBe("RUNNING");

    const done = await run.complete([model]);
    expect(done).toEqual({
      runId: runId(1),
      namespace: "radlab",
      job: "train-classifier",
      parameters: { epochs: 10, optimiser: { lr: 0.001, name: "adam" }, seed: 7 },
      parametersHash: sha,
      codeVersion: RECORDED_VERSION,
      gitCommit: GIT_COMMIT,
      startedAt: "2024-05-01T09:00:00.123Z",
      endedAt: "2024-05-01T09:00:01.123Z",
      status: "COMPLETE",
      error: null,
      // Sorted by kind: "dataset-version" before "files"; the repeated v2 is stored once.
      inputs: [v2, labels],
      outputs: [model],
    });
    expect(await getRun(db, runId(1))).toEqual(done);
    const [row] = await db.all(
      "SELECT parameters, parameters_hash, status, code_version, git_commit FROM lineage_runs WHERE run_id = $1",
      [runId(1)],
    );
    expect(row).toEqual({
      parameters: canonical,
      parameters_hash: sha,
      status: "COMPLETE",
      code_version: RECORDED_VERSION,
      git_commit: GIT_COMMIT,
    });
    expect(
      (await db.all("SELECT direction, hash FROM lineage_io WHERE run_id = $1", [runId(1)]))
        .map((r) => `${String(r["direction"])} ${String(r["hash"])}`)
        .sort(),
    ).toEqual([`input ${labels.hash}`, `input ${v2.hash}`, `output ${model.hash}`].sort());
  });

  it("records a failure's message and refuses to end a run twice", async () => {
    const db = await freshDb(engine, "fail");
    const run = await startRun(db, { job: "train", namespace: "lab-a", parameters: [], inputs: [v1] });
    expect(run.runId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const failed = await run.fail(new TypeError("out of memory at epoch 3"));
    expect([failed.status, failed.error, failed.outputs, failed.namespace]).toEqual([
      "FAIL",
      "out of memory at epoch 3",
      [],
      "lab-a",
    ]);
    expect(failed.endedAt).not.toBeNull();
    const again = await rejection(run.complete([model]));
    expect(again.code).toBe("lineage-run-ended");
    expect(again.message).toBe(
      `Lineage run ${run.runId} (train) has already ended as FAIL; it cannot end again as COMPLETE.\n` +
        "How to fix: End each run once: complete, fail or abort. recordRun does this for you.",
    );
    // Nothing of the refused completion was written.
    expect(await getRunOrThrow(db, run.runId)).toEqual(failed);

    const aborted = await (await startRun(db, { job: "train", parameters: null, inputs: [] })).abort("stopped by user");
    expect([aborted.status, aborted.error, aborted.parameters]).toEqual(["ABORT", "stopped by user", null]);
  });

  it("collects every problem of a spec and records nothing", async () => {
    const db = await freshDb(engine, "invalid");
    const error = await rejection(
      startRun(db, {
        job: " train",
        namespace: "",
        runId: "not-a-uuid",
        parameters: { lr: Number.NaN, when: new Date(0) },
        inputs: [
          { kind: "model", name: "a", hash: "ABCDEF0123" },
          { kind: "", name: "b", hash: hashOf("b") },
          { kind: "model", name: "c", hash: hashOf("b") },
          { kind: "files", name: "d", hash: hashOf("b") },
        ],
      }),
    );
    expect(error).toBeInstanceOf(LineageSpecError);
    expect((error as LineageSpecError).issues).toEqual([
      { code: "surrounding-space", path: "job", message: '" train" has leading or trailing spaces.' },
      { code: "expected-text", path: "namespace", message: "Expected a non-empty string." },
      {
        code: "expected-uuid",
        path: "runId",
        message: '"not-a-uuid" is not a lowercase UUID (OpenLineage run ids are UUIDs).',
      },
      { code: "non-finite-number", path: "parameters.lr", message: "NaN is not a JSON number." },
      { code: "not-plain-object", path: "parameters.when", message: "a Date is not plain data." },
      {
        code: "expected-hash",
        path: "inputs[0].hash",
        message: '"ABCDEF0123" is not a content hash (8 to 128 lowercase hex digits).',
      },
      { code: "expected-text", path: "inputs[1].kind", message: "Expected a non-empty string." },
      {
        code: "conflicting-node",
        path: "inputs[3]",
        message: `Hash ${hashOf("b")} is listed as model "c" and as files "d".`,
      },
    ]);
    expect(error.code).toBe("lineage-spec");
    expect(error.evidence).toEqual({ path: "job" });
    expect(await db.all("SELECT count(*) AS n FROM lineage_runs")).toEqual([{ n: 0 }]);
    expect(await db.all("SELECT count(*) AS n FROM lineage_io")).toEqual([{ n: 0 }]);
  });

  it("refuses a run id that is already recorded", async () => {
    const db = await freshDb(engine, "duplicate");
    await startRun(db, { job: "a", parameters: {}, inputs: [], runId: runId(9) });
    const error = await rejection(startRun(db, { job: "b", parameters: {}, inputs: [v1], runId: runId(9) }));
    expect(error.code).toBe("lineage-run-exists");
    expect((await getRunOrThrow(db, runId(9))).job).toBe("a");
    expect(await db.all("SELECT count(*) AS n FROM lineage_io")).toEqual([{ n: 0 }]);
  });

  it("recordRun completes with the work's outputs and hands back its result", async () => {
    const db = await freshDb(engine, "record-ok");
    let seen: { runId: string; parametersHash: string } | undefined;
    const { run, result } = await recordRun(
      db,
      { job: "extract-features", parameters: { binWidth: 25 }, inputs: [v2] },
      async (info) => {
        seen = info;
        return { outputs: [node("features", "radiomics.parquet")], result: 107 };
      },
    );
    expect(result).toBe(107);
    expect(seen).toEqual({ runId: run.runId, parametersHash: parametersHash({ binWidth: 25 }) });
    expect([run.status, run.error, run.inputs, run.outputs]).toEqual([
      "COMPLETE",
      null,
      [v2],
      [node("features", "radiomics.parquet")],
    ]);
  });

  it("recordRun records FAIL with the error message and rethrows the same error", async () => {
    const db = await freshDb(engine, "record-fail");
    const boom = new Error("CUDA is not available");
    let thrown: unknown;
    try {
      await recordRun(db, { job: "train", parameters: {}, inputs: [v2], runId: runId(3) }, async () => {
        throw boom;
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBe(boom);
    const run = await getRunOrThrow(db, runId(3));
    expect([run.status, run.error, run.outputs]).toEqual(["FAIL", "CUDA is not available", []]);
  });

  it("recordRun fails the run when the work returns malformed outputs", async () => {
    const db = await freshDb(engine, "record-bad-outputs");
    const error = await rejection(
      recordRun(db, { job: "train", parameters: {}, inputs: [v2], runId: runId(4) }, async () => ({
        outputs: [{ kind: "model", name: "m", hash: "xyz" }],
        result: undefined,
      })),
    );
    expect(error).toBeInstanceOf(LineageSpecError);
    const run = await getRunOrThrow(db, runId(4));
    expect([run.status, run.error?.split("\n")[1], run.outputs]).toEqual([
      "FAIL",
      '  outputs[0].hash: "xyz" is not a content hash (8 to 128 lowercase hex digits).',
      [],
    ]);
  });

  it("recordRun does not run the work when the spec is malformed", async () => {
    const db = await freshDb(engine, "record-bad-spec");
    let ran = false;
    const error = await rejection(
      recordRun(db, { job: "", parameters: {}, inputs: [] }, async () => {
        ran = true;
        return { outputs: [], result: 1 };
      }),
    );
    expect([error.code, ran]).toEqual(["lineage-spec", false]);
    expect(await db.all("SELECT count(*) AS n FROM lineage_runs")).toEqual([{ n: 0 }]);
  });

  it("getRunOrThrow names an unknown run", async () => {
    const db = await freshDb(engine, "unknown-run");
    expect(await getRun(db, runId(404))).toBeUndefined();
    const error = await rejection(getRunOrThrow(db, runId(404)));
    expect([error.code, error.message.split("\n")[0]]).toEqual([
      "lineage-run-unknown",
      `No lineage run has the id ${runId(404)}.`,
    ]);
  });
});

/**
 * store ─[commit 1]→ v1 ─[commit 2]→ v2 ─┬─[train 3]→ model ─[evaluate 5]→ report
 *                         labels ────────┘
 *                                     v2 ─[train 4, FAIL]
 * and an unrelated run 6 (labels → other).
 */
async function recordHistory(db: Database): Promise<void> {
  const clock = steppingClock();
  const ok = async (id: number, job: string, inputs: LineageNode[], outputs: LineageNode[]) => {
    const run = await startRun(db, { job, parameters: { id }, inputs, runId: runId(id) }, { clock });
    await run.complete(outputs);
  };
  await ok(1, "dataset-commit", [store], [v1]);
  await ok(2, "dataset-commit", [v1], [v2]);
  // The training run calls v2 by another name; the graph keeps the name the run that wrote it gave.
  await ok(3, "train-classifier", [{ ...v2, name: "pneumo-v2" }, labels], [model]);
  await (
    await startRun(db, { job: "train-classifier", parameters: {}, inputs: [v2], runId: runId(4) }, { clock })
  ).fail("diverged");
  await ok(5, "evaluate", [model], [report]);
  await ok(6, "other", [labels], [node("files", "other.csv")]);
}

const at = (seconds: number, status = "COMPLETE") => ({
  status,
  startedAt: new Date(Date.parse("2024-05-01T09:00:00.123Z") + seconds * 1000).toISOString(),
  endedAt: new Date(Date.parse("2024-05-01T09:00:00.123Z") + (seconds + 1) * 1000).toISOString(),
});

function sortedBy<T>(items: T[], key: (t: T) => string): T[] {
  return items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

describe.each(ENGINES)("lineage queries (%s)", (engine) => {
  let db: Database;
  beforeAll(async () => {
    db = await freshDb(engine, "queries");
    await recordHistory(db);
  }, 60_000);

  it("upstream of the model: the runs and nodes it was made from, and nothing built from it", async () => {
    const graph = await upstream(db, model.hash);
    expect(graph.nodes).toEqual(sortedBy([store, v1, v2, labels, model], (n) => n.hash));
    expect(graph.runs).toEqual([
      { runId: runId(1), job: "dataset-commit", ...at(0), parametersHash: parametersHash({ id: 1 }) },
      { runId: runId(2), job: "dataset-commit", ...at(2), parametersHash: parametersHash({ id: 2 }) },
      { runId: runId(3), job: "train-classifier", ...at(4), parametersHash: parametersHash({ id: 3 }) },
    ]);
    expect(graph.edges).toEqual(
      sortedBy(
        [
          { from: store.hash, to: runId(1) },
          { from: runId(1), to: v1.hash },
          { from: v1.hash, to: runId(2) },
          { from: runId(2), to: v2.hash },
          { from: v2.hash, to: runId(3) },
          { from: labels.hash, to: runId(3) },
          { from: runId(3), to: model.hash },
        ],
        (e) => `${e.from} ${e.to}`,
      ),
    );
  });

  it("downstream of v1: everything built from it, the failed attempt included, not the other inputs", async () => {
    const graph = await downstream(db, v1.hash);
    expect(graph.nodes).toEqual(sortedBy([v1, v2, model, report], (n) => n.hash));
    expect(graph.runs.map((r) => [r.runId, r.status])).toEqual([
      [runId(2), "COMPLETE"],
      [runId(3), "COMPLETE"],
      [runId(4), "FAIL"],
      [runId(5), "COMPLETE"],
    ]);
    expect(graph.edges).toEqual(
      sortedBy(
        [
          { from: v1.hash, to: runId(2) },
          { from: runId(2), to: v2.hash },
          { from: v2.hash, to: runId(3) },
          { from: v2.hash, to: runId(4) },
          { from: runId(3), to: model.hash },
          { from: model.hash, to: runId(5) },
          { from: runId(5), to: report.hash },
        ],
        (e) => `${e.from} ${e.to}`,
      ),
    );
  });

  it("lineageGraph of v2 is the union of both walks", async () => {
    const graph = await lineageGraph(db, v2.hash);
    const up = await upstream(db, v2.hash);
    const down = await downstream(db, v2.hash);
    expect(graph.nodes).toEqual(sortedBy([store, v1, v2, model, report], (n) => n.hash));
    expect(graph.runs.map((r) => r.runId)).toEqual([runId(1), runId(2), runId(3), runId(4), runId(5)]);
    expect(graph.edges).toHaveLength(up.edges.length + down.edges.length);
    expect(new Set(graph.edges.map((e) => `${e.from}>${e.to}`))).toEqual(
      new Set([...up.edges, ...down.edges].map((e) => `${e.from}>${e.to}`)),
    );
    expect(Object.isFrozen(graph.nodes)).toBe(true);
  });

  it("a node nobody wrote is its own upstream", async () => {
    expect(await upstream(db, store.hash)).toEqual({ nodes: [store], runs: [], edges: [] });
  });

  it("names an unknown hash", async () => {
    const error = await rejection(upstream(db, hashOf("nothing")));
    expect([error.code, error.message.split("\n")[0]]).toEqual([
      "lineage-node-unknown",
      `No lineage run read or wrote a node with the hash ${hashOf("nothing")}.`,
    ]);
    expect((await rejection(downstream(db, "0123abcd"))).code).toBe("lineage-node-unknown");
  });
});

describe.each(ENGINES)("lineage queries over a cycle (%s)", (engine) => {
  it("follow a cycle once and stop", async () => {
    // Content addressing allows cycles: filtering a dataset and undoing the filter gives back the same hash.
    const db = await freshDb(engine, "cycle");
    const a = node("dataset-version", "a");
    const b = node("dataset-version", "b");
    await (await startRun(db, { job: "filter", parameters: {}, inputs: [a], runId: runId(1) })).complete([b]);
    await (await startRun(db, { job: "unfilter", parameters: {}, inputs: [b], runId: runId(2) })).complete([a]);
    const expected = {
      nodes: sortedBy([a, b], (n) => n.hash),
      runs: [runId(1), runId(2)],
      edges: sortedBy(
        [
          { from: a.hash, to: runId(1) },
          { from: runId(1), to: b.hash },
          { from: b.hash, to: runId(2) },
          { from: runId(2), to: a.hash },
        ],
        (e) => `${e.from} ${e.to}`,
      ),
    };
    for (const graph of [await upstream(db, a.hash), await downstream(db, a.hash), await lineageGraph(db, b.hash)]) {
      expect({ ...graph, runs: graph.runs.map((r) => r.runId).sort() }).toEqual(expected);
    }
  });
});

describe.each(ENGINES)("OpenLineage export (%s)", (engine) => {
  const producer = { _producer: RADLAB_PRODUCER };
  const dataset = (n: LineageNode, namespace = "radlab") => ({
    namespace,
    name: `${n.kind}/${n.name}`,
    facets: {
      version: {
        ...producer,
        _schemaURL:
          "https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json#/$defs/DatasetVersionDatasetFacet",
        datasetVersion: n.hash,
      },
      radlab: {
        ...producer,
        _schemaURL: `${RADLAB_PRODUCER}/spec/RadlabDatasetFacet.json#/$defs/RadlabDatasetFacet`,
        kind: n.kind,
        name: n.name,
        hash: n.hash,
      },
    },
  });
  const radlabFacet = (parameters: unknown) => ({
    ...producer,
    _schemaURL: `${RADLAB_PRODUCER}/spec/RadlabRunFacet.json#/$defs/RadlabRunFacet`,
    parameters,
    parametersHash: parametersHash(parameters),
    codeVersion: RECORDED_VERSION,
    gitCommit: GIT_COMMIT,
  });

  it("a completed run is a START and a COMPLETE event, field by field", async () => {
    const db = await freshDb(engine, "ol-complete");
    const clock = steppingClock();
    const parameters = { epochs: 10, seed: 7 };
    await (
      await startRun(db, { job: "train-classifier", parameters, inputs: [v2, labels], runId: runId(1) }, { clock })
    ).complete([model]);
    const events = await toOpenLineageEvents(db, runId(1));
    expect(events).toHaveLength(2);
    const [start, complete] = events;
    const common = {
      run: { runId: runId(1), facets: { radlab: radlabFacet(parameters) } },
      job: { namespace: "radlab", name: "train-classifier", facets: {} },
      inputs: [dataset(v2), dataset(labels)],
      producer: RADLAB_PRODUCER,
      schemaURL: "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
    };
    expect(start).toStrictEqual({
      eventType: "START",
      eventTime: "2024-05-01T09:00:00.123Z",
      ...common,
      outputs: [],
    });
    expect(complete).toStrictEqual({
      eventType: "COMPLETE",
      eventTime: "2024-05-01T09:00:01.123Z",
      ...common,
      outputs: [dataset(model)],
    });
    expect(OPENLINEAGE_RUN_EVENT_SCHEMA).toBe(common.schemaURL);
    // What a consumer receives is JSON: the events survive serialisation unchanged.
    expect(JSON.parse(JSON.stringify(events))).toStrictEqual(events);
  });

  it("a failed run's second event is FAIL with the standard errorMessage facet", async () => {
    const db = await freshDb(engine, "ol-fail");
    const clock = steppingClock();
    const run = await startRun(
      db,
      { job: "train", namespace: "lab-a", parameters: { lr: 0.1 }, inputs: [v2], runId: runId(2) },
      { clock },
    );
    await run.fail(new Error("loss became NaN at step 1200"));
    const [start, fail] = await toOpenLineageEvents(db, runId(2));
    expect(start?.eventType).toBe("START");
    expect(start?.run.facets).toStrictEqual({ radlab: radlabFacet({ lr: 0.1 }) });
    expect(fail).toStrictEqual({
      eventType: "FAIL",
      eventTime: "2024-05-01T09:00:01.123Z",
      run: {
        runId: runId(2),
        facets: {
          radlab: radlabFacet({ lr: 0.1 }),
          errorMessage: {
            ...producer,
            _schemaURL:
              "https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet",
            message: "loss became NaN at step 1200",
            programmingLanguage: "TypeScript",
          },
        },
      },
      job: { namespace: "lab-a", name: "train", facets: {} },
      inputs: [dataset(v2, "lab-a")],
      outputs: [],
      producer: RADLAB_PRODUCER,
      schemaURL: OPENLINEAGE_RUN_EVENT_SCHEMA,
    });
  });

  it("a running run is one START event; an unknown run is an error", async () => {
    const db = await freshDb(engine, "ol-running");
    const run = await startRun(db, { job: "train", parameters: {}, inputs: [] });
    const events = await toOpenLineageEvents(db, run.runId);
    expect(events.map((e) => [e.eventType, e.run.runId, e.eventTime])).toEqual([["START", run.runId, run.startedAt]]);
    expect((await rejection(toOpenLineageEvents(db, runId(77)))).code).toBe("lineage-run-unknown");
  });
});

describe("parametersHash", () => {
  it("is the SHA-256 of the canonical JSON, whatever the key order", () => {
    const text = canonicalJson({ b: [1, 2], a: "x" });
    expect(text).toBe('{"a":"x","b":[1,2]}');
    expect(parametersHash({ b: [1, 2], a: "x" })).toBe(createHash("sha256").update(text).digest("hex"));
    expect(parametersHash({ a: "x", b: [1, 2] })).toBe(parametersHash({ b: [1, 2], a: "x" }));
    expect(parametersHash({ a: "x", b: [2, 1] })).not.toBe(parametersHash({ a: "x", b: [1, 2] }));
  });
});
