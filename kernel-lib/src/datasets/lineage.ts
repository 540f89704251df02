import { randomUUID } from "node:crypto";
import { CanonicalJsonError, canonicalJson, sha256OfCanonical, type JsonValue } from "../core/canonical-json";
import { codeVersion, recordedVersion } from "../core/environment";
import { RadlabError } from "../core/radlab-error";
import { sqlTimestamp, type Database, type SqlRow, type SqlValue } from "../store/database";

/**
 * What a lineage node is. The named kinds are the ones radlab records; any other non-empty
 * string is allowed for artefacts radlab does not know about yet.
 */
export type LineageNodeKind = "dataset-version" | "model" | "features" | "files" | "store" | (string & {});

/** An artefact a run reads or writes, named by the hash of its content. */
export interface LineageNode {
  readonly kind: LineageNodeKind;
  /** A human name, for example the dataset's name or a model's file name. */
  readonly name: string;
  /** The content hash (lowercase hex, for example a SHA-256): the node's identity. */
  readonly hash: string;
}

/** Where a run is in its life: running, or ended one of three ways (OpenLineage's states). */
export type LineageStatus = "RUNNING" | "COMPLETE" | "FAIL" | "ABORT";

/** What {@link startRun} and {@link recordRun} record about a run when it starts. */
export interface RunSpec {
  /** The job, for example `dataset-commit` or `train-classifier`. */
  readonly job: string;
  /** The job's namespace (default `radlab`). */
  readonly namespace?: string;
  /** The run's parameters: plain data, stored as canonical JSON and hashed. */
  readonly parameters: unknown;
  /** What the run reads. */
  readonly inputs: readonly LineageNode[];
  /** The run's id, a lowercase UUID (default: a new random UUID). */
  readonly runId?: string;
}

/** Options of {@link startRun} and {@link recordRun}. */
export interface LineageOptions {
  /** Where start and end times come from (default the system clock). */
  readonly clock?: () => Date;
}

/** A run as stored: what it was, how it ended, what it read and wrote. */
export interface LineageRunRecord {
  readonly runId: string;
  readonly namespace: string;
  readonly job: string;
  readonly parameters: JsonValue;
  /** SHA-256 of the canonical JSON of {@link LineageRunRecord.parameters}. */
  readonly parametersHash: string;
  /** The `@radlab/kernel` version that ran it, with `+dirty` when the checkout had uncommitted changes. */
  readonly codeVersion: string;
  readonly gitCommit: string | null;
  /** ISO 8601 UTC, millisecond precision. */
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly status: LineageStatus;
  /** The error message of a failed run, or the reason given for an aborted one. */
  readonly error: string | null;
  /** Sorted by kind, name, then hash. */
  readonly inputs: readonly LineageNode[];
  readonly outputs: readonly LineageNode[];
}

/** A started run: end it exactly once, with {@link LineageRun.complete}, `fail` or `abort`. */
export interface LineageRun {
  readonly runId: string;
  readonly namespace: string;
  readonly job: string;
  readonly parametersHash: string;
  /** ISO 8601 UTC. */
  readonly startedAt: string;
  /**
   * Records that the run succeeded and what it wrote.
   *
   * @throws {@link LineageSpecError} `lineage-spec` when an output is malformed (nothing is recorded).
   * @throws {@link RadlabError} `lineage-run-ended` when the run has already ended.
   */
  complete(outputs: readonly LineageNode[]): Promise<LineageRunRecord>;
  /**
   * Records that the run failed, with the error's message.
   *
   * @throws {@link RadlabError} `lineage-run-ended` when the run has already ended.
   */
  fail(error: unknown): Promise<LineageRunRecord>;
  /**
   * Records that the run was stopped on purpose before it finished.
   *
   * @throws {@link RadlabError} `lineage-run-ended` when the run has already ended.
   */
  abort(reason?: string): Promise<LineageRunRecord>;
}

/** One problem with a run spec or a node list. */
export interface LineageIssue {
  readonly code: string;
  /** Where, for example `inputs[1].hash` or `parameters.split.seed`. */
  readonly path: string;
  readonly message: string;
}

/**
 * Thrown when a run spec or its outputs are malformed. Every problem found is in
 * {@link LineageSpecError.issues}; `evidence.path` is the first one's path. Nothing is recorded.
 */
