import { createHash } from "node:crypto";
import { RadlabError } from "../core/radlab-error";
import { DisplayableValue, type MimeBundle } from "../display/mime-bundle";
import type { LineageGraph, LineageGraphRun, LineageNode, LineageStatus } from "./lineage";

/** A node or run placed by {@link layoutLineage}; `x`, `y` are its centre, in SVG pixels. */
export interface LineageLayoutVertex {
  /** The node's hash or the run's id. */
  readonly id: string;
  readonly type: "node" | "run";
  /** The column, 0 on the left. */
  readonly layer: number;
  /** The position within the column, 0 at the top. */
  readonly order: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** An edge placed by {@link layoutLineage}. */
export interface LineageLayoutEdge {
  readonly from: string;
  readonly to: string;
  /** Whether the edge closes a cycle, and so points right to left. */
  readonly reversed: boolean;
}

/** Where {@link layoutLineage} puts everything: columns from left to right, and the drawing's size. */
export interface LineageLayout {
  /** The ids in each column, top to bottom. */
  readonly layers: readonly (readonly string[])[];
  /** Sorted by layer, then order. */
  readonly vertices: readonly LineageLayoutVertex[];
  readonly edges: readonly LineageLayoutEdge[];
  /** How many pairs of edges cross, drawn as straight lines between centres. */
  readonly crossings: number;
  readonly width: number;
  readonly height: number;
}

/** Options of {@link renderLineageSvg} and {@link lineageDisplay}. */
export interface LineageSvgOptions {
  /** A node's hash or a run's id to draw emphasised (for example the node the graph was asked about). */
  readonly highlight?: string;
}

const BOX_WIDTH = 200;
const BOX_HEIGHT = 60;
const GAP_X = 80;
const GAP_Y = 20;
const MARGIN = 20;
/** How far an edge that skips a column dips below the bottom of its row. */
const SKIP_DROP = 36;
const SWEEPS = 4;

/** Fill and stroke of a run, by status. */
const STATUS_COLOURS: Readonly<Record<LineageStatus, { readonly fill: string; readonly stroke: string }>> = {
  RUNNING: { fill: "#e3f2fd", stroke: "#1565c0" },
  COMPLETE: { fill: "#e8f5e9", stroke: "#2e7d32" },
  FAIL: { fill: "#ffebee", stroke: "#c62828" },
  ABORT: { fill: "#eeeeee", stroke: "#616161" },
};
const NODE_COLOURS = { fill: "#ffffff", stroke: "#455a64" };
const EDGE_COLOUR = "#607d8b";
const HIGHLIGHT = "#ef6c00";
/** Stands for the arrow marker's id until the drawing is complete; no escaped text can contain it. */
const ARROW_PLACEHOLDER = "\u0000arrow\u0000";

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Checks that every edge joins a node and a run of the graph and that no id is used twice.
 *
 * @throws {@link RadlabError} `lineage-graph-invalid`, listing every problem.
 */
function checkGraph(graph: LineageGraph): void {
  const problems: { path: string; message: string }[] = [];
  const kinds = new Map<string, "node" | "run">();
  graph.nodes.forEach((n, i) => {
    if (kinds.has(n.hash)) problems.push({ path: `nodes[${i}]`, message: `the id ${n.hash} is used twice` });
    kinds.set(n.hash, "node");
  });
  graph.runs.forEach((r, i) => {
    if (kinds.has(r.runId)) problems.push({ path: `runs[${i}]`, message: `the id ${r.runId} is used twice` });
    kinds.set(r.runId, "run");
  });
  graph.edges.forEach((e, i) => {
    const from = kinds.get(e.from);
    const to = kinds.get(e.to);
    if (from === undefined || to === undefined) {
      problems.push({ path: `edges[${i}]`, message: `${from === undefined ? e.from : e.to} is not in the graph` });
    } else if (from === to) {
      problems.push({ path: `edges[${i}]`, message: `joins two ${from}s; edges go from a node to a run or back` });
    }
  });
  if (problems.length > 0) {
    throw new RadlabError(
      "lineage-graph-invalid",
      `The lineage graph is inconsistent (${problems.length} problem(s)):\n${problems.map((p) => `  ${p.path}: ${p.message}`).join("\n")}`,
      {
        path: problems[0]?.path ?? "",
        hint: "Draw graphs returned by upstream, downstream or lineageGraph, or keep every edge between a listed node and a listed run.",
      },
    );
  }
}

/** Whether segments p1-p2 and p3-p4 cross at a point inside both (touching ends do not count). */
function segmentsCross(
  [ax, ay]: readonly [number, number],
  [bx, by]: readonly [number, number],
  [cx, cy]: readonly [number, number],
  [dx, dy]: readonly [number, number],
): boolean {
  const side = (px: number, py: number, qx: number, qy: number, rx: number, ry: number) =>
    Math.sign((qx - px) * (ry - py) - (qy - py) * (rx - px));
  return (
    side(ax, ay, bx, by, cx, cy) * side(ax, ay, bx, by, dx, dy) < 0 &&
    side(cx, cy, dx, dy, ax, ay) * side(cx, cy, dx, dy, bx, by) < 0
  );
}

/**
 * Lays a lineage graph out left to right, the layered way (Sugiyama): edges that close a cycle
 * are turned around; every vertex goes one column right of its furthest predecessor
 * (longest-path layering), and a vertex with no predecessor moves right to sit just before its
 * nearest successor; then columns are reordered by the mean height of each vertex's neighbours
 * (barycentres), sweeping right and back up to four times and keeping the order with the
 * fewest crossings. Ties keep the graph's own order (nodes by hash, then runs by start), so the
 * same graph always gets the same layout.
 *
 * @throws {@link RadlabError} `lineage-graph-invalid` when an edge does not join a node and a run of the graph.
 * @example
 * ```ts
 * import { layoutLineage, lineageGraph, openStore } from "@radlab/kernel";
 * const store = await openStore({ home: "/data/radlab" });
 * layoutLineage(await lineageGraph(store.db, "9f2c4e1a7b3d5f60")).layers.length; // 5
 * ```
 */
export function layoutLineage(graph: LineageGraph): LineageLayout {
  checkGraph(graph);
  const ids = [
    ...[...graph.nodes].sort((a, b) => byText(a.hash, b.hash)).map((n) => ({ id: n.hash, type: "node" as const })),
    ...[...graph.runs]
      .sort((a, b) => byText(a.startedAt, b.startedAt) || byText(a.runId, b.runId))
      .map((r) => ({ id: r.runId, type: "run" as const })),
  ];
  const rank = new Map(ids.map((v, i) => [v.id, i]));
  const edges = [...new Map(graph.edges.map((e) => [`${e.from}\u0000${e.to}`, e])).values()].sort(
    (a, b) => (rank.get(a.from) ?? 0) - (rank.get(b.from) ?? 0) || (rank.get(a.to) ?? 0) - (rank.get(b.to) ?? 0),
  );
  const out = new Map<string, string[]>(ids.map((v) => [v.id, []]));
  for (const e of edges) out.get(e.from)?.push(e.to);

  // Depth-first search in the graph's order: an edge back to a vertex still open closes a cycle.
  const reversed = new Set<string>();
  const state = new Map<string, "open" | "done">();
  for (const { id: root } of ids) {
    if (state.has(root)) continue;
    const stack: { id: string; next: number }[] = [{ id: root, next: 0 }];
    state.set(root, "open");
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { id: string; next: number };
      const successors = out.get(top.id) ?? [];
      if (top.next >= successors.length) {
        state.set(top.id, "done");
        stack.pop();
        continue;
      }
      const to = successors[top.next++] as string;
      const seen = state.get(to);
      if (seen === "open") reversed.add(`${top.id}\u0000${to}`);
      else if (seen === undefined) {
        state.set(to, "open");
        stack.push({ id: to, next: 0 });
      }
    }
  }
  const dag = edges.map((e) =>
    reversed.has(`${e.from}\u0000${e.to}`) ? { from: e.to, to: e.from, reversed: true } : { ...e, reversed: false },
  );
  const preds = new Map<string, string[]>(ids.map((v) => [v.id, []]));
  const succs = new Map<string, string[]>(ids.map((v) => [v.id, []]));
  for (const e of dag) {
    preds.get(e.to)?.push(e.from);
    succs.get(e.from)?.push(e.to);
  }

