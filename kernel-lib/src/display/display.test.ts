import Module from "node:module";
import { afterEach, describe, expect, it } from "vitest";
import { display, liveDisplay } from "./display";
import { createCaptureSink, currentDisplaySink, DisplayUnavailableError, setDisplaySink } from "./display-sink";
import { JUPYTER_DISPLAY } from "./mime-bundle";
import { table } from "./table";

afterEach(() => {
  setDisplaySink(null);
});

describe("display", () => {
  it("fails with a typed error outside a kernel", () => {
    expect(currentDisplaySink()).toBeNull();
    expect(() => display("hello")).toThrow(DisplayUnavailableError);
    expect(() => display("hello")).toThrow(
      "There is no notebook kernel to display into.\nHow to fix: Run this in a tslab or Deno notebook",
    );
  });

  it("sends the whole bundle of a displayable to the sink", () => {
    const sink = createCaptureSink();
    setDisplaySink(sink);
    display(table([{ a: 1 }]));
    display("plain text");
    expect(sink.outputs.map((o) => Object.keys(o.bundle.data))).toEqual([
      ["application/vnd.radlab.table+json", "text/html", "text/plain"],
      ["text/plain"],
    ]);
    expect(sink.outputs.map((o) => o.displayId)).toEqual([undefined, undefined]);
  });

  it("liveDisplay replaces its output in place", () => {
    const sink = createCaptureSink();
    const previous = setDisplaySink(sink);
    expect(previous).toBeNull();
    const live = liveDisplay("epoch 1 of 3");
    live.update("epoch 2 of 3");
    live.update("epoch 3 of 3");
    expect(sink.outputs).toHaveLength(1);
    expect(sink.outputs[0]).toEqual({
      displayId: live.displayId,
      bundle: { data: { "text/plain": "epoch 3 of 3" } },
      updates: 2,
    });
    expect(live.displayId).toMatch(/^radlab-[0-9a-f-]{36}$/);
  });

  it("implements Deno's Symbol.for('Jupyter.display') protocol", () => {
    const t = table([{ a: 1 }]);
    expect(JUPYTER_DISPLAY).toBe(Symbol.for("Jupyter.display"));
    expect(t[JUPYTER_DISPLAY]()).toEqual(t.toMimeBundle().data);
  });
});

describe("kernel detection", () => {
  it("writes display_data and update_display_data through the running tslab's writer", () => {
    // tslab keeps its writer in dist/jupyter.js; plant a module at such a path in the cache.
    const fakePath = "/opt/somewhere/node_modules/tslab/dist/jupyter.js";
    const sent: { content: Record<string, unknown>; update: boolean }[] = [];
    const mod = new Module(fakePath);
    mod.exports = {
      lastWriteDisplayData: (content: Record<string, unknown>, update: boolean) => sent.push({ content, update }),
    };
    require.cache[fakePath] = mod;
    try {
      expect(currentDisplaySink()?.name).toBe("tslab");
      display("hi");
      const live = liveDisplay("a");
      live.update("b");
      expect(sent).toEqual([
        { content: { data: { "text/plain": "hi" }, metadata: {}, transient: {} }, update: false },
        {
          content: { data: { "text/plain": "a" }, metadata: {}, transient: { display_id: live.displayId } },
          update: false,
        },
        {
          content: { data: { "text/plain": "b" }, metadata: {}, transient: { display_id: live.displayId } },
          update: true,
        },
      ]);
    } finally {
      delete require.cache[fakePath];
    }
  });

  it("broadcasts through Deno.jupyter in a Deno kernel", () => {
    const sent: [string, Record<string, unknown>][] = [];
    const g = globalThis as { Deno?: unknown };
    g.Deno = {
      jupyter: {
        broadcast: (type: string, content: Record<string, unknown>) => (sent.push([type, content]), Promise.resolve()),
      },
    };
    try {
      expect(currentDisplaySink()?.name).toBe("deno");
      const live = liveDisplay("x");
      live.update("y");
      expect(sent.map(([type]) => type)).toEqual(["display_data", "update_display_data"]);
      expect(sent[1]?.[1]).toEqual({
        data: { "text/plain": "y" },
        metadata: {},
        transient: { display_id: live.displayId },
      });
    } finally {
      delete g.Deno;
    }
  });
});
