import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import type { PayloadSchema } from "@radlab/kernel/contract";
import { Widget } from "@lumino/widgets";
import { renderPayloadError } from "./payload-error";

/**
 * The base of every radlab MIME renderer: it validates the payload (a JSON string from tslab or an
 * object) against its contract schema, shows every issue when it is invalid, and otherwise hands the
 * typed payload to {@link PayloadRenderer.renderPayload}. `renderModel` settles when the payload is
 * drawn, so a renderer that draws asynchronously (plotly) returns the promise of its drawing.
 */
export abstract class PayloadRenderer<T> extends Widget implements IRenderMime.IRenderer {
  private readonly schema: PayloadSchema<T>;

  constructor(schema: PayloadSchema<T>, className: string) {
    super();
    this.schema = schema;
    this.addClass(className);
  }

  renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const result = this.schema.safeParse(model.data[this.schema.mimeType]);
    if (result.ok) {
      this.node.classList.remove("radlab-payload-error");
      this.node.removeAttribute("role");
      return Promise.resolve(this.renderPayload(result.value));
    }
    this.renderInvalid();
    renderPayloadError(this.node, this.schema.mimeType, result.issues);
    return Promise.resolve();
  }

  /** Draws a valid payload into `this.node`, at once or by the returned promise. */
  protected abstract renderPayload(payload: T): void | Promise<void>;

  /** Forgets state kept from an earlier valid payload (default: nothing kept). */
  protected renderInvalid(): void {}
}