  // Longest-path layering, in topological order (Kahn's algorithm, ties in the graph's order).
  const layer = new Map<string, number>();
  const waiting = new Map(ids.map((v) => [v.id, preds.get(v.id)?.length ?? 0]));
  const ready = ids.filter((v) => waiting.get(v.id) === 0).map((v) => v.id);
  const topological: string[] = [];
  while (ready.length > 0) {
    const id = ready.shift() as string;
    topological.push(id);
    layer.set(id, Math.max(-1, ...(preds.get(id) ?? []).map((p) => layer.get(p) ?? 0)) + 1);
    for (const s of succs.get(id) ?? []) {
      const left = (waiting.get(s) ?? 0) - 1;
      waiting.set(s, left);
      if (left === 0) ready.push(s);
    }
  }
  // A source (a store snapshot, a second input) sits just before the first vertex that reads it.
  for (const id of topological) {
    const next = succs.get(id) ?? [];
    if ((preds.get(id)?.length ?? 0) === 0 && next.length > 0) {
      layer.set(id, Math.min(...next.map((s) => layer.get(s) ?? 0)) - 1);
    }
  }
  const layerCount = ids.length === 0 ? 0 : Math.max(...ids.map((v) => layer.get(v.id) ?? 0)) + 1;
  const layers: string[][] = Array.from({ length: layerCount }, () => []);
  for (const { id } of ids) layers[layer.get(id) ?? 0]?.push(id);
  const tallest = Math.max(0, ...layers.map((l) => l.length));

