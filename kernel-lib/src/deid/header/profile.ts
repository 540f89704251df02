import { readFileSync } from "node:fs";
import { lookupKeyword, lookupTag } from "../../dicom/dictionary/dictionary";
import { closestKeywords, formatTag, parseTagString } from "../../dicom/tag";
import type { TableOption } from "./confidentiality-profile.generated";
import { DeidError, type ProfileIssue } from "./deid-error";

/**
 * The options of PS3.15 E.3 (Table E.1-1's columns, plus Clean Pixel Data and Clean Recognizable
 * Visual Features, which change pixels rather than header attributes and are recorded only).
 */
export type DeidOption = TableOption | "clean-pixel-data" | "clean-recognizable-visual-features";

/** Every option, in the order of their codes in PS3.16 CID 7050 (113101...113112). */
export const DEID_OPTIONS: readonly DeidOption[] = Object.freeze([
  "clean-pixel-data",
  "clean-recognizable-visual-features",
  "clean-graphics",
  "clean-structured-content",
  "clean-descriptors",
  "retain-longitudinal-full-dates",
  "retain-longitudinal-modified-dates",
  "retain-patient-characteristics",
  "retain-device-identity",
  "retain-uids",
  "retain-safe-private",
  "retain-institution-identity",
] as const);

/**
 * A single action of PS3.15 E.3.1: D (dummy value), Z (zero length), X (remove), K (keep),
 * C (clean), U (consistent replacement UID).
 */
export type DeidAction = "D" | "Z" | "X" | "K" | "C" | "U";

const ACTIONS: readonly DeidAction[] = ["D", "Z", "X", "K", "C", "U"];

/** A per-attribute decision that replaces Table E.1-1's, with the reason a reviewer reads. */
export interface DeidOverride {
  /** A PS3.6 keyword (`PatientComments`) or a public tag (`(0010,4000)`). */
  readonly tag: string;
  readonly action: DeidAction;
  readonly reason: string;
}

/** A private attribute known to be safe (Retain Safe Private Option, PS3.15 E.3.10). */
export interface SafePrivateAttribute {
  /** The odd group, 4 hex digits: `0019`. */
  readonly group: string;
  /** The Private Creator value that reserves the block, exactly: `GEMS_ACQU_01`. */
  readonly creator: string;
  /** The element within the block, 2 hex digits: `1E` for (0019,xx1E). */
  readonly element: string;
  readonly reason: string;
}

/**
 * A de-identification policy as data: versioned, reviewable and hashable. Build it with
 * {@link parseDeidProfile} (or {@link loadDeidProfileFile}), which validates it and freezes it.
 */
export interface DeidProfile {
  readonly kind: "deid-profile";
  readonly name: string;
  /** The profile's own version, recorded in every output's (0012,0063) De-identification Method. */
  readonly version: string;
  readonly options: readonly DeidOption[];
  readonly overrides: readonly DeidOverride[];
  readonly safePrivate: readonly SafePrivateAttribute[];
}

/** The result of {@link safeParseDeidProfile}. */
export type DeidProfileParse =
  | { readonly success: true; readonly profile: DeidProfile }
  | { readonly success: false; readonly issues: readonly ProfileIssue[] };

/**
 * Validates a profile given as an object (for example parsed JSON) and returns it frozen, collecting
 * every issue: an unknown option, action or keyword (with the closest keywords), a private tag in
 * `overrides`, a safe-private list without its option, conflicting date options.
 *
 * @example
 * ```ts
 * import { safeParseDeidProfile } from "@radlab/kernel";
 * const result = safeParseDeidProfile({ kind: "deid-profile", name: "x", version: "1", options: ["retain-uid"] });
 * if (!result.success) result.issues[0]?.code; // "unknown-option"
 * ```
 */
