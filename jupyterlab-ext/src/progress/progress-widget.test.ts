import { describe, expect, it } from "vitest";
import { mimeModel } from "../test-support/mime-model";
import { ProgressWidget } from "./progress-widget";

const MIME = "application/vnd.radlab.progress+json";

const model = (data: unknown) => mimeModel(MIME, data);

const running = {
  version: 1,
  label: "Ingest",
  unit: "files",
  done: 200,
  total: 800,
  elapsedSeconds: 10,
  etaSeconds: 30,
  status: "running",
};

describe("ProgressWidget", () => {
  it("draws the fraction done, with ARIA values and the summary", async () => {
    const widget = new ProgressWidget();
    await widget.renderModel(model(JSON.stringify(running)));
    const bar = widget.node.querySelector(".radlab-progress-bar");
    expect(bar?.className).toBe("radlab-progress-bar radlab-progress-running");
    expect(bar?.getAttribute("aria-valuenow")).toBe("200");
    expect(bar?.getAttribute("aria-valuemax")).toBe("800");
    expect(widget.node.querySelector<HTMLElement>(".radlab-progress-fill")?.style.width).toBe("25%");
    expect(widget.node.querySelector(".radlab-progress-text")?.textContent).toBe(
      "Ingest: 200/800 files, 0:10 elapsed, ~0:30 left",
    );
  });

  it("is indeterminate when the total is unknown, and coloured by outcome", async () => {
    const widget = new ProgressWidget();
    await widget.renderModel(
      model({ ...running, total: null, etaSeconds: null, status: "failed", message: "disk full" }),
    );
    const bar = widget.node.querySelector(".radlab-progress-bar");
    expect(bar?.className).toBe("radlab-progress-bar radlab-progress-failed radlab-progress-indeterminate");
    expect(bar?.hasAttribute("aria-valuenow")).toBe(false);
    expect(widget.node.querySelector(".radlab-progress-text")?.textContent).toBe(
      "Ingest: 200 files in 0:10, failed (disk full)",
    );
  });

  it("explains an invalid payload", async () => {
    const widget = new ProgressWidget();
    await widget.renderModel(model("not json"));
    expect(widget.node.querySelector("li")?.textContent).toMatch(/^\(root\): not valid JSON: /);
  });
});
