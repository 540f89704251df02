import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RadlabError } from "../core/radlab-error";
import { all, parseSvg, type XmlElement } from "../display/test-support/parse-svg";
import { openStore, type ResearchStore } from "../store/research-store";
import { lineageGraph, startRun, type LineageGraph, type LineageGraphRun, type LineageNode } from "./lineage";
import { LineageView, layoutLineage, lineageDisplay, renderLineageSvg } from "./lineage-graph";

const hex = (c: string) => c.repeat(64);
const runId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

function run(n: number, job: string, status: LineageGraphRun["status"] = "COMPLETE"): LineageGraphRun {
  return {
    runId: runId(n),
    job,
    status,
    startedAt: `2024-05-01T09:00:0${n}.000Z`,
    endedAt: status === "RUNNING" ? null : `2024-05-01T09:00:0${n}.500Z`,
    parametersHash: hex("f"),
  };
}

/** v1 ─[commit]→ v2 ─┬─[train]→ model, with labels also read by train. */
const v1: LineageNode = { kind: "dataset-version", name: "pneumothorax", hash: hex("a") };
const v2: LineageNode = { kind: "dataset-version", name: "pneumothorax", hash: hex("b") };
const labels: LineageNode = { kind: "files", name: "labels.csv", hash: hex("0") };
const model: LineageNode = { kind: "model", name: "resnet18.onnx", hash: hex("d") };
const chain: LineageGraph = {
  nodes: [labels, v1, v2, model],
  runs: [run(1, "dataset-commit"), run(2, "train-classifier")],
  edges: [
    { from: hex("0"), to: runId(2) },
    { from: runId(1), to: hex("b") },
    { from: runId(2), to: hex("d") },
    { from: hex("a"), to: runId(1) },
    { from: hex("b"), to: runId(2) },
  ],
};

