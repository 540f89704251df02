import { excerpt, PacsError } from "./pacs-error";

/** The parameters of a `multipart/related` Content-Type (RFC 2387), names lower-cased. */
export interface MultipartContentType {
  /** The media type, lower-cased: `multipart/related`. */
  readonly mediaType: string;
  readonly boundary: string;
  /** The `type` parameter, for WADO-RS `application/dicom`. */
  readonly type: string | undefined;
  /** Every parameter, values unquoted (for example `transfer-syntax`). */
  readonly parameters: Readonly<Record<string, string>>;
}

/**
 * Parses a `multipart/related` Content-Type header: the boundary may be quoted or not, parameters
 * may come in any order and with any case (RFC 2045 §5.1, RFC 2046 §5.1.1).
 *
 * @throws {@link PacsError} `multipart` when the media type is not multipart or the boundary is
 *   missing or longer than the 70 characters RFC 2046 allows.
 * @example
 * ```ts
 * import { parseMultipartContentType } from "@radlab/kernel";
 * parseMultipartContentType('multipart/related; type="application/dicom"; boundary=abc').boundary; // "abc"
 * ```
 */
export function parseMultipartContentType(header: string): MultipartContentType {
  const [media = "", ...rest] = splitParameters(header);
  const mediaType = media.trim().toLowerCase();
  const parameters: Record<string, string> = {};
  for (const raw of rest) {
    const eq = raw.indexOf("=");
    if (eq < 0) continue;
    const name = raw.slice(0, eq).trim().toLowerCase();
    let value = raw.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) {
      value = value.slice(1, -1).replace(/\\(.)/g, "$1");
    }
    parameters[name] = value;
  }
  if (!mediaType.startsWith("multipart/")) {
    throw new PacsError("multipart", `Expected a multipart body, got Content-Type "${header}".`, {
      rule: "RFC 2387",
      hint: 'The server did not answer multipart/related; type="application/dicom". Check that it supports WADO-RS.',
    });
  }
  const boundary = parameters.boundary;
  if (boundary === undefined || boundary.length === 0 || boundary.length > 70) {
    throw new PacsError("multipart", `The Content-Type "${header}" has no usable boundary parameter.`, {
      rule: "RFC 2046 §5.1.1",
      hint: "The server's multipart answer cannot be split into instances; report this to the PACS vendor.",
    });
  }
  return Object.freeze({ mediaType, boundary, type: parameters.type?.toLowerCase(), parameters });
}

/** Splits on `;` outside double quotes. */
function splitParameters(header: string): string[] {
  const out: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < header.length; i++) {
    const c = header[i] ?? "";
    if (c === '"' && header[i - 1] !== "\\") quoted = !quoted;
    if (c === ";" && !quoted) {
      out.push(current);
      current = "";
    } else current += c;
  }
  out.push(current);
  return out;
}

/** What a {@link MultipartParser} found in the bytes it was given. */
export type MultipartEvent =
  | { readonly kind: "part-start"; readonly index: number; readonly headers: Readonly<Record<string, string>> }
  | { readonly kind: "part-data"; readonly index: number; readonly bytes: Uint8Array }
  | { readonly kind: "part-end"; readonly index: number };

const CR = 0x0d;
const LF = 0x0a;
const MAX_HEADER_BYTES = 16 * 1024;
const DICM_OFFSET = 128;

/**
 * A streaming `multipart/related` parser (RFC 2046 §5.1) for WADO-RS answers, written to accept
 * the framings servers really send:
 * - the first boundary at the very start of the body or after a preamble (a leading CRLF or text);
 * - CRLF or bare LF line ends around the boundaries, and transport padding after them;
 * - parts with headers (`Content-Type: application/dicom`, `Content-Length`, `MIME-Version`, ...)
 *   or with none at all: a part whose bytes 128-131 are `DICM` starts with its body.
 *
 * Feed it chunks with {@link MultipartParser.push} and call {@link MultipartParser.end} at the end
 * of the body; each call returns the events found, so part bodies can be streamed to disk without
 * ever holding a whole study in memory.
 *
 * @example
 * ```ts
 * import { MultipartParser } from "@radlab/kernel";
 * const parser = new MultipartParser("b");
 * const events = [...parser.push(Buffer.from("--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--\r\n")), ...parser.end()];
 * events.map((e) => e.kind); // ["part-start", "part-data", "part-end"]
 * ```
 */