  const pitch = BOX_HEIGHT + GAP_Y;
  const xOf = (l: number) => MARGIN + l * (BOX_WIDTH + GAP_X) + BOX_WIDTH / 2;
  // Columns are centred vertically; pitch is even, so every centre is a whole pixel.
  const yIn = (size: number, index: number) => MARGIN + ((tallest - size) * pitch) / 2 + index * pitch + BOX_HEIGHT / 2;
  const neighbours = new Map<string, string[]>(ids.map((v) => [v.id, []]));
  for (const e of edges) {
    neighbours.get(e.from)?.push(e.to);
    neighbours.get(e.to)?.push(e.from);
  }

  const positions = (order: readonly (readonly string[])[]) => {
    const y = new Map<string, number>();
    order.forEach((column) => column.forEach((id, i) => y.set(id, yIn(column.length, i))));
    return y;
  };
  const crossingsOf = (order: readonly (readonly string[])[]) => {
    const y = positions(order);
    const point = (id: string): [number, number] => [xOf(layer.get(id) ?? 0), y.get(id) ?? 0];
    let count = 0;
    for (let i = 0; i < edges.length; i++) {
      for (let j = i + 1; j < edges.length; j++) {
        const a = edges[i] as (typeof edges)[number];
        const b = edges[j] as (typeof edges)[number];
        if (segmentsCross(point(a.from), point(a.to), point(b.from), point(b.to))) count++;
      }
    }
    return count;
  };

  let best = layers.map((column) => [...column]);
  let bestCrossings = crossingsOf(best);
  const order = best.map((column) => [...column]);
  const sweep = (l: number, side: (other: number) => boolean) => {
    const y = positions(order);
    const column = order[l] as string[];
    const key = new Map(
      column.map((id) => {
        const near = (neighbours.get(id) ?? []).filter((n) => side(layer.get(n) ?? 0));
        const mean =
          near.length === 0 ? (y.get(id) ?? 0) : near.reduce((sum, n) => sum + (y.get(n) ?? 0), 0) / near.length;
        return [id, mean];
      }),
    );
    const before = new Map(column.map((id, i) => [id, i]));
    order[l] = [...column].sort(
      (a, b) => (key.get(a) ?? 0) - (key.get(b) ?? 0) || (before.get(a) ?? 0) - (before.get(b) ?? 0),
    );
  };
  for (let pass = 0; pass < SWEEPS && bestCrossings > 0; pass++) {
    for (let l = 1; l < layerCount; l++) sweep(l, (other) => other < l);
    for (let l = layerCount - 2; l >= 0; l--) sweep(l, (other) => other > l);
    const crossings = crossingsOf(order);
    if (crossings < bestCrossings) {
      best = order.map((column) => [...column]);
      bestCrossings = crossings;
    }
  }

