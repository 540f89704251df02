/** The value of one MIME type in a bundle: text, or JSON for `+json` types. */
export type MimeData = string | { readonly [key: string]: unknown } | readonly unknown[];

/** What a Jupyter `display_data` message carries: data by MIME type, and metadata. */
export interface MimeBundle {
  readonly data: { readonly [mimeType: string]: MimeData };
  readonly metadata?: { readonly [key: string]: unknown };
}

/**
 * The symbol by which Deno's Jupyter kernel (and any kernel following its convention) asks an
 * object for its MIME bundle: `obj[Symbol.for("Jupyter.display")]()` returns `{ [mime]: data }`.
 */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display") as never;

/** Anything radlab can show in a notebook. */
export interface Displayable {
  /** The full bundle: the radlab MIME type plus static fallbacks (`text/html`, `text/plain`, images). */
  toMimeBundle(): MimeBundle;
  /** The same data, in the shape Deno's kernel expects. */
  [JUPYTER_DISPLAY](): { readonly [mimeType: string]: MimeData };
}

/**
 * A base class for displayable values: subclasses implement `toMimeBundle`, and the Deno
 * protocol method delegates to it.
 */
export abstract class DisplayableValue implements Displayable {
  abstract toMimeBundle(): MimeBundle;

  [JUPYTER_DISPLAY](): { readonly [mimeType: string]: MimeData } {
    return this.toMimeBundle().data;
  }

  /**
   * What Node's `util.inspect` (and so tslab, for a cell's last value) prints: the `text/plain`
   * fallback rather than the object's internals.
   */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    const text = this.toMimeBundle().data["text/plain"];
    return typeof text === "string" ? text : this.constructor.name;
  }
}

/** Whether a value implements {@link Displayable}. */
export function isDisplayable(value: unknown): value is Displayable {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { toMimeBundle?: unknown }).toMimeBundle === "function"
  );
}