export class MultipartParser {
  private readonly dash: Buffer;
  private buffer: Buffer = Buffer.alloc(0);
  private state: "preamble" | "after-boundary" | "headers" | "body" | "epilogue" = "preamble";
  private index = -1;
  private consumed = 0;

  constructor(readonly boundary: string) {
    this.dash = Buffer.from(`--${boundary}`, "latin1");
  }

  /** The number of parts started so far. */
  get parts(): number {
    return this.index + 1;
  }

  /** Feeds the next bytes of the body. */
  push(chunk: Uint8Array): MultipartEvent[] {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.buffer = this.buffer.length === 0 ? bytes : Buffer.concat([this.buffer, bytes]);
    const events: MultipartEvent[] = [];
    this.run(events, false);
    return events;
  }

  /**
   * Signals the end of the body.
   *
   * @throws {@link PacsError} `multipart` when the body ended before the closing boundary, or never
   *   contained the boundary at all.
   */
  end(): MultipartEvent[] {
    const events: MultipartEvent[] = [];
    this.run(events, true);
    if (this.state === "epilogue") return events;
    if (this.state === "preamble") {
      throw this.error(
        `The body never contains the boundary "--${this.boundary}".`,
        "The server's Content-Type names a boundary its body does not use; the body is not multipart.",
      );
    }
    throw this.error(
      `The body ended inside part ${this.index + 1} (no closing "--${this.boundary}--").`,
      "The transfer was cut short; retry, or retrieve the instances one by one.",
    );
  }

  private error(message: string, hint: string): PacsError {
    return new PacsError("multipart", message, {
      offset: this.consumed,
      bodyExcerpt: excerpt(this.buffer.subarray(0, 200)),
      rule: "RFC 2046 §5.1.1",
      hint,
    });
  }

  private take(n: number): void {
    this.buffer = this.buffer.subarray(n);
    this.consumed += n;
  }

  private run(events: MultipartEvent[], atEnd: boolean): void {
    for (;;) {
      const before = this.state;
      const length = this.buffer.length;
      if (this.state === "preamble") this.preamble(atEnd);
      else if (this.state === "after-boundary") this.afterBoundary(atEnd);
      else if (this.state === "headers") this.headers(events, atEnd);
      else if (this.state === "body") this.body(events, atEnd);
      else {
        this.take(this.buffer.length); // the epilogue is ignored
        return;
      }
      if (this.state === before && this.buffer.length === length) return;
    }
  }

  /** Finds the first boundary: at offset 0 or at the start of a line. */
  private preamble(atEnd: boolean): void {
    let from = 0;
    for (;;) {
      const at = this.buffer.indexOf(this.dash, from);
      if (at < 0) {
        if (!atEnd) this.take(Math.max(0, this.buffer.length - this.dash.length - 1));
        return;
      }
      if ((at === 0 && this.consumed === 0) || this.buffer[at - 1] === LF) {
        this.take(at + this.dash.length);
        this.state = "after-boundary";
        return;
      }
      from = at + 1;
    }
  }

