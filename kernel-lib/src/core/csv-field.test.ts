import { describe, expect, it } from "vitest";
import { csvField } from "./csv-field";

describe("csvField", () => {
  it("quotes a field with a comma, quote or line break, doubling its quotes, and leaves others as they are", () => {
    expect(["plain", "a,b", 'say "hi"', "two\nlines", "cr\r", ""].map(csvField)).toEqual([
      "plain",
      '"a,b"',
      '"say ""hi"""',
      '"two\nlines"',
      '"cr\r"',
      "",
    ]);
  });
});