export class LineageSpecError extends RadlabError {
  readonly issues: readonly LineageIssue[];

  constructor(issues: readonly LineageIssue[]) {
    super(
      "lineage-spec",
      `Invalid lineage (${issues.length} issue(s)):\n${issues.map((i) => `  ${i.path}: ${i.message}`).join("\n")}`,
      {
        ...(issues[0] === undefined ? {} : { path: issues[0].path }),
        hint: "Name every input and output by kind, name and the lowercase hex hash of its content (sha256OfCanonical or sha256Hex), and pass plain JSON parameters.",
      },
    );
    this.issues = Object.freeze(issues.map((issue) => Object.freeze({ ...issue })));
  }
}

/** The nodes, runs and edges around a node, as returned by {@link upstream}, {@link downstream} and {@link lineageGraph}. */
export interface LineageGraph {
  /** Sorted by hash. */
  readonly nodes: readonly LineageNode[];
  /** Sorted by start time, then run id. */
  readonly runs: readonly LineageGraphRun[];
  /** `from` a node's hash `to` a run's id for an input, `from` a run's id `to` a hash for an output; sorted by `from`, then `to`. */
  readonly edges: readonly LineageEdge[];
}

/** A run in a {@link LineageGraph}. */
export interface LineageGraphRun {
  readonly runId: string;
  readonly job: string;
  readonly status: LineageStatus;
  /** ISO 8601 UTC. */
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly parametersHash: string;
}

/** An edge of a {@link LineageGraph}: node hash to run id (input) or run id to node hash (output). */
export interface LineageEdge {
  readonly from: string;
  readonly to: string;
}

const HASH = /^[0-9a-f]{8,128}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const STATUSES: readonly LineageStatus[] = ["RUNNING", "COMPLETE", "FAIL", "ABORT"];

