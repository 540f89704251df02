import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { DeidError } from "./deid-error";
import { BASIC_PROFILE, loadDeidProfileFile, parseDeidProfile, safeParseDeidProfile } from "./profile";

describe("DeidProfile validation", () => {
  it("accepts a valid profile and freezes it", () => {
    const profile = parseDeidProfile({
      kind: "deid-profile",
      name: "hospital-research",
      version: "1.0.0",
      options: ["retain-longitudinal-modified-dates", "retain-safe-private"],
      overrides: [{ tag: "BodyPartExamined", action: "K", reason: "needed for the cohort" }],
      safePrivate: [{ group: "0019", creator: "GEMS_ACQU_01", element: "1e", reason: "numeric acquisition parameter" }],
    });
    expect(profile.safePrivate).toEqual([
      { group: "0019", creator: "GEMS_ACQU_01", element: "1E", reason: "numeric acquisition parameter" },
    ]);
    expect(Object.isFrozen(profile)).toBe(true);
    expect(Object.isFrozen(profile.options)).toBe(true);
    expect(BASIC_PROFILE.options).toEqual([]);
  });

  it("collects every issue: unknown option, keyword (with suggestions), action, private override, conflicts", () => {
    const result = safeParseDeidProfile({
      kind: "deid-profile",
      name: "bad",
      version: "1",
      options: ["retain-uid", "retain-longitudinal-full-dates", "retain-longitudinal-modified-dates"],
      overrides: [
        { tag: "PatientsName", action: "X", reason: "typo" },
        { tag: "PatientID", action: "Q", reason: "bad action" },
        { tag: "(0019,1001)", action: "X", reason: "private" },
        { tag: "StudyDate", action: "U", reason: "U on a date" },
        { tag: "StudyDate", action: "X", reason: "twice" },
      ],
      safePrivate: [{ group: "0018", creator: "", element: "1", reason: "" }],
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.issues).toEqual([
      {
        code: "unknown-option",
        path: "options[0]",
        message: expect.stringContaining('"retain-uid" is not a PS3.15 option (did you mean "retain-uids"?)'),
      },
      {
        code: "conflicting-options",
        path: "options",
        message:
          "retain-longitudinal-full-dates and retain-longitudinal-modified-dates exclude each other: choose one.",
      },
      {
        code: "unknown-keyword",
        path: "overrides[0].tag",
        message: expect.stringMatching(/^"PatientsName" is not a DICOM keyword \(PS3\.6\); did you mean "PatientName"/),
      },
      {
        code: "unknown-action",
        path: "overrides[1].action",
        message: '"Q" is not an action; use one of D, Z, X, K, C, U (PS3.15 E.3.1).',
      },
      {
        code: "private-override",
        path: "overrides[2].tag",
        message: "(0019,1001) private is private: list safe private attributes in safePrivate (creator + element).",
      },
      {
        code: "action-not-allowed",
        path: "overrides[3].action",
        message: "U replaces UIDs; (0008,0020) Study Date is not a UID (VR UI).",
      },
      {
        code: "duplicate-override",
        path: "overrides[4]",
        message: "(0008,0020) Study Date is already overridden by overrides[3].",
      },
      {
        code: "invalid-tag",
        path: "safePrivate[0].group",
        message: 'group must be an odd private group, 4 hex digits (e.g. "0019").',
      },
      {
        code: "invalid-tag",
        path: "safePrivate[0].element",
        message: "element must be 2 hex digits, the low byte of (gggg,xxee).",
      },
      {
        code: "invalid-field",
        path: "safePrivate[0].creator",
        message: "creator must be the Private Creator value that reserves the block.",
      },
      {
        code: "invalid-field",
        path: "safePrivate[0].reason",
        message: "Every safe private attribute says why it is safe (reason).",
      },
    ]);
  });

  it("refuses a safe-private list without its option, and the option without a list", () => {
    const list = [{ group: "0019", creator: "ACME", element: "10", reason: "safe" }];
    const noOption = safeParseDeidProfile({ kind: "deid-profile", name: "a", version: "1", safePrivate: list });
    const noList = safeParseDeidProfile({
      kind: "deid-profile",
      name: "a",
      version: "1",
      options: ["retain-safe-private"],
    });
    expect(noOption.success ? [] : noOption.issues.map((i) => i.code)).toEqual(["safe-private-without-option"]);
    expect(noList.success ? [] : noList.issues.map((i) => i.code)).toEqual(["option-without-allow-list"]);
  });

  it("throws a DeidError naming the file and listing the issues; loads JSON files", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "radlab-profile-"));
    const good = path.join(dir, "good.json");
    const bad = path.join(dir, "bad.json");
    fs.writeFileSync(
      good,
      JSON.stringify({ kind: "deid-profile", name: "g", version: "3", options: ["clean-graphics"] }),
    );
    fs.writeFileSync(bad, JSON.stringify({ kind: "deid-profile", name: "b", version: "1", extra: 1 }));
    expect(loadDeidProfileFile(good).options).toEqual(["clean-graphics"]);
    try {
      loadDeidProfileFile(bad);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DeidError);
      const e = error as DeidError;
      expect(e.code).toBe("invalid-profile");
      expect(e.evidence.file).toBe(bad);
      expect(e.issues).toEqual([
        { code: "invalid-field", path: "extra", message: expect.stringContaining('"extra" is not a profile field') },
      ]);
    }
    expect(() => loadDeidProfileFile(path.join(dir, "missing.json"))).toThrow(
      expect.objectContaining({ code: "invalid-profile" }),
    );
  });
});
