import { describe, expect, it } from "vitest";
import { RadlabError } from "../core/radlab-error";
import { progressPayloadSchema } from "./contract/progress-payload";
import { createCaptureSink } from "./display-sink";
import { progress } from "./progress";

const MIME = "application/vnd.radlab.progress+json";

function fakeClock(start = 1_000_000) {
  let now = start;
  return { clock: () => now, advance: (ms: number) => (now += ms) };
}

describe("progress", () => {
  it("shows one output and updates it in place, at most every minIntervalMs", () => {
    const sink = createCaptureSink();
    const time = fakeClock();
    const bar = progress({ label: "Reading", total: 10, unit: "files", sink, clock: time.clock, minIntervalMs: 100 });
    expect(sink.outputs.length).toBe(1);
    for (let i = 0; i < 10; i++) {
      time.advance(30);
      bar.advance();
    }
    // 300 ms of work in 30 ms steps: updates at 120, 240 ms (each >= 100 ms after the last shown).
    expect(sink.outputs.length).toBe(1);
    expect(sink.outputs[0]?.updates).toBe(2);
    bar.succeed("done");
    expect(sink.outputs[0]?.updates).toBe(3);
    const payload = sink.outputs[0]?.bundle.data[MIME];
    expect(progressPayloadSchema.parse(payload)).toEqual({
      version: 1,
      label: "Reading",
      unit: "files",
      done: 10,
      total: 10,
      elapsedSeconds: 0.3,
      etaSeconds: 0,
      status: "succeeded",
      message: "done",
    });
    expect(sink.outputs[0]?.bundle.data["text/plain"]).toBe(
      "[##############################] Reading: 10/10 files in 0:00, succeeded (done)",
    );
  });

  it("estimates the time left from the rate so far", () => {
    const time = fakeClock();
    const bar = progress({ label: "Decoding", total: 100, sink: null, clock: time.clock });
    expect(bar.payload().etaSeconds).toBeNull();
    time.advance(5000);
    bar.advance(25);
    expect(bar.payload()).toMatchObject({ done: 25, elapsedSeconds: 5, etaSeconds: 15, unit: "items" });
  });

  it("keeps the failure reason and refuses more work after the end", () => {
    const sink = createCaptureSink();
    const bar = progress({ label: "Ingest", sink });
    bar.advance(3);
    bar.fail("disk full");
    bar.succeed("ignored: already ended");
    expect(bar.status).toBe("failed");
    expect(bar.payload()).toMatchObject({ status: "failed", message: "disk full", total: null, done: 3 });
    expect(() => bar.advance()).toThrow('Progress "Ingest" has already failed.');
    expect(sink.outputs[0]?.bundle.data["text/html"]).toBe(
      '<div class="radlab-progress"><progress></progress> <span>Ingest: 3 items in 0:00, failed (disk full)</span></div>',
    );
  });

  it("rejects a negative or infinite total", () => {
    expect(() => progress({ label: "x", total: -1, sink: null })).toThrow(RadlabError);
    expect(() => progress({ label: "x", total: Number.POSITIVE_INFINITY, sink: null })).toThrow(
      "total must be a number >= 0, got Infinity.",
    );
  });
});