/** Orders strings by UTF-16 code units, the same on every engine and locale (SQL `ORDER BY` is not). */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function jsonPath(root: string, path: readonly (string | number)[]): string {
  return (
    root +
    path
      .map((p) =>
        typeof p === "number" ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`,
      )
      .join("")
  );
}

function checkText(value: unknown, path: string, issues: LineageIssue[]): void {
  if (typeof value !== "string" || value.trim() === "") {
    issues.push({ code: "expected-text", path, message: "Expected a non-empty string." });
  } else if (value !== value.trim()) {
    issues.push({
      code: "surrounding-space",
      path,
      message: `${JSON.stringify(value)} has leading or trailing spaces.`,
    });
  }
}

/** Checks a node list and drops exact repeats; a hash listed twice with different names is an issue. */
function checkNodes(nodes: unknown, root: string, issues: LineageIssue[]): LineageNode[] {
  if (!Array.isArray(nodes)) {
    issues.push({ code: "expected-array", path: root, message: "Expected an array of { kind, name, hash }." });
    return [];
  }
  const byHash = new Map<string, LineageNode>();
  (nodes as readonly unknown[]).forEach((node, i) => {
    const at = `${root}[${i}]`;
    if (typeof node !== "object" || node === null) {
      issues.push({ code: "expected-node", path: at, message: "Expected { kind, name, hash }." });
      return;
    }
    const { kind, name, hash } = node as Record<string, unknown>;
    const before = issues.length;
    checkText(kind, `${at}.kind`, issues);
    checkText(name, `${at}.name`, issues);
    if (typeof hash !== "string" || !HASH.test(hash)) {
      issues.push({
        code: "expected-hash",
        path: `${at}.hash`,
        message: `${JSON.stringify(hash)} is not a content hash (8 to 128 lowercase hex digits).`,
      });
    }
    if (issues.length > before) return;
    const clean = Object.freeze({ kind: kind as string, name: name as string, hash: hash as string });
    const seen = byHash.get(clean.hash);
    if (seen === undefined) byHash.set(clean.hash, clean);
    else if (seen.kind !== clean.kind || seen.name !== clean.name) {
      issues.push({
        code: "conflicting-node",
        path: at,
        message: `Hash ${clean.hash} is listed as ${seen.kind} "${seen.name}" and as ${clean.kind} "${clean.name}".`,
      });
    }
  });
  return [...byHash.values()];
}

function throwIfAny(issues: readonly LineageIssue[]): void {
  if (issues.length > 0) throw new LineageSpecError(issues);
}

/**
 * The SHA-256 of a run's parameters in canonical JSON: two runs with the same parameters, written
 * in any key order, have the same hash.
 *
 * @throws {@link CanonicalJsonError} `canonical-json` when the parameters are not plain JSON data.
 * @example
 * ```ts
 * import { parametersHash } from "@radlab/kernel";
 * parametersHash({ seed: 7, epochs: 10 }) === parametersHash({ epochs: 10, seed: 7 }); // true
 * ```
 */
export function parametersHash(parameters: unknown): string {
  return sha256OfCanonical(parameters);
}

/** The code version stored with runs: the package version, `+dirty` for a checkout with local changes. */
function recordedCodeVersion(): { readonly codeVersion: string; readonly gitCommit: string | null } {
  return { codeVersion: recordedVersion(), gitCommit: codeVersion().gitCommit };
}

function isoOf(value: unknown, column: string): string {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
  throw new Error(`lineage_runs.${column} is not a timestamp: ${String(value)}`);
}

function nodeOf(row: SqlRow): LineageNode {
  return Object.freeze({ kind: String(row["kind"]), name: String(row["name"]), hash: String(row["hash"]) });
}

function statusOf(value: unknown): LineageStatus {
  const status = STATUSES.find((s) => s === value);
  if (status === undefined) throw new Error(`lineage_runs.status holds an unknown status: ${String(value)}`);
  return status;
}

function byNode(a: LineageNode, b: LineageNode): number {
  return byText(a.kind, b.kind) || byText(a.name, b.name) || byText(a.hash, b.hash);
}

/**
 * Reads one run with its inputs and outputs.
 *
 * @returns The run, or `undefined` when no run has this id.
 * @example
 * ```ts
 * import { getRun, openStore } from "@radlab/kernel";
 * const store = await openStore({ home: "/data/radlab" });
 * (await getRun(store.db, "0b7e9a53-3c1e-4f5e-9d1a-2f6c8e4b7a10"))?.status; // "COMPLETE"
 * ```
 */
export async function getRun(db: Database, runId: string): Promise<LineageRunRecord | undefined> {
  const [row] = await db.all("SELECT * FROM lineage_runs WHERE run_id = $1", [runId]);
  if (row === undefined) return undefined;
  const io = await db.all("SELECT direction, kind, name, hash FROM lineage_io WHERE run_id = $1", [runId]);
  const side = (direction: string) =>
    Object.freeze(
      io
        .filter((r) => r["direction"] === direction)
        .map(nodeOf)
        .sort(byNode),
    );
  return Object.freeze({
    runId: String(row["run_id"]),
    namespace: String(row["namespace"]),
    job: String(row["job"]),
    parameters: JSON.parse(String(row["parameters"])) as JsonValue,
    parametersHash: String(row["parameters_hash"]),
    codeVersion: String(row["code_version"]),
    gitCommit: row["git_commit"] === null ? null : String(row["git_commit"]),
    startedAt: isoOf(row["started_at"], "started_at"),
    endedAt: row["ended_at"] === null ? null : isoOf(row["ended_at"], "ended_at"),
    status: statusOf(row["status"]),
    error: row["error"] === null ? null : String(row["error"]),
    inputs: side("input"),
    outputs: side("output"),
  });
}

/**
 * Reads one run with its inputs and outputs, or throws when there is none.
 *
 * @throws {@link RadlabError} `lineage-run-unknown` when no run has this id.
 * @example
 * ```ts
 * import { getRunOrThrow, openStore } from "@radlab/kernel";
 * const store = await openStore({ home: "/data/radlab" });
 * const run = await getRunOrThrow(store.db, "0b7e9a53-3c1e-4f5e-9d1a-2f6c8e4b7a10");
 * ```
 */
export async function getRunOrThrow(db: Database, runId: string): Promise<LineageRunRecord> {
  const run = await getRun(db, runId);
  if (run === undefined) {
    throw new RadlabError("lineage-run-unknown", `No lineage run has the id ${runId}.`, {
      hint: "Use the runId returned by startRun or recordRun, or look runs up in the lineage_runs table.",
    });
  }
  return run;
}

async function insertNodes(
  db: Database,
  runId: string,
  direction: "input" | "output",
  nodes: readonly LineageNode[],
): Promise<void> {
  await db.insertMany(
    "lineage_io",
    ["run_id", "direction", "kind", "name", "hash"],
    nodes.map((n): SqlValue[] => [runId, direction, n.kind, n.name, n.hash]),
  );
}

/**
 * Records the start of a run: its job, canonical parameters and their hash, the code version
 * and git commit, the start time and its inputs, in one transaction. End the run with the
 * returned handle.
 *
 * @param db - a research store's database (`store.db`).
 * @param spec - the job, parameters and inputs; see {@link RunSpec}.
 * @returns A handle to complete, fail or abort the run.
 * @throws {@link LineageSpecError} `lineage-spec` when the spec is malformed (nothing is recorded).
 * @throws {@link RadlabError} `lineage-run-exists` when a run with the given `runId` is already recorded.
 * @example
 * ```ts
 * import { openStore, startRun } from "@radlab/kernel";
 * const store = await openStore({ home: "/data/radlab" });
 * const run = await startRun(store.db, {
 *   job: "train-classifier",
 *   parameters: { epochs: 10, seed: 7 },
 *   inputs: [{ kind: "dataset-version", name: "pneumothorax", hash: "9f2c4e1a7b3d5f60" }],
 * });
 * await run.complete([{ kind: "model", name: "resnet18.onnx", hash: "4d5e6f708192a3b4" }]);
 * ```
 */
export async function startRun(db: Database, spec: RunSpec, options: LineageOptions = {}): Promise<LineageRun> {
  const issues: LineageIssue[] = [];
  checkText(spec.job, "job", issues);
  const namespace = spec.namespace ?? "radlab";
  checkText(namespace, "namespace", issues);
  if (spec.runId !== undefined && (typeof spec.runId !== "string" || !UUID.test(spec.runId))) {
    issues.push({
      code: "expected-uuid",
      path: "runId",
      message: `${JSON.stringify(spec.runId)} is not a lowercase UUID (OpenLineage run ids are UUIDs).`,
    });
  }
  let parameters = "null";
  try {
    parameters = canonicalJson(spec.parameters);
  } catch (error) {
    if (!(error instanceof CanonicalJsonError)) throw error;
    for (const issue of error.issues) {
      issues.push({ code: issue.code, path: jsonPath("parameters", issue.path), message: issue.message });
    }
  }
  const inputs = checkNodes(spec.inputs, "inputs", issues);
  throwIfAny(issues);

  const clock = options.clock ?? (() => new Date());
  const runId = spec.runId ?? randomUUID();
  const hash = parametersHash(spec.parameters);
  const started = clock();
  const { codeVersion: version, gitCommit } = recordedCodeVersion();
  await db.transaction(async () => {
    const existing = await db.all("SELECT status FROM lineage_runs WHERE run_id = $1", [runId]);
    if (existing.length > 0) {
      throw new RadlabError("lineage-run-exists", `A lineage run with the id ${runId} is already recorded.`, {
        hint: "Leave runId out to get a new one; each run of a job needs its own id.",
      });
    }
    await db.run(
      `INSERT INTO lineage_runs (run_id, namespace, job, parameters, parameters_hash, code_version, git_commit, started_at, ended_at, status, error)
        VALUES ($1, $2, $3, $4, $5, $6, $7, CAST($8 AS TIMESTAMP), NULL, 'RUNNING', NULL)`,
      [runId, namespace, spec.job, parameters, hash, version, gitCommit, sqlTimestamp(started)],
    );
    await insertNodes(db, runId, "input", inputs);
  });

  const end = async (status: Exclude<LineageStatus, "RUNNING">, error: string | null, outputs: LineageNode[]) => {
    const ended = clock();
    await db.transaction(async () => {
      const [row] = await db.all("SELECT status FROM lineage_runs WHERE run_id = $1", [runId]);
      if (row?.["status"] !== "RUNNING") {
        throw new RadlabError(
          "lineage-run-ended",
          `Lineage run ${runId} (${spec.job}) has already ended as ${String(row?.["status"])}; it cannot end again as ${status}.`,
          { hint: "End each run once: complete, fail or abort. recordRun does this for you." },
        );
      }
      await db.run(
        "UPDATE lineage_runs SET status = $2, ended_at = CAST($3 AS TIMESTAMP), error = $4 WHERE run_id = $1 AND status = 'RUNNING'",
        [runId, status, sqlTimestamp(ended), error],
      );
      await insertNodes(db, runId, "output", outputs);
    });
    return getRunOrThrow(db, runId);
  };

  return Object.freeze({
    runId,
    namespace,
    job: spec.job,
    parametersHash: hash,
    startedAt: started.toISOString(),
    complete(outputs: readonly LineageNode[]) {
      const outputIssues: LineageIssue[] = [];
      const clean = checkNodes(outputs, "outputs", outputIssues);
      throwIfAny(outputIssues);
      return end("COMPLETE", null, clean);
    },
    fail(error: unknown) {
      return end("FAIL", errorMessage(error), []);
    },
    abort(reason?: string) {
      return end("ABORT", reason ?? null, []);
    },
  });
}

/** The text stored for a failure: an error's message (its name when the message is empty), or the thrown value. */
function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message === "" ? error.name : error.message;
  return typeof error === "string" ? error : String(error);
}

/** What {@link recordRun}'s work returns: what it wrote, and the value to hand back. */
export interface RunOutcome<T> {
  readonly outputs: readonly LineageNode[];
  readonly result: T;
}

/** What {@link recordRun} returns: the completed run as stored, and the work's result. */
export interface RecordedRun<T> {
  readonly run: LineageRunRecord;
  readonly result: T;
}

/**
 * Runs `work` as a recorded run: records the start, runs the work, then records COMPLETE with its
 * outputs, or FAIL with the error's message and rethrows the error. Outputs that are malformed
 * also fail the run.
 *
 * @param work - receives the run's id and parameters hash (to write into what it produces).
 * @returns The completed run and the work's result.
 * @throws Whatever `work` throws, after the failure is recorded.
 * @throws {@link LineageSpecError} `lineage-spec` when the spec is malformed (nothing is recorded,
 *   `work` does not run) or the outputs are (the run is recorded as failed).
 * @throws {@link RadlabError} `lineage-record-failed` when the work failed and recording the
 *   failure failed too; `cause` is the work's error.
 * @example
 * ```ts
 * import { openStore, recordRun } from "@radlab/kernel";
 * const store = await openStore({ home: "/data/radlab" });
 * const { result } = await recordRun(
 *   store.db,
 *   { job: "extract-features", parameters: { binWidth: 25 }, inputs: [{ kind: "dataset-version", name: "lungs", hash: "9f2c4e1a7b3d5f60" }] },
 *   async () => ({ outputs: [{ kind: "features", name: "radiomics.parquet", hash: "0a1b2c3d4e5f6071" }], result: 107 }),
 * );
 * ```
 */
export async function recordRun<T>(
  db: Database,
  spec: RunSpec,
  work: (run: { readonly runId: string; readonly parametersHash: string }) => Promise<RunOutcome<T>>,
  options: LineageOptions = {},
): Promise<RecordedRun<T>> {
  const run = await startRun(db, spec, options);
  try {
    const outcome = await work({ runId: run.runId, parametersHash: run.parametersHash });
    return Object.freeze({ run: await run.complete(outcome.outputs), result: outcome.result });
  } catch (error) {
    try {
      // Still running unless complete() got as far as recording the end.
      if ((await getRun(db, run.runId))?.status === "RUNNING") await run.fail(error);
    } catch (recordError) {
      throw new RadlabError(
        "lineage-record-failed",
        `Run ${run.runId} (${spec.job}) failed with "${errorMessage(error)}", and recording the failure failed too: ${errorMessage(recordError)}`,
        { cause: error, hint: "Check that the store's database is reachable; the run stays RUNNING in lineage_runs." },
      );
    }
    throw error;
  }
}

/** The direction of a walk: towards what a node was made from, or what was made from it. */
type Walk = "upstream" | "downstream";

/**
 * The hashes reachable from `hash` (itself included), found by a recursive query. `UNION` (not
 * `UNION ALL`) drops hashes already reached, so cycles end the recursion on both engines.
 */
function reachable(walk: Walk): string {
  const [via, step] = walk === "upstream" ? ["output", "input"] : ["input", "output"];
  return `WITH RECURSIVE reach(hash) AS (
      SELECT CAST($1 AS VARCHAR)
      UNION
      SELECT step.hash FROM reach
        JOIN lineage_io via ON via.hash = reach.hash AND via.direction = '${via}'
        JOIN lineage_io step ON step.run_id = via.run_id AND step.direction = '${step}'
    )`;
}

/** Every recorded naming of each hash, to pick one name per node the same way in every query. */
function pickNodes(rows: readonly SqlRow[]): Map<string, LineageNode> {
  const best = new Map<string, { node: LineageNode; rank: string }>();
  for (const row of rows) {
    const node = nodeOf(row);
    // A node is named as the run that wrote it named it; else as the earliest run that read it.
    const rank = `${row["direction"] === "output" ? 0 : 1}|${isoOf(row["started_at"], "started_at")}|${String(row["run_id"])}`;
    const seen = best.get(node.hash);
    if (seen === undefined || rank < seen.rank) best.set(node.hash, { node, rank });
  }
  return new Map([...best].map(([hash, { node }]) => [hash, node]));
}

async function walkGraph(db: Database, hash: string, walk: Walk): Promise<LineageGraph> {
  const cte = reachable(walk);
  const nodeRows = await db.all(
    `${cte} SELECT io.hash, io.kind, io.name, io.direction, io.run_id, r.started_at
      FROM lineage_io io JOIN lineage_runs r ON r.run_id = io.run_id
      WHERE io.hash IN (SELECT hash FROM reach)`,
    [hash],
  );
  const nodes = pickNodes(nodeRows);
  if (!nodes.has(hash)) {
    throw new RadlabError("lineage-node-unknown", `No lineage run read or wrote a node with the hash ${hash}.`, {
      hint: "Pass the full content hash of a dataset version, model or other recorded artefact (lowercase hex).",
    });
  }
  // Upstream: the runs that wrote a reached node; downstream: the runs that read one.
  const runRows = await db.all(
    `${cte} SELECT r.run_id, r.job, r.status, r.started_at, r.ended_at, r.parameters_hash, io.direction, io.hash
      FROM lineage_runs r JOIN lineage_io io ON io.run_id = r.run_id
      WHERE r.run_id IN (SELECT via.run_id FROM lineage_io via
        WHERE via.direction = '${walk === "upstream" ? "output" : "input"}' AND via.hash IN (SELECT hash FROM reach))`,
    [hash],
  );
  const runs = new Map<string, LineageGraphRun>();
  const edges: LineageEdge[] = [];
  for (const row of runRows) {
    const runId = String(row["run_id"]);
    if (!runs.has(runId)) {
      runs.set(
        runId,
        Object.freeze({
          runId,
          job: String(row["job"]),
          status: statusOf(row["status"]),
          startedAt: isoOf(row["started_at"], "started_at"),
          endedAt: row["ended_at"] === null ? null : isoOf(row["ended_at"], "ended_at"),
          parametersHash: String(row["parameters_hash"]),
        }),
      );
    }
    const node = String(row["hash"]);
    // Only edges between reached nodes: a second input of a downstream run is not built from `hash`.
    if (!nodes.has(node)) continue;
    edges.push(row["direction"] === "input" ? { from: node, to: runId } : { from: runId, to: node });
  }
  return graphOf(nodes.values(), runs.values(), edges);
}

/** A frozen graph with every list deduplicated and sorted, so equal graphs are equal values. */
function graphOf(
  nodes: Iterable<LineageNode>,
  runs: Iterable<LineageGraphRun>,
  edges: Iterable<LineageEdge>,
): LineageGraph {
  const nodeMap = new Map([...nodes].map((n) => [n.hash, n]));
  const runMap = new Map([...runs].map((r) => [r.runId, r]));
  const edgeMap = new Map([...edges].map((e) => [`${e.from}\u0000${e.to}`, Object.freeze({ from: e.from, to: e.to })]));
  return Object.freeze({
    nodes: Object.freeze([...nodeMap.values()].sort((a, b) => byText(a.hash, b.hash))),
    runs: Object.freeze(
      [...runMap.values()].sort((a, b) => byText(a.startedAt, b.startedAt) || byText(a.runId, b.runId)),
    ),
    edges: Object.freeze([...edgeMap.values()].sort((a, b) => byText(a.from, b.from) || byText(a.to, b.to))),
  });
}

/**
 * Everything a node was made from, transitively: the runs that wrote it, their inputs, the runs
 * that wrote those, and so on (cycles are followed once).
 *
 * @param hash - the node's content hash.
 * @returns The node, its ancestors, the runs between them and their edges.
 * @throws {@link RadlabError} `lineage-node-unknown` when no run read or wrote the node.
 * @example
 * ```ts
 * import { openStore, upstream } from "@radlab/kernel";
 * const store = await openStore({ home: "/data/radlab" });
 * (await upstream(store.db, "4d5e6f708192a3b4")).runs.map((r) => r.job); // ["dataset-commit", "train-classifier"]
 * ```
 */
export function upstream(db: Database, hash: string): Promise<LineageGraph> {
  return walkGraph(db, hash, "upstream");
}

/**
 * Everything built from a node, transitively: the runs that read it (failed and running ones
 * included), what they wrote, the runs that read that, and so on (cycles are followed once).
 *
 * @param hash - the node's content hash.
 * @returns The node, its descendants, the runs between them and their edges.
 * @throws {@link RadlabError} `lineage-node-unknown` when no run read or wrote the node.
 * @example
 * ```ts
 * import { downstream, openStore } from "@radlab/kernel";
 * const store = await openStore({ home: "/data/radlab" });
 * (await downstream(store.db, "9f2c4e1a7b3d5f60")).nodes.map((n) => n.kind); // ["dataset-version", "model"]
 * ```
 */
export function downstream(db: Database, hash: string): Promise<LineageGraph> {
  return walkGraph(db, hash, "downstream");
}

/**
 * A node's whole line: the union of its {@link upstream} and {@link downstream} graphs.
 *
 * @throws {@link RadlabError} `lineage-node-unknown` when no run read or wrote the node.
 * @example
 * ```ts
 * import { display, lineageDisplay, lineageGraph, openStore } from "@radlab/kernel";
 * const store = await openStore({ home: "/data/radlab" });
 * display(lineageDisplay(await lineageGraph(store.db, "9f2c4e1a7b3d5f60")));
 * ```
 */
export async function lineageGraph(db: Database, hash: string): Promise<LineageGraph> {
  const up = await upstream(db, hash);
  const down = await downstream(db, hash);
  return graphOf([...up.nodes, ...down.nodes], [...up.runs, ...down.runs], [...up.edges, ...down.edges]);
}

// ---------------------------------------------------------------------------------------------
// OpenLineage export

/** The JSON Schema of the events {@link toOpenLineageEvents} returns. */
export const OPENLINEAGE_RUN_EVENT_SCHEMA = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";

/** The `producer` of radlab's OpenLineage events and facets. */
export const RADLAB_PRODUCER = "https://github.com/radlab/radlab/tree/main/kernel-lib";

/** The schema URLs of the facets radlab writes: two standard ones and radlab's own two. */
export const OPENLINEAGE_FACET_SCHEMAS = Object.freeze({
  errorMessage: "https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet",
  version: "https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json#/$defs/DatasetVersionDatasetFacet",
  radlabRun: `${RADLAB_PRODUCER}/spec/RadlabRunFacet.json#/$defs/RadlabRunFacet`,
  radlabDataset: `${RADLAB_PRODUCER}/spec/RadlabDatasetFacet.json#/$defs/RadlabDatasetFacet`,
});

/** The fields every OpenLineage facet carries. */
export interface OpenLineageFacetBase {
  readonly _producer: string;
  readonly _schemaURL: string;
}

/** radlab's run facet: what is needed to run the job again the same way. */
export interface RadlabRunFacet extends OpenLineageFacetBase {
  readonly parameters: JsonValue;
  readonly parametersHash: string;
  readonly codeVersion: string;
  readonly gitCommit: string | null;
}

/** OpenLineage's standard `errorMessage` run facet. */
export interface ErrorMessageRunFacet extends OpenLineageFacetBase {
  readonly message: string;
  readonly programmingLanguage: string;
}

/** An input or output of an {@link OpenLineageRunEvent}: named `<kind>/<name>`, versioned by its hash. */
export interface OpenLineageDataset {
  readonly namespace: string;
  readonly name: string;
  readonly facets: {
    readonly version: OpenLineageFacetBase & { readonly datasetVersion: string };
    readonly radlab: OpenLineageFacetBase & { readonly kind: string; readonly name: string; readonly hash: string };
  };
}

/** An OpenLineage 2-0-2 `RunEvent`. */
export interface OpenLineageRunEvent {
  readonly eventType: "START" | "COMPLETE" | "FAIL" | "ABORT";
  /** ISO 8601 UTC. */
  readonly eventTime: string;
  readonly run: {
    readonly runId: string;
    readonly facets: { readonly radlab: RadlabRunFacet; readonly errorMessage?: ErrorMessageRunFacet };
  };
  readonly job: { readonly namespace: string; readonly name: string; readonly facets: Record<string, never> };
  readonly inputs: readonly OpenLineageDataset[];
  readonly outputs: readonly OpenLineageDataset[];
  readonly producer: string;
  readonly schemaURL: string;
}

function openLineageDataset(namespace: string, node: LineageNode): OpenLineageDataset {
  return {
    namespace,
    name: `${node.kind}/${node.name}`,
    facets: {
      version: { _producer: RADLAB_PRODUCER, _schemaURL: OPENLINEAGE_FACET_SCHEMAS.version, datasetVersion: node.hash },
      radlab: {
        _producer: RADLAB_PRODUCER,
        _schemaURL: OPENLINEAGE_FACET_SCHEMAS.radlabDataset,
        kind: node.kind,
        name: node.name,
        hash: node.hash,
      },
    },
  };
}

/**
 * A recorded run as OpenLineage run events: START, then COMPLETE, FAIL or ABORT once the run has
 * ended. Each event is complete on its own (inputs on both, outputs on COMPLETE), carries radlab's
 * `radlab` run facet (parameters, their hash, code version, git commit) and, on FAIL (or an ABORT
 * with a reason), the standard `errorMessage` facet. Inputs and outputs are named `<kind>/<name>`
 * in the run's namespace, with their hash as the standard `version` facet. Send them to Marquez
 * or any OpenLineage consumer as they are.
 *
 * The events do not carry a `parent` run facet: the store does not record parent runs.
 *
 * @returns One event for a running run, two for an ended one.
 * @throws {@link RadlabError} `lineage-run-unknown` when no run has this id.
 * @example
 * ```ts
 * import { openStore, toOpenLineageEvents } from "@radlab/kernel";
 * const store = await openStore({ home: "/data/radlab" });
 * const events = await toOpenLineageEvents(store.db, "0b7e9a53-3c1e-4f5e-9d1a-2f6c8e4b7a10");
 * events.map((e) => e.eventType); // ["START", "COMPLETE"]
 * ```
 */
export async function toOpenLineageEvents(db: Database, runId: string): Promise<readonly OpenLineageRunEvent[]> {
  const run = await getRunOrThrow(db, runId);
  const radlab: RadlabRunFacet = {
    _producer: RADLAB_PRODUCER,
    _schemaURL: OPENLINEAGE_FACET_SCHEMAS.radlabRun,
    parameters: run.parameters,
    parametersHash: run.parametersHash,
    codeVersion: run.codeVersion,
    gitCommit: run.gitCommit,
  };
  const event = (
    eventType: OpenLineageRunEvent["eventType"],
    eventTime: string,
    outputs: readonly LineageNode[],
    error: string | null,
  ): OpenLineageRunEvent => ({
    eventType,
    eventTime,
    run: {
      runId: run.runId,
      facets:
        error === null
          ? { radlab }
          : {
              radlab,
              errorMessage: {
                _producer: RADLAB_PRODUCER,
                _schemaURL: OPENLINEAGE_FACET_SCHEMAS.errorMessage,
                message: error,
                programmingLanguage: "TypeScript",
              },
            },
    },
    job: { namespace: run.namespace, name: run.job, facets: {} },
    inputs: run.inputs.map((n) => openLineageDataset(run.namespace, n)),
    outputs: outputs.map((n) => openLineageDataset(run.namespace, n)),
    producer: RADLAB_PRODUCER,
    schemaURL: OPENLINEAGE_RUN_EVENT_SCHEMA,
  });
  const start = event("START", run.startedAt, [], null);
  if (run.status === "RUNNING" || run.endedAt === null) return Object.freeze([start]);
  return Object.freeze([start, event(run.status, run.endedAt, run.outputs, run.error)]);
}