export function safeParseDeidProfile(input: unknown): DeidProfileParse {
  const issues: ProfileIssue[] = [];
  const issue = (code: ProfileIssue["code"], path: string, message: string) => issues.push({ code, path, message });
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { success: false, issues: [{ code: "invalid-field", path: "", message: "A profile is an object." }] };
  }
  const o = input as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!["kind", "name", "version", "options", "overrides", "safePrivate"].includes(key))
      issue(
        "invalid-field",
        key,
        `"${key}" is not a profile field (kind, name, version, options, overrides, safePrivate).`,
      );
  }
  if (o["kind"] !== "deid-profile") issue("invalid-field", "kind", 'kind must be "deid-profile".');
  const text = (key: string): string => {
    const value = o[key];
    if (typeof value === "string" && value.trim() !== "") return value;
    issue("invalid-field", key, `${key} must be a non-empty string.`);
    return "";
  };
  const name = text("name");
  const version = text("version");
  const list = (key: string): unknown[] => {
    const value = o[key];
    if (value === undefined) return [];
    if (Array.isArray(value)) return value;
    issue("invalid-field", key, `${key} must be a list.`);
    return [];
  };

  const options: DeidOption[] = [];
  list("options").forEach((value, i) => {
    if (typeof value === "string" && (DEID_OPTIONS as readonly string[]).includes(value)) {
      if (!options.includes(value as DeidOption)) options.push(value as DeidOption);
      return;
    }
    const near = DEID_OPTIONS.filter((known) => typeof value === "string" && similar(known, value));
    issue(
      "unknown-option",
      `options[${i}]`,
      `${JSON.stringify(value)} is not a PS3.15 option${near.length > 0 ? ` (did you mean "${near[0]}"?)` : ""}; the options are ${DEID_OPTIONS.join(", ")}.`,
    );
  });
  if (options.includes("retain-longitudinal-full-dates") && options.includes("retain-longitudinal-modified-dates"))
    issue(
      "conflicting-options",
      "options",
      "retain-longitudinal-full-dates and retain-longitudinal-modified-dates exclude each other: choose one.",
    );

  const overrides: DeidOverride[] = [];
  const seen = new Map<number, number>();
  list("overrides").forEach((value, i) => {
    const path = `overrides[${i}]`;
    if (typeof value !== "object" || value === null) {
      issue("invalid-field", path, "An override is { tag, action, reason }.");
      return;
    }
    const v = value as Record<string, unknown>;
    const tagText = typeof v["tag"] === "string" ? v["tag"] : "";
    const tag = resolveTag(tagText, `${path}.tag`, issue);
    const action = v["action"];
    if (typeof action !== "string" || !(ACTIONS as readonly string[]).includes(action)) {
      issue(
        "unknown-action",
        `${path}.action`,
        `${JSON.stringify(action)} is not an action; use one of D, Z, X, K, C, U (PS3.15 E.3.1).`,
      );
    } else if (action === "U" && tag !== undefined && !(lookupTag(tag)?.vr ?? []).includes("UI")) {
      issue("action-not-allowed", `${path}.action`, `U replaces UIDs; ${formatTag(tag)} is not a UID (VR UI).`);
    }
    const reason = v["reason"];
    if (typeof reason !== "string" || reason.trim() === "")
      issue("invalid-field", `${path}.reason`, "Every override says why (reason), for the reviewer.");
    if (tag !== undefined) {
      const before = seen.get(tag);
      if (before !== undefined)
        issue("duplicate-override", path, `${formatTag(tag)} is already overridden by overrides[${before}].`);
      seen.set(tag, i);
    }
    if (tag !== undefined && typeof action === "string" && typeof reason === "string")
      overrides.push(Object.freeze({ tag: tagText, action: action as DeidAction, reason }));
  });

  const safePrivate: SafePrivateAttribute[] = [];
  list("safePrivate").forEach((value, i) => {
    const path = `safePrivate[${i}]`;
    const v = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
    const group = typeof v["group"] === "string" ? v["group"].toUpperCase() : "";
    const element = typeof v["element"] === "string" ? v["element"].toUpperCase() : "";
    const creator = v["creator"];
    const reason = v["reason"];
    let ok = true;
    if (!/^[0-9A-F]{4}$/.test(group) || parseInt(group, 16) % 2 === 0 || parseInt(group, 16) < 9) {
      issue("invalid-tag", `${path}.group`, `group must be an odd private group, 4 hex digits (e.g. "0019").`);
      ok = false;
    }
    if (!/^[0-9A-F]{2}$/.test(element)) {
      issue("invalid-tag", `${path}.element`, `element must be 2 hex digits, the low byte of (gggg,xxee).`);
      ok = false;
    }
    if (typeof creator !== "string" || creator.trim() === "") {
      issue("invalid-field", `${path}.creator`, "creator must be the Private Creator value that reserves the block.");
      ok = false;
    }
    if (typeof reason !== "string" || reason.trim() === "") {
      issue("invalid-field", `${path}.reason`, "Every safe private attribute says why it is safe (reason).");
      ok = false;
    }
    if (ok)
      safePrivate.push(
        Object.freeze({ group, element, creator: (creator as string).trim(), reason: reason as string }),
      );
  });
  if (safePrivate.length > 0 && !options.includes("retain-safe-private"))
    issue(
      "safe-private-without-option",
      "safePrivate",
      "safePrivate is used only with the retain-safe-private option.",
    );
  if (options.includes("retain-safe-private") && list("safePrivate").length === 0)
    issue(
      "option-without-allow-list",
      "options",
      "retain-safe-private needs a safePrivate allow-list (creator + element); radlab keeps no private attribute by default.",
    );

  if (issues.length > 0) return { success: false, issues };
  return {
    success: true,
    profile: Object.freeze({
      kind: "deid-profile",
      name,
      version,
      options: Object.freeze(options),
      overrides: Object.freeze(overrides),
      safePrivate: Object.freeze(safePrivate),
    }),
  };
}

