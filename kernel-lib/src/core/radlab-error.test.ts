import { describe, expect, it } from "vitest";
import { RadlabError } from "./radlab-error";

describe("RadlabError", () => {
  it("keeps code, evidence and hint, and appends the hint to the message", () => {
    const cause = new Error("EOF");
    const error = new RadlabError("dicom-truncated", "Cannot read scan.dcm: the file ends inside an element", {
      file: "scan.dcm",
      tag: "(7FE0,0010) Pixel Data",
      offset: 1234,
      hint: "Copy the file again from the PACS.",
      cause,
    });
    expect(error.name).toBe("RadlabError");
    expect(error.code).toBe("dicom-truncated");
    expect(error.message).toBe(
      "Cannot read scan.dcm: the file ends inside an element\nHow to fix: Copy the file again from the PACS.",
    );
    expect(error.evidence).toEqual({ file: "scan.dcm", tag: "(7FE0,0010) Pixel Data", offset: 1234 });
    expect(Object.isFrozen(error.evidence)).toBe(true);
    expect(error.hint).toBe("Copy the file again from the PACS.");
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(Error);
  });

  it("has no hint line and no cause when none is given", () => {
    const error = new RadlabError("x", "plain");
    expect(error.message).toBe("plain");
    expect(error.hint).toBeUndefined();
    expect("cause" in error).toBe(false);
  });

  it("names subclasses after themselves", () => {
    class ExampleError extends RadlabError {}
    expect(new ExampleError("x", "y").name).toBe("ExampleError");
  });
});