describe("layoutLineage", () => {
  it("puts each vertex one column after its furthest predecessor, and a second input just before its reader", () => {
    const layout = layoutLineage(chain);
    expect(layout.layers).toEqual([[hex("a")], [runId(1)], [hex("0"), hex("b")], [runId(2)], [hex("d")]]);
    expect(layout.crossings).toBe(0);
    // Five columns of 200 px with 80 px between them, two rows of 60 px with 20 px between, 20 px margins.
    expect([layout.width, layout.height]).toEqual([20 + 5 * 200 + 4 * 80 + 20, 20 + 2 * 60 + 20 + 20]);
    expect(layout.vertices.map((v) => [v.id, v.type, v.layer, v.order, v.x, v.y])).toEqual([
      [hex("a"), "node", 0, 0, 120, 90],
      [runId(1), "run", 1, 0, 400, 90],
      [hex("0"), "node", 2, 0, 680, 50],
      [hex("b"), "node", 2, 1, 680, 130],
      [runId(2), "run", 3, 0, 960, 90],
      [hex("d"), "node", 4, 0, 1240, 90],
    ]);
    expect(layout.edges.every((e) => !e.reversed)).toBe(true);
  });

  it("reorders columns by barycentre to remove crossings", () => {
    // In hash order, column 2 is [y, x]: the edges A→x and B→y would cross.
    const [a, b, x, y] = ["1", "2", "e", "d"].map((c) => ({ kind: "files", name: c, hash: hex(c) }));
    const graph: LineageGraph = {
      nodes: [a, b, x, y] as LineageNode[],
      runs: [run(1, "A"), run(2, "B")],
      edges: [
        { from: hex("1"), to: runId(1) },
        { from: runId(1), to: hex("e") },
        { from: hex("2"), to: runId(2) },
        { from: runId(2), to: hex("d") },
      ],
    };
    const layout = layoutLineage(graph);
    expect(layout.layers).toEqual([
      [hex("1"), hex("2")],
      [runId(1), runId(2)],
      [hex("e"), hex("d")],
    ]);
    expect(layout.crossings).toBe(0);
  });

  it("turns around the edge that closes a cycle, and no more", () => {
    const a = { kind: "dataset-version", name: "a", hash: hex("a") };
    const b = { kind: "dataset-version", name: "b", hash: hex("b") };
    const graph: LineageGraph = {
      nodes: [a, b],
      runs: [run(1, "filter"), run(2, "unfilter")],
      edges: [
        { from: hex("a"), to: runId(1) },
        { from: runId(1), to: hex("b") },
        { from: hex("b"), to: runId(2) },
        { from: runId(2), to: hex("a") },
      ],
    };
    const layout = layoutLineage(graph);
    expect(layout.layers).toEqual([[hex("a")], [runId(1)], [hex("b")], [runId(2)]]);
    expect(layout.edges.filter((e) => e.reversed)).toEqual([{ from: runId(2), to: hex("a"), reversed: true }]);
    const svg = parseSvg(renderLineageSvg(graph));
    expect(all(svg, "path[stroke-dasharray]").map((p) => p.getAttribute("data-from"))).toEqual([runId(2)]);
  });

  it("does not depend on the order of the graph's lists", () => {
    const shuffled: LineageGraph = {
      nodes: [...chain.nodes].reverse(),
      runs: [...chain.runs].reverse(),
      edges: [...chain.edges].reverse(),
    };
    expect(layoutLineage(shuffled)).toEqual(layoutLineage(chain));
    expect(renderLineageSvg(shuffled)).toBe(renderLineageSvg(chain));
  });

  it("lists every inconsistency of a hand-made graph", () => {
    let caught: unknown;
    try {
      layoutLineage({
        nodes: [v1, v1],
        runs: [run(1, "x")],
        edges: [
          { from: hex("a"), to: hex("a") },
          { from: runId(1), to: hex("9") },
        ],
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RadlabError);
    const error = caught as RadlabError;
    expect(error.code).toBe("lineage-graph-invalid");
    expect(error.evidence).toEqual({ path: "nodes[1]" });
    expect(error.message.split("\n").slice(0, 4)).toEqual([
      "The lineage graph is inconsistent (3 problem(s)):",
      `  nodes[1]: the id ${hex("a")} is used twice`,
      "  edges[0]: joins two nodes; edges go from a node to a run or back",
      `  edges[1]: ${hex("9")} is not in the graph`,
    ]);
  });
});

describe("renderLineageSvg", () => {
  it("draws a one-run graph exactly", () => {
    const graph: LineageGraph = {
      nodes: [{ kind: "dataset-version", name: "cxr", hash: "0123456789abcdef" }],
      runs: [{ ...run(1, "train", "FAIL"), parametersHash: "ab".repeat(32) }],
      edges: [{ from: "0123456789abcdef", to: runId(1) }],
    };
    const arrow = "radlab-lineage-arrow-";
    const svg = renderLineageSvg(graph);
    const id = /radlab-lineage-arrow-([0-9a-f]{12})/.exec(svg)?.[1];
    expect(svg.replaceAll(`${arrow}${id}`, "ARROW")).toBe(
      '<svg xmlns="http://www.w3.org/2000/svg" width="520" height="100" viewBox="0 0 520 100" font-family="sans-serif" font-size="12" role="img">' +
        "<title>Lineage: 1 node(s), 1 run(s)</title>" +
        '<defs><marker id="ARROW" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto"><path d="M0,0L10,5L0,10z" fill="#607d8b"/></marker></defs>' +
        '<g class="edges" fill="none" stroke="#607d8b" stroke-width="1.5">' +
        `<path d="M220,50C260,50 260,50 300,50" marker-end="url(#ARROW)" data-from="0123456789abcdef" data-to="${runId(1)}"/>` +
        "</g>" +
        '<g class="vertices">' +
        '<g class="node" data-id="0123456789abcdef" data-layer="0"><title>dataset-version cxr\n0123456789abcdef</title>' +
        '<rect x="20" y="20" width="200" height="60" rx="8" ry="8" fill="#ffffff" stroke="#455a64" stroke-width="1.5"/>' +
        '<text x="120" y="38" text-anchor="middle" font-size="10" fill="#607d8b">dataset-version</text>' +
        '<text x="120" y="54" text-anchor="middle" font-weight="bold" fill="#263238">cxr</text>' +
        '<text x="120" y="70" text-anchor="middle" font-family="monospace" font-size="11" fill="#455a64">01234567</text></g>' +
        `<g class="run" data-id="${runId(1)}" data-layer="1" data-status="FAIL">` +
        `<title>train FAIL\nrun ${runId(1)}\nstarted 2024-05-01T09:00:01.000Z\nended 2024-05-01T09:00:01.500Z\nparameters ${"ab".repeat(32)}</title>` +
        '<ellipse cx="400" cy="50" rx="100" ry="30" fill="#ffebee" stroke="#c62828" stroke-width="1.5"/>' +
        '<text x="400" y="47" text-anchor="middle" font-weight="bold" fill="#263238">train</text>' +
        '<text x="400" y="63" text-anchor="middle" font-size="10" fill="#c62828">FAIL</text></g>' +
        "</g></svg>",
    );
    expect(id).toMatch(/^[0-9a-f]{12}$/);
  });

  it("is well-formed XML with one shape per node and run, labelled and coloured by status", () => {
    const graph: LineageGraph = {
      ...chain,
      runs: [run(1, "dataset-commit"), run(2, "train-classifier", "RUNNING")],
    };
    const root = parseSvg(renderLineageSvg(graph));
    expect([root.getAttribute("width"), root.getAttribute("height")]).toEqual(["1360", "180"]);
    const nodes = all(root, "g.node");
    expect(nodes.map((g) => [g.getAttribute("data-id"), g.getAttribute("data-layer")])).toEqual([
      [hex("a"), "0"],
      [hex("0"), "2"],
      [hex("b"), "2"],
      [hex("d"), "4"],
    ]);
    expect(all(nodes[3] as XmlElement, "text").map((t) => t.textContent)).toEqual([
      "model",
      "resnet18.onnx",
      "dddddddd",
    ]);
    expect(all(root, "rect")).toHaveLength(4);
    const runs = all(root, "g.run");
    expect(runs.map((g) => g.getAttribute("data-status"))).toEqual(["COMPLETE", "RUNNING"]);
    expect(all(root, "ellipse").map((e) => [e.getAttribute("fill"), e.getAttribute("stroke")])).toEqual([
      ["#e8f5e9", "#2e7d32"],
      ["#e3f2fd", "#1565c0"],
    ]);
    expect(all(runs[1] as XmlElement, "text").map((t) => t.textContent)).toEqual(["train-classifier", "RUNNING"]);
    // Every edge ends in the arrow marker defined in this drawing.
    const markerId = all(root, "marker")[0]?.getAttribute("id");
    const paths = all(root, "g.edges path");
    expect(paths).toHaveLength(5);
    expect(new Set(paths.map((p) => p.getAttribute("marker-end")))).toEqual(new Set([`url(#${markerId})`]));
  });

  it("escapes markup in names and replaces characters XML cannot hold", () => {
    const nasty: LineageNode = { kind: "files", name: `<script>alert("x")</script> & 'co'\u0001`, hash: hex("c") };
    const graph: LineageGraph = {
      nodes: [nasty],
      runs: [run(1, "<b>&job</b>")],
      edges: [{ from: hex("c"), to: runId(1) }],
    };
    const svg = renderLineageSvg(graph);
    expect(svg).not.toContain("<script>");
    expect(svg).not.toContain("<b>");
    expect(svg).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;co&apos;\uFFFD");
    const root = parseSvg(svg);
    expect(all(root, "script")).toHaveLength(0);
    const title = all(root, "g.node title")[0]?.textContent;
    expect(title).toBe(`files <script>alert("x")</script> & 'co'\uFFFD\n${hex("c")}`);
    // The label is cut at 26 characters, on a character boundary.
    expect(all(root, "g.node text")[1]?.textContent).toBe(`<script>alert("x")</scrip…`);
    expect(all(root, "g.run text")[0]?.textContent).toBe("<b>&job</b>");
  });

  it("cuts long names without splitting a character in two", () => {
    const name = "😀".repeat(30);
    const root = parseSvg(renderLineageSvg({ nodes: [{ kind: "model", name, hash: hex("e") }], runs: [], edges: [] }));
    expect(all(root, "text")[1]?.textContent).toBe(`${"😀".repeat(25)}…`);
  });

  it("gives the same string for the same graph, and a different one for a highlight", () => {
    const first = renderLineageSvg(chain);
    expect(renderLineageSvg(chain)).toBe(first);
    const highlighted = renderLineageSvg(chain, { highlight: hex("b") });
    expect(highlighted).not.toBe(first);
    const root = parseSvg(highlighted);
    const rects = all(root, "g.node").map((g) => [
      g.getAttribute("data-id"),
      all(g, "rect")[0]?.getAttribute("stroke"),
      all(g, "rect")[0]?.getAttribute("stroke-width"),
    ]);
    expect(rects).toEqual([
      [hex("a"), "#455a64", "1.5"],
      [hex("0"), "#455a64", "1.5"],
      [hex("b"), "#ef6c00", "3"],
      [hex("d"), "#455a64", "1.5"],
    ]);
    // Each drawing names its marker after its content, so two drawings on one page never share it.
    const marker = (svg: string) => /<marker id="([^"]+)"/.exec(svg)?.[1];
    expect(marker(highlighted)).not.toBe(marker(first));
  });

  it("bows an edge that skips a column below the shapes it would pass under", () => {
    // The store feeds both commits: its edge to the second one spans three columns.
    const storeNode: LineageNode = { kind: "store", name: "store", hash: hex("5") };
    const graph: LineageGraph = {
      nodes: [storeNode, v1, v2],
      runs: [run(1, "dataset.commit"), run(2, "dataset.commit")],
      edges: [
        { from: hex("5"), to: runId(1) },
        { from: runId(1), to: hex("a") },
        { from: hex("5"), to: runId(2) },
        { from: hex("a"), to: runId(2) },
        { from: runId(2), to: hex("b") },
      ],
    };
    const svg = parseSvg(renderLineageSvg(graph));
    const path = (from: string, to: string) =>
      all(svg, "g.edges path").find((p) => p.getAttribute("data-from") === from && p.getAttribute("data-to") === to);
    const ys = (d: string | null | undefined) => [...(d ?? "").matchAll(/,(-?[\d.]+)/g)].map((m) => Number(m[1]));
    const skipping = ys(path(hex("5"), runId(2))?.getAttribute("d"));
    const adjacent = ys(path(hex("5"), runId(1))?.getAttribute("d"));
    expect(new Set(adjacent).size).toBe(1);
    // From the bottom of the store's box (y 50 + 30) down 36 px and up into the bottom of the run.
    expect(skipping).toEqual([80, 116, 116, 80]);
    expect(svg.getAttribute("height")).toBe(String(20 + 60 + 20 + 36));
  });

  it("refuses to highlight something that is not in the graph", () => {
    let caught: unknown;
    try {
      renderLineageSvg(chain, { highlight: hex("9") });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RadlabError);
    expect((caught as RadlabError).code).toBe("lineage-highlight-unknown");
    expect((caught as RadlabError).message.split("\n")[0]).toBe(
      `${hex("9")} is neither a node nor a run of the lineage graph.`,
    );
  });

  it("draws an empty graph as a small valid SVG that says so", () => {
    const root = parseSvg(renderLineageSvg({ nodes: [], runs: [], edges: [] }));
    expect([root.getAttribute("width"), root.getAttribute("height")]).toEqual(["240", "100"]);
    expect(all(root, "text").map((t) => t.textContent)).toEqual(["No lineage recorded"]);
  });
});

