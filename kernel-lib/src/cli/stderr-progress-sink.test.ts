import { describe, expect, it } from "vitest";
import { progress } from "../display/progress";
import type { CliStream } from "./cli-io";
import { createStderrProgressSink } from "./stderr-progress-sink";

function capture(tty: boolean, columns?: number): CliStream & { text: string } {
  return {
    text: "",
    isTTY: tty,
    ...(columns === undefined ? {} : { columns }),
    write(chunk: string) {
      this.text += chunk;
    },
  };
}

describe("createStderrProgressSink", () => {
  it("prints one line per update in a log, throttled, and always the first and last", () => {
    let now = 0;
    const clock = () => now;
    const stream = capture(false);
    const sink = createStderrProgressSink(stream, { clock, minIntervalMs: 1000 });
    const bar = progress({ label: "Reading", total: 4, unit: "files", sink, clock, minIntervalMs: 0 });
    now = 500;
    bar.advance(); // within 1 s of the first line: not printed
    now = 1000;
    bar.advance();
    now = 1500;
    bar.advance(); // not printed
    bar.advance();
    bar.succeed("done");
    expect(stream.text).toBe(
      [
        "[..............................] Reading: 0/4 files, 0:00 elapsed",
        "[###############...............] Reading: 2/4 files, 0:01 elapsed, ~0:01 left",
        "[##############################] Reading: 4/4 files in 0:02, succeeded (done)",
        "",
      ].join("\n"),
    );
  });

  it("redraws one line in place on a terminal, cut to its width, and ends it with a newline", () => {
    let now = 0;
    const clock = () => now;
    const stream = capture(true, 40);
    const sink = createStderrProgressSink(stream, { clock, minIntervalMs: 100 });
    const bar = progress({ label: "Masking", total: 2, unit: "images", sink, clock, minIntervalMs: 0 });
    now = 50;
    bar.advance(); // throttled
    now = 150;
    bar.fail("1 quarantined");
    expect(stream.text).toBe(
      "\r[..............................] Maskin\x1b[K" + "\r[###############...............] Maskin\x1b[K\n",
    );
  });

  it("prints the text of other displays as lines of their own", () => {
    const stream = capture(true);
    createStderrProgressSink(stream).show({ data: { "text/plain": "hello", "text/html": "<b>hello</b>" } }, undefined);
    createStderrProgressSink(stream).show({ data: { "text/html": "<b>no text</b>" } }, undefined);
    expect(stream.text).toBe("hello\n");
  });
});