  const typeOf = new Map(ids.map((v) => [v.id, v.type]));
  const vertices = best.flatMap((column, l) =>
    column.map((id, i): LineageLayoutVertex =>
      Object.freeze({
        id,
        type: typeOf.get(id) ?? "node",
        layer: l,
        order: i,
        x: xOf(l),
        y: yIn(column.length, i),
        width: BOX_WIDTH,
        height: BOX_HEIGHT,
      }),
    ),
  );
  return Object.freeze({
    layers: Object.freeze(best.map((column) => Object.freeze(column))),
    vertices: Object.freeze(vertices),
    edges: Object.freeze(
      edges.map((e) => Object.freeze({ from: e.from, to: e.to, reversed: reversed.has(`${e.from}\u0000${e.to}`) })),
    ),
    crossings: bestCrossings,
    width: layerCount === 0 ? 2 * MARGIN + BOX_WIDTH : 2 * MARGIN + layerCount * BOX_WIDTH + (layerCount - 1) * GAP_X,
    height: tallest === 0 ? 2 * MARGIN + BOX_HEIGHT : 2 * MARGIN + tallest * BOX_HEIGHT + (tallest - 1) * GAP_Y,
  });
}

// Characters XML 1.0 forbids even escaped (C0 controls but tab, newline and return; U+FFFE,
// U+FFFF; lone surrogates): replaced, since one of them makes the whole SVG unreadable.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDFFF]/gu;
const XML_ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