  /** After `--boundary`: `--` closes, otherwise padding then a line end opens a part. */
  private afterBoundary(atEnd: boolean): void {
    const b = this.buffer;
    if (b.length < 2 && !atEnd) return;
    if (b[0] === 0x2d && b[1] === 0x2d) {
      if (this.index < 0) throw this.error("The body closes before its first part.", "The server sent no instance.");
      this.state = "epilogue";
      return;
    }
    let i = 0;
    while (i < b.length && (b[i] === 0x20 || b[i] === 0x09)) i++;
    if (i < b.length && b[i] === CR) i++;
    if (i >= b.length) {
      if (atEnd) throw this.error("The body ended right after a boundary.", "The transfer was cut short; retry.");
      return;
    }
    if (b[i] !== LF) {
      throw this.error(
        `Unexpected bytes after the boundary "--${this.boundary}".`,
        "The boundary must be followed by a line end; the server's framing is broken.",
      );
    }
    this.take(i + 1);
    this.index++;
    this.state = "headers";
  }

  /** Part headers up to an empty line, or none when the part starts with its body. */
  private headers(events: MultipartEvent[], atEnd: boolean): void {
    const b = this.buffer;
    const open = (headers: Record<string, string>) => {
      events.push({ kind: "part-start", index: this.index, headers: Object.freeze(headers) });
      this.state = "body";
    };
    if (b[0] === CR && b[1] === LF) {
      this.take(2);
      return open({});
    }
    if (b[0] === LF) {
      this.take(1);
      return open({});
    }
    // Decide between "headers" and "body right away" only once the DICM magic could be seen.
    if (!(b.length >= DICM_OFFSET + 4 || atEnd || b.includes(this.dash))) return;
    if (b.length >= DICM_OFFSET + 4 && b.toString("latin1", DICM_OFFSET, DICM_OFFSET + 4) === "DICM") return open({});
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+:/.test(b.subarray(0, 80).toString("latin1"))) return open({});
    const headerEnd = findHeaderEnd(b);
    if (headerEnd === undefined) {
      if (b.length > MAX_HEADER_BYTES) {
        throw this.error(
          `Part ${this.index + 1} has more than ${MAX_HEADER_BYTES} bytes of headers.`,
          "The part headers never end with an empty line; the server's framing is broken.",
        );
      }
      if (atEnd)
        throw this.error(`The body ended inside the headers of part ${this.index + 1}.`, "Retry the transfer.");
      return;
    }
    const headers: Record<string, string> = {};
    for (const line of b.subarray(0, headerEnd.start).toString("latin1").split(/\r?\n/)) {
      const colon = line.indexOf(":");
      if (colon <= 0) {
        throw this.error(
          `Part ${this.index + 1} has a malformed header line "${line.slice(0, 80)}".`,
          "Part headers must read Name: value; the server's framing is broken.",
        );
      }
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    this.take(headerEnd.end);
    open(headers);
  }

  /** Part bytes up to the next line-start boundary; a tail that could begin one is kept. */
  private body(events: MultipartEvent[], atEnd: boolean): void {
    const b = this.buffer;
    let from = 0;
    for (;;) {
      const at = b.indexOf(this.dash, from);
      if (at < 0) break;
      if (at > 0 && b[at - 1] === LF) {
        const dataEnd = at >= 2 && b[at - 2] === CR ? at - 2 : at - 1;
        if (dataEnd > 0) events.push({ kind: "part-data", index: this.index, bytes: b.subarray(0, dataEnd) });
        events.push({ kind: "part-end", index: this.index });
        this.take(at + this.dash.length);
        this.state = "after-boundary";
        return;
      }
      from = at + 1;
    }
    if (atEnd) return;
    const keep = this.dash.length + 2;
    if (b.length > keep) {
      events.push({ kind: "part-data", index: this.index, bytes: b.subarray(0, b.length - keep) });
      this.take(b.length - keep);
    }
  }
}

function findHeaderEnd(b: Buffer): { start: number; end: number } | undefined {
  const crlf = b.indexOf("\r\n\r\n", 0, "latin1");
  const lf = b.indexOf("\n\n", 0, "latin1");
  if (crlf >= 0 && (lf < 0 || crlf <= lf)) return { start: crlf, end: crlf + 4 };
  if (lf >= 0) return { start: lf, end: lf + 2 };
  return undefined;
}