/**
 * {@link safeParseDeidProfile}, throwing a {@link DeidError} `invalid-profile` that lists every issue.
 *
 * @throws {@link DeidError} `invalid-profile`.
 * @example
 * ```ts
 * import { parseDeidProfile } from "@radlab/kernel";
 * const profile = parseDeidProfile({
 *   kind: "deid-profile", name: "hospital-research", version: "1.0.0",
 *   options: ["retain-longitudinal-modified-dates", "retain-patient-characteristics"],
 *   overrides: [{ tag: "BodyPartExamined", action: "K", reason: "needed for the cohort" }],
 * });
 * ```
 */
export function parseDeidProfile(input: unknown, source = "(object)"): DeidProfile {
  const result = safeParseDeidProfile(input);
  if (result.success) return result.profile;
  throw new DeidError(
    "invalid-profile",
    `The de-identification profile ${source} is invalid:\n${result.issues.map((i) => `  ${i.path || "(profile)"}: ${i.message}`).join("\n")}`,
    {
      file: source,
      rule: result.issues[0]?.path ?? "",
      issues: result.issues,
      hint: "Correct the profile; de-identification does not start with a profile it cannot check.",
    },
  );
}

/**
 * Reads and validates a profile JSON file.
 *
 * @throws {@link DeidError} `invalid-profile` when the file cannot be read, is not JSON or does not validate.
 * @example
 * ```ts
 * import { loadDeidProfileFile } from "@radlab/kernel";
 * const profile = loadDeidProfileFile("profiles/research.json");
 * ```
 */
export function loadDeidProfileFile(path: string): DeidProfile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new DeidError("invalid-profile", `Cannot read the de-identification profile ${path}: ${String(error)}.`, {
      file: path,
      cause: error,
      hint: "Give the path of a JSON file holding a profile object.",
    });
  }
  return parseDeidProfile(parsed, path);
}

/** The Basic Application Level Confidentiality Profile alone, without options. */
export const BASIC_PROFILE: DeidProfile = parseDeidProfile({
  kind: "deid-profile",
  name: "ps3.15-basic",
  version: "1",
  options: [],
});

/** Resolves a keyword or `(gggg,eeee)` to a public tag, recording an issue otherwise. */
function resolveTag(
  text: string,
  path: string,
  issue: (code: ProfileIssue["code"], path: string, message: string) => void,
): number | undefined {
  const parsed = parseTagString(text);
  if (parsed !== undefined) {
    if ((parsed >>> 16) % 2 === 1) {
      issue(
        "private-override",
        path,
        `${formatTag(parsed)} is private: list safe private attributes in safePrivate (creator + element).`,
      );
      return undefined;
    }
    return parsed;
  }
  const entry = lookupKeyword(text);
  if (entry !== undefined) return entry.tag;
  const near = closestKeywords(text, 3);
  issue(
    "unknown-keyword",
    path,
    `${JSON.stringify(text)} is not a DICOM keyword (PS3.6)${near.length > 0 ? `; did you mean ${near.map((k) => `"${k}"`).join(", ")}?` : "."}`,
  );
  return undefined;
}

function similar(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase().replace(/[_\s]/g, "-");
  return x.includes(y) || y.includes(x) || x.replace(/s$/, "") === y.replace(/s$/, "");
}

/** The tag numbers of a profile's overrides (keywords resolved), for the engine. */
export function overrideTags(profile: DeidProfile): ReadonlyMap<number, DeidOverride> {
  const out = new Map<number, DeidOverride>();
  for (const o of profile.overrides) {
    const tag = parseTagString(o.tag) ?? lookupKeyword(o.tag)?.tag;
    if (tag !== undefined) out.set(tag, o);
  }
  return out;
}