/** Text as XML character data or an attribute value. */
function xml(text: string): string {
  return text.replace(NOT_XML, "\uFFFD").replace(/[&<>"']/g, (ch) => XML_ESCAPES[ch] ?? ch);
}

/** At most `max` characters (code points, so no emoji is cut in half), `…` marking a cut; line breaks as spaces. */
function clip(text: string, max: number): string {
  const chars = Array.from(text.replace(/[\t\n\r]/g, " "));
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : chars.join("");
}

function textLine(x: number, y: number, text: string, style: string): string {
  return `<text x="${x}" y="${y}" text-anchor="middle" ${style}>${xml(text)}</text>`;
}

/**
 * Draws a lineage graph as a standalone SVG, left to right as {@link layoutLineage} places it:
 * nodes as rounded rectangles (kind, name, first 8 characters of the hash), runs as ellipses
 * (job and status, coloured by status: green complete, red failed, blue running, grey aborted),
 * edges as arrows (dashed where they close a cycle). Each shape has a `<title>` with the full
 * names, hash and run id, shown on hover, and `data-id` / `data-layer` attributes. All text is
 * escaped; the same graph and options always give the same string.
 *
 * @param graph - as returned by `upstream`, `downstream` or `lineageGraph`.
 * @returns The SVG document, with `width` and `height` set to fit.
 * @throws {@link RadlabError} `lineage-graph-invalid` when an edge does not join a node and a run of the graph.
 * @throws {@link RadlabError} `lineage-highlight-unknown` when `highlight` is neither a node nor a run of the graph.
 * @example
 * ```ts
 * import { lineageGraph, openStore, renderLineageSvg } from "@radlab/kernel";
 * import { writeFileSync } from "node:fs";
 * const store = await openStore({ home: "/data/radlab" });
 * const hash = "9f2c4e1a7b3d5f60";
 * writeFileSync("lineage.svg", renderLineageSvg(await lineageGraph(store.db, hash), { highlight: hash }));
 * ```
 */
export function renderLineageSvg(graph: LineageGraph, options: LineageSvgOptions = {}): string {
  const layout = layoutLineage(graph);
  const nodes = new Map(graph.nodes.map((n) => [n.hash, n]));
  const runs = new Map(graph.runs.map((r) => [r.runId, r]));
  const { highlight } = options;
  if (highlight !== undefined && !nodes.has(highlight) && !runs.has(highlight)) {
    throw new RadlabError(
      "lineage-highlight-unknown",
      `${highlight} is neither a node nor a run of the lineage graph.`,
      {
        hint: "Highlight the hash of one of graph.nodes or the runId of one of graph.runs.",
      },
    );
  }
  // Marker ids are document-wide in a notebook page, and a marker inside a collapsed output does
  // not draw: each drawing names its arrow after its own content (filled in at the end).
  const arrow = ARROW_PLACEHOLDER;
  const at = new Map(layout.vertices.map((v) => [v.id, v]));
  const byId = new Map(layout.vertices.map((v) => [v.id, v.layer]));
  // Room below the lowest row for edges that skip a column and dip under it.
  const skips = layout.edges.some((e) => !e.reversed && Math.abs((byId.get(e.to) ?? 0) - (byId.get(e.from) ?? 0)) > 1);
  const height = layout.height + (skips ? SKIP_DROP : 0);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${height}" viewBox="0 0 ${layout.width} ${height}" font-family="sans-serif" font-size="12" role="img">`,
    `<title>${xml(`Lineage: ${graph.nodes.length} node(s), ${graph.runs.length} run(s)`)}</title>`,
    `<defs><marker id="${arrow}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto"><path d="M0,0L10,5L0,10z" fill="${EDGE_COLOUR}"/></marker></defs>`,
  ];
  if (layout.vertices.length === 0) {
    parts.push(textLine(layout.width / 2, layout.height / 2 + 4, "No lineage recorded", `fill="#616161"`));
  }
  parts.push(`<g class="edges" fill="none" stroke="${EDGE_COLOUR}" stroke-width="1.5">`);
  for (const e of layout.edges) {
    const from = at.get(e.from) as LineageLayoutVertex;
    const to = at.get(e.to) as LineageLayoutVertex;
    if (!e.reversed && Math.abs(to.layer - from.layer) > 1) {
      // An edge that skips a column (the store feeding a later commit) would run straight under the
      // shapes between its ends and vanish: it leaves the bottom of its source and dips below the
      // row into the bottom of its target.
      const y1 = from.y + from.height / 2;
      const y2 = to.y + to.height / 2;
      parts.push(
        `<path d="M${from.x},${y1}C${from.x},${y1 + SKIP_DROP} ${to.x},${y2 + SKIP_DROP} ${to.x},${y2}" marker-end="url(#${arrow})" data-from="${xml(e.from)}" data-to="${xml(e.to)}"/>`,
      );
      continue;
    }
    // Forward edges leave a shape's right side for the next one's left; an edge closing a cycle goes back.
    const direction = e.reversed ? -1 : 1;
    const x1 = from.x + (direction * from.width) / 2;
    const x2 = to.x - (direction * to.width) / 2;
    const bend = (x2 - x1) / 2;
    // A cycle's closing edge bows below the straight line, so it never hides the edge it pairs with.
    const bow = e.reversed ? BOX_HEIGHT : 0;
    parts.push(
      `<path d="M${x1},${from.y}C${x1 + bend},${from.y + bow} ${x2 - bend},${to.y + bow} ${x2},${to.y}" marker-end="url(#${arrow})"${e.reversed ? ` stroke-dasharray="6 4"` : ""} data-from="${xml(e.from)}" data-to="${xml(e.to)}"/>`,
    );
  }
  parts.push("</g>");
  parts.push(`<g class="vertices">`);
  for (const v of layout.vertices) {
    const node = nodes.get(v.id);
    if (node !== undefined) parts.push(drawNode(node, v, v.id === highlight));
    else parts.push(drawRun(runs.get(v.id) as LineageGraphRun, v, v.id === highlight));
  }
  parts.push("</g></svg>");
  const svg = parts.join("");
  const id = `radlab-lineage-arrow-${createHash("sha256").update(svg).digest("hex").slice(0, 12)}`;
  return svg.replaceAll(ARROW_PLACEHOLDER, id);
}

/** The outline of a shape: its own colour, or the highlight's. */
function outline(colour: string, highlighted: boolean): string {
  return highlighted ? `stroke="${HIGHLIGHT}" stroke-width="3"` : `stroke="${colour}" stroke-width="1.5"`;
}

function drawNode(node: LineageNode, v: LineageLayoutVertex, highlighted: boolean): string {
  const left = v.x - v.width / 2;
  const top = v.y - v.height / 2;
  return (
    `<g class="node" data-id="${xml(node.hash)}" data-layer="${v.layer}">` +
    `<title>${xml(`${node.kind} ${node.name}\n${node.hash}`)}</title>` +
    `<rect x="${left}" y="${top}" width="${v.width}" height="${v.height}" rx="8" ry="8" fill="${NODE_COLOURS.fill}" ${outline(NODE_COLOURS.stroke, highlighted)}/>` +
    textLine(v.x, v.y - 12, clip(node.kind, 30), `font-size="10" fill="#607d8b"`) +
    textLine(v.x, v.y + 4, clip(node.name, 26), `font-weight="bold" fill="#263238"`) +
    textLine(v.x, v.y + 20, node.hash.slice(0, 8), `font-family="monospace" font-size="11" fill="#455a64"`) +
    "</g>"
  );
}

function drawRun(run: LineageGraphRun, v: LineageLayoutVertex, highlighted: boolean): string {
  const colours = STATUS_COLOURS[run.status];
  return (
    `<g class="run" data-id="${xml(run.runId)}" data-layer="${v.layer}" data-status="${run.status}">` +
    `<title>${xml(`${run.job} ${run.status}\nrun ${run.runId}\nstarted ${run.startedAt}${run.endedAt === null ? "" : `\nended ${run.endedAt}`}\nparameters ${run.parametersHash}`)}</title>` +
    `<ellipse cx="${v.x}" cy="${v.y}" rx="${v.width / 2}" ry="${v.height / 2}" fill="${colours.fill}" ${outline(colours.stroke, highlighted)}/>` +
    textLine(v.x, v.y - 3, clip(run.job, 24), `font-weight="bold" fill="#263238"`) +
    textLine(v.x, v.y + 13, run.status, `font-size="10" fill="${colours.stroke}"`) +
    "</g>"
  );
}

/** The graph as text: each run with what it read and wrote, in the drawing's order. */
function lineageText(graph: LineageGraph, layout: LineageLayout): string {
  const nodes = new Map(graph.nodes.map((n) => [n.hash, n]));
  const runs = new Map(graph.runs.map((r) => [r.runId, r]));
  const describeNode = (hash: string) => {
    const n = nodes.get(hash) as LineageNode;
    return `${n.kind} ${n.name} ${n.hash.slice(0, 8)}`;
  };
  const lines = [`Lineage: ${graph.nodes.length} node(s), ${graph.runs.length} run(s)`];
  const touched = new Set<string>();
  for (const v of layout.vertices) {
    const run = runs.get(v.id);
    if (run === undefined) continue;
    lines.push(`${run.job} [${run.status}] run ${run.runId} started ${run.startedAt}`);
    for (const e of layout.edges) {
      if (e.to === run.runId) lines.push(`  in:  ${describeNode(e.from)}`);
      if (e.from === run.runId) lines.push(`  out: ${describeNode(e.to)}`);
      if (e.to === run.runId) touched.add(e.from);
      if (e.from === run.runId) touched.add(e.to);
    }
  }
  for (const v of layout.vertices) {
    if (v.type === "node" && !touched.has(v.id)) lines.push(`${describeNode(v.id)} (no recorded runs in this graph)`);
  }
  return lines.join("\n");
}

/** A lineage graph shown in a notebook: the SVG drawing, with a text listing as the fallback. */
export class LineageView extends DisplayableValue {
  constructor(
    readonly graph: LineageGraph,
    readonly svg: string,
    readonly text: string,
  ) {
    super();
  }

  toMimeBundle(): MimeBundle {
    // No application/json: JupyterLab ranks its JSON viewer above SVG and would show the tree instead.
    return { data: { "image/svg+xml": this.svg, "text/plain": this.text } };
  }
}

/**
 * A lineage graph for `display()`: the drawing of {@link renderLineageSvg} as `image/svg+xml`, and
 * a `text/plain` listing of each run with its inputs and outputs for saved notebooks and logs.
 * The graph itself stays on the returned view (`view.graph`).
 *
 * @throws {@link RadlabError} `lineage-graph-invalid` or `lineage-highlight-unknown`, as {@link renderLineageSvg}.
 * @example
 * ```ts
 * import { display, lineageDisplay, lineageGraph, openStore } from "@radlab/kernel";
 * const store = await openStore({ home: "/data/radlab" });
 * const hash = "9f2c4e1a7b3d5f60";
 * display(lineageDisplay(await lineageGraph(store.db, hash), { highlight: hash }));
 * ```
 */
export function lineageDisplay(graph: LineageGraph, options: LineageSvgOptions = {}): LineageView {
  const svg = renderLineageSvg(graph, options);
  return new LineageView(graph, svg, lineageText(graph, layoutLineage(graph)));
}