describe("lineageDisplay", () => {
  it("is an SVG with a text listing, and keeps the graph", () => {
    const view = lineageDisplay(chain, { highlight: hex("d") });
    expect(view).toBeInstanceOf(LineageView);
    expect(view.graph).toBe(chain);
    const bundle = view.toMimeBundle();
    expect(Object.keys(bundle.data)).toEqual(["image/svg+xml", "text/plain"]);
    expect(bundle.data["image/svg+xml"]).toBe(renderLineageSvg(chain, { highlight: hex("d") }));
    expect(bundle.data["text/plain"]).toBe(
      [
        "Lineage: 4 node(s), 2 run(s)",
        `dataset-commit [COMPLETE] run ${runId(1)} started 2024-05-01T09:00:01.000Z`,
        "  in:  dataset-version pneumothorax aaaaaaaa",
        "  out: dataset-version pneumothorax bbbbbbbb",
        `train-classifier [COMPLETE] run ${runId(2)} started 2024-05-01T09:00:02.000Z`,
        "  in:  files labels.csv 00000000",
        "  in:  dataset-version pneumothorax bbbbbbbb",
        "  out: model resnet18.onnx dddddddd",
      ].join("\n"),
    );
  });
});

describe("a lineage graph read from a store", () => {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "radlab-lineage-graph-"));
  let store: ResearchStore | undefined;
  afterAll(async () => {
    await store?.close();
    fs.rmSync(temp, { recursive: true, force: true });
  });

  it("lays out dataset v1 → commit → v2 → train → model in five columns", async () => {
    store = await openStore({ home: temp });
    const commit = await startRun(store.db, { job: "dataset-commit", parameters: {}, inputs: [v1], runId: runId(1) });
    await commit.complete([v2]);
    const train = await startRun(store.db, { job: "train", parameters: {}, inputs: [v2], runId: runId(2) });
    await train.complete([model]);
    const graph = await lineageGraph(store.db, v2.hash);
    expect(layoutLineage(graph).layers).toEqual([[v1.hash], [runId(1)], [v2.hash], [runId(2)], [model.hash]]);
    const root = parseSvg(renderLineageSvg(graph, { highlight: v2.hash }));
    expect(all(root, "g.run").map((g) => g.getAttribute("data-layer"))).toEqual(["1", "3"]);
  });
});
