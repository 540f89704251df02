import { describe, expect, it } from "vitest";
import { progressPayloadSchema } from "./progress-payload";
import { formatDuration, progressSummary } from "./progress-summary";
import type { ProgressPayload } from "./progress-payload";

const running: ProgressPayload = {
  version: 1,
  label: "Reading images",
  unit: "files",
  done: 401,
  total: 802,
  elapsedSeconds: 3.2,
  etaSeconds: 3.2,
  status: "running",
};

describe("progressPayloadSchema", () => {
  it("accepts running, finished and open-ended payloads", () => {
    expect(progressPayloadSchema.safeParse(running).ok).toBe(true);
    expect(progressPayloadSchema.safeParse({ ...running, total: null, etaSeconds: null }).ok).toBe(true);
    expect(
      progressPayloadSchema.safeParse(JSON.stringify({ ...running, status: "failed", message: "disk full" })).ok,
    ).toBe(true);
  });

  it("reports every wrong field", () => {
    const result = progressPayloadSchema.safeParse({
      ...running,
      done: -1,
      total: "802",
      status: "paused",
      message: 3,
    });
    expect(!result.ok && result.issues).toEqual([
      { code: "too-small", path: ["done"], message: "expected a number >= 0, got -1" },
      { code: "expected-number", path: ["total"], message: 'expected a finite number, got a string ("802")' },
      {
        code: "expected-one-of",
        path: ["status"],
        message: 'expected one of "running", "succeeded", "failed", got a string ("paused")',
      },
      { code: "expected-string", path: ["message"], message: "expected a string, got the number 3" },
    ]);
  });

  it("rejects a payload that is not an object", () => {
    expect(progressPayloadSchema.safeParse([])).toEqual({
      ok: false,
      issues: [{ code: "expected-object", path: [], message: "expected an object, got an array" }],
    });
  });
});

describe("progressSummary", () => {
  it("says counts, elapsed time and time left while running", () => {
    expect(progressSummary(running)).toBe("Reading images: 401/802 files, 0:03 elapsed, ~0:03 left");
    expect(progressSummary({ ...running, total: null, etaSeconds: null, done: 7 })).toBe(
      "Reading images: 7 files, 0:03 elapsed",
    );
  });

  it("says the outcome and message at the end", () => {
    expect(
      progressSummary({
        ...running,
        done: 802,
        status: "succeeded",
        etaSeconds: 0,
        elapsedSeconds: 6.4,
        message: "3.5 MiB read",
      }),
    ).toBe("Reading images: 802/802 files in 0:06, succeeded (3.5 MiB read)");
    expect(progressSummary({ ...running, status: "failed", etaSeconds: 0, message: "disk full" })).toBe(
      "Reading images: 401/802 files in 0:03, failed (disk full)",
    );
  });
});

describe("formatDuration", () => {
  it("formats m:ss below an hour and h:mm:ss above", () => {
    expect(formatDuration(0)).toBe("0:00");
    expect(formatDuration(59.6)).toBe("1:00");
    expect(formatDuration(754)).toBe("12:34");
    expect(formatDuration(3600 + 62)).toBe("1:01:02");
  });
});
