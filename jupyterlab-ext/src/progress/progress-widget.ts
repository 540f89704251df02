import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import { progressPayloadSchema, progressSummary, RADLAB_MIME, type ProgressPayload } from "@radlab/kernel/contract";
import { PayloadRenderer } from "../payload-renderer";

/** Renders {@link RADLAB_MIME}.progress: a bar with counts, elapsed time and ETA, updated in place. */
export class ProgressWidget extends PayloadRenderer<ProgressPayload> {
  constructor() {
    super(progressPayloadSchema, "radlab-progress-output");
  }

  protected override renderPayload(p: ProgressPayload): void {
    const bar = document.createElement("div");
    bar.className = `radlab-progress-bar radlab-progress-${p.status}`;
    bar.setAttribute("role", "progressbar");
    bar.setAttribute("aria-label", p.label);
    const fill = document.createElement("div");
    fill.className = "radlab-progress-fill";
    if (p.total !== null) {
      const percent = p.total === 0 ? 100 : Math.min(100, (100 * p.done) / p.total);
      fill.style.width = `${percent.toFixed(1)}%`;
      bar.setAttribute("aria-valuemin", "0");
      bar.setAttribute("aria-valuemax", String(p.total));
      bar.setAttribute("aria-valuenow", String(p.done));
    } else {
      bar.classList.add("radlab-progress-indeterminate");
    }
    bar.append(fill);
    const text = document.createElement("div");
    text.className = "radlab-progress-text";
    text.textContent = progressSummary(p);
    this.node.replaceChildren(bar, text);
  }
}

/** The renderer factory of progress payloads. */
export const progressRendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [RADLAB_MIME.progress],
  createRenderer: () => new ProgressWidget(),
};
