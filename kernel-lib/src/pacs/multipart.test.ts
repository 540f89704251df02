import { describe, expect, test } from "vitest";
import { MultipartParser, parseMultipartContentType, type MultipartEvent } from "./multipart";
import { PacsError } from "./pacs-error";

/** A fake Part 10 instance: 128-byte preamble, DICM, then a body that contains CRLF and dashes. */
function fakeDicom(fill: number, size = 400): Buffer {
  const b = Buffer.alloc(size, fill);
  b.fill(0, 0, 128);
  b.write("DICM", 128, "latin1");
  b.write("\r\n--not-the-boundary\r\n", 200, "latin1");
  return b;
}

function parse(body: Buffer, boundary: string, chunkSize = body.length): Buffer[] {
  const parser = new MultipartParser(boundary);
  const events: MultipartEvent[] = [];
  for (let i = 0; i < body.length; i += chunkSize) events.push(...parser.push(body.subarray(i, i + chunkSize)));
  events.push(...parser.end());
  const parts: Buffer[][] = [];
  for (const e of events) {
    if (e.kind === "part-start") parts[e.index] = [];
    else if (e.kind === "part-data") parts[e.index]?.push(Buffer.from(e.bytes));
  }
  expect(events.filter((e) => e.kind === "part-end")).toHaveLength(parts.length);
  return parts.map((p) => Buffer.concat(p));
}

const a = fakeDicom(0x41);
const b = fakeDicom(0x42, 1000);

describe("parseMultipartContentType", () => {
  test("reads quoted and unquoted boundaries and every parameter", () => {
    expect(parseMultipartContentType('multipart/related; type="application/dicom"; boundary="a b;c"')).toEqual({
      mediaType: "multipart/related",
      boundary: "a b;c",
      type: "application/dicom",
      parameters: { type: "application/dicom", boundary: "a b;c" },
    });
    const t = parseMultipartContentType(
      "Multipart/Related;Boundary=xyz;type=application/dicom;transfer-syntax=1.2.840.10008.1.2.1",
    );
    expect([t.mediaType, t.boundary, t.type, t.parameters["transfer-syntax"]]).toEqual([
      "multipart/related",
      "xyz",
      "application/dicom",
      "1.2.840.10008.1.2.1",
    ]);
  });

  test("rejects a non-multipart type and a missing boundary with typed errors", () => {
    expect(() => parseMultipartContentType("application/dicom")).toThrow(
      expect.objectContaining({
        code: "multipart",
        message: expect.stringContaining('got Content-Type "application/dicom"'),
      }),
    );
    expect(() => parseMultipartContentType('multipart/related; type="application/dicom"')).toThrow(
      expect.objectContaining({ code: "multipart", evidence: { rule: "RFC 2046 §5.1.1" } }),
    );
  });
});

describe("MultipartParser", () => {
  test("Orthanc's framing: no preamble, part headers, CRLF", () => {
    const body = Buffer.concat([
      Buffer.from("--B1\r\nContent-Type: application/dicom\r\nContent-Length: 400\r\nMIME-Version: 1.0\r\n\r\n"),
      a,
      Buffer.from("\r\n--B1\r\nContent-Type: application/dicom\r\n\r\n"),
      b,
      Buffer.from("\r\n--B1--\r\n"),
    ]);
    for (const chunk of [body.length, 1, 7, 64]) {
      const parts = parse(body, "B1", chunk);
      expect(parts.map((p) => p.equals(a) || p.equals(b))).toEqual([true, true]);
      expect(parts[0]?.equals(a) && parts[1]?.equals(b)).toBe(true);
    }
  });

  test("the other framing: leading CRLF preamble, no part headers, transport padding, epilogue", () => {
    const body = Buffer.concat([
      Buffer.from("\r\n--xyz  \r\n"),
      a,
      Buffer.from("\r\n--xyz\r\n"),
      b,
      Buffer.from("\r\n--xyz--\r\nepilogue ignored"),
    ]);
    for (const chunk of [body.length, 1, 13]) {
      const parts = parse(body, "xyz", chunk);
      expect(parts).toHaveLength(2);
      expect(parts[0]?.equals(a)).toBe(true);
      expect(parts[1]?.equals(b)).toBe(true);
    }
  });

  test("bare LF line ends and a text preamble", () => {
    const body = Buffer.concat([
      Buffer.from("This is a preamble\n--q\ncontent-type: application/dicom\n\n"),
      a,
      Buffer.from("\n--q--"),
    ]);
    const parser = new MultipartParser("q");
    const events = [...parser.push(body), ...parser.end()];
    expect(events[0]).toEqual({ kind: "part-start", index: 0, headers: { "content-type": "application/dicom" } });
    expect(parse(body, "q", 3)[0]?.equals(a)).toBe(true);
  });

  test("a body cut before the closing boundary is a typed error naming the part", () => {
    const body = Buffer.concat([Buffer.from("--B\r\n\r\n"), a, Buffer.from("\r\n--B\r\n\r\n"), b.subarray(0, 500)]);
    const parser = new MultipartParser("B");
    parser.push(body);
    expect(() => parser.end()).toThrow(
      expect.objectContaining({
        code: "multipart",
        message:
          'The body ended inside part 2 (no closing "--B--").\n' +
          "How to fix: The transfer was cut short; retry, or retrieve the instances one by one.",
        // 7 + 400 + 9 + 500 bytes pushed; the last 5 are kept in case they begin "\r\n--B".
        evidence: { offset: 911, rule: "RFC 2046 §5.1.1" },
      }),
    );
  });

  test("a body without the boundary, malformed headers and endless headers are typed errors", () => {
    const none = new MultipartParser("B");
    none.push(Buffer.from("<html>502 Bad Gateway</html>"));
    expect(() => none.end()).toThrow(PacsError);
    expect(() => new MultipartParser("B").end()).toThrow(/never contains the boundary "--B"/);

    const badHeader = new MultipartParser("B");
    expect(() =>
      badHeader.push(Buffer.from(`--B\r\nContent-Type: application/dicom\r\nno colon here\r\n\r\n${"x".repeat(200)}`)),
    ).toThrow(/malformed header line "no colon here"/);

    const endless = new MultipartParser("B");
    expect(() => endless.push(Buffer.from(`--B\r\nX-Long: ${"y".repeat(20_000)}`))).toThrow(
      /more than 16384 bytes of headers/,
    );

    const closedEmpty = new MultipartParser("B");
    expect(() => closedEmpty.push(Buffer.from("--B--\r\n"))).toThrow(/closes before its first part/);

    const junk = new MultipartParser("B");
    expect(() => junk.push(Buffer.from("--BX\r\n"))).toThrow(/Unexpected bytes after the boundary/);
  });
});
