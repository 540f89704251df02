import { RADLAB_IMPLEMENTATION_CLASS_UID } from "../../dicom/write";
import type * as dcmjs from "dcmjs";
import { DicomDataset } from "../../dicom/dataset";
import { parseDicomDate } from "../../dicom/date-time";
import { lookupTag } from "../../dicom/dictionary/dictionary";
import { formatTag, tagHex } from "../../dicom/tag";
import { cloneDict } from "../../dicom/write";
import { cleanText } from "./clean-text";
import type { ConfidentialityProfileRow } from "./confidentiality-profile.generated";
import { ageString, shiftDate, shiftDateTime } from "./date-shift";
import {
  BINARY_VRS,
  concat,
  dummyValues,
  effectiveVr,
  FREE_TEXT_VRS,
  personName,
  personNameGroups,
  stringValues,
} from "./element-values";
import {
  isIdentifying,
  personNameParts,
  phiMatchers,
  type PhiKind,
  type PhiMatcher,
  type PhiValue,
} from "./phi-values";
import {
  overrideTags,
  parseDeidProfile,
  type DeidAction,
  type DeidOption,
  type DeidOverride,
  type DeidProfile,
} from "./profile";
import type { PatientLink, ReidentificationKey } from "./reidentification-key";
import { conservativeAction, resolveRowAction, tableRow, type ResolvedAction } from "./resolve-action";

/** What {@link deidentifyHeader} needs beyond the dataset and the profile. */
export interface HeaderDeidContext {
  /** The re-identification key; research IDs, UIDs and date offsets are recorded in it. */
  readonly key: ReidentificationKey;
  /**
   * The enrollment list: original Patient ID -> research ID. When given, a patient who is not in
   * it is refused (`patient-not-enrolled`); without it patients get pseudonyms S001, S002, ...
   */
  readonly enrollment?: ReadonlyMap<string, string>;
}

/** What was done to one element. Holds no original value: only its keyed hash. */
export interface AuditEntry {
  /** Where: `(0008,1140)[0]/(0008,1155)`; File Meta Information elements start with `meta/`. */
  readonly path: string;
  /** `(0010,0010) Patient's Name`. */
  readonly tag: string;
  readonly keyword: string;
  readonly action: DeidAction;
  /** Why: `E.1-1 basic X/Z -> Z`, `E.1-1 retain-uids K`, `override: <reason>`, `private (E.1-1 X)`... */
  readonly rule: string;
  /** A keyed hash (HMAC with the key's secret) of the original value; absent for an empty one. */
  readonly beforeHash?: string;
  /** The value written, as text (`<n bytes>` for binary values, `<n items>` for sequences); absent when removed. */
  readonly after?: string;
}

/** The per-instance audit record of header de-identification. */
export interface InstanceAudit {
  /** The (replaced) SOP Instance UID of the output. */
  readonly sopInstanceUid: string;
  readonly researchId: string;
  readonly profile: { readonly name: string; readonly version: string };
  readonly options: readonly DeidOption[];
  readonly entries: readonly AuditEntry[];
}

/** The result of {@link deidentifyHeader}. */
export interface HeaderDeidResult {
  /** The de-identified dataset (a new object; the input is not changed). Pixel data is untouched. */
  readonly dataset: DicomDataset;
  readonly audit: InstanceAudit;
  /** The original identifying values, for the verification gate ({@link scanForPhi}, OCR). Holds PHI. */
  readonly phiValues: readonly PhiValue[];
}

const PATIENT_NAME = 0x00100010;
const PATIENT_ID = 0x00100020;
const PATIENT_AGE = 0x00101010;
const REFERENCED_FILE_ID = 0x00041500;
const WELL_KNOWN_UID = "1.2.840.10008.";
export { RADLAB_IMPLEMENTATION_CLASS_UID };

const OPTION_CODES: readonly (readonly [DeidOption | "basic", string, string])[] = [
  ["basic", "113100", "Basic Application Confidentiality Profile"],
  ["clean-pixel-data", "113101", "Clean Pixel Data Option"],
  ["clean-recognizable-visual-features", "113102", "Clean Recognizable Visual Features Option"],
  ["clean-graphics", "113103", "Clean Graphics Option"],
  ["clean-structured-content", "113104", "Clean Structured Content Option"],
  ["clean-descriptors", "113105", "Clean Descriptors Option"],
  ["retain-longitudinal-full-dates", "113106", "Retain Longitudinal Temporal Information Full Dates Option"],
  ["retain-longitudinal-modified-dates", "113107", "Retain Longitudinal Temporal Information Modified Dates Option"],
  ["retain-patient-characteristics", "113108", "Retain Patient Characteristics Option"],
  ["retain-device-identity", "113109", "Retain Device Identity Option"],
  ["retain-uids", "113110", "Retain UIDs Option"],
  ["retain-safe-private", "113111", "Retain Safe Private Option"],
  ["retain-institution-identity", "113112", "Retain Institution Identity Option"],
];

/** A profile compiled for the engine (cached per profile object). */
interface Plan {
  readonly profile: DeidProfile;
  readonly options: ReadonlySet<DeidOption>;
  readonly overrides: ReadonlyMap<number, DeidOverride>;
  /** `gggg|creator|ee` of safe private attributes, and `gggg|creator` of their creators. */
  readonly safePrivate: ReadonlyMap<string, string>;
  readonly safeCreators: ReadonlySet<string>;
  readonly rows: Map<ConfidentialityProfileRow, ResolvedAction>;
}

const plans = new WeakMap<DeidProfile, Plan>();

function compile(profile: DeidProfile): Plan {
  const cached = plans.get(profile);
  if (cached !== undefined) return cached;
  // Fail closed: a profile object built by hand is validated like a loaded one.
  const checked = parseDeidProfile(profile, `"${String(profile.name)}"`);
  const safePrivate = new Map<string, string>();
  const safeCreators = new Set<string>();
  for (const s of checked.safePrivate) {
    safePrivate.set(`${s.group}|${s.creator}|${s.element}`, s.reason);
    safeCreators.add(`${s.group}|${s.creator}`);
  }
  const plan: Plan = {
    profile: checked,
    options: new Set(checked.options),
    overrides: overrideTags(checked),
    safePrivate,
    safeCreators,
    rows: new Map(),
  };
  plans.set(profile, plan);
  return plan;
}

interface Decision {
  readonly action: DeidAction;
  readonly rule: string;
  readonly row?: ConfidentialityProfileRow;
  readonly option?: DeidOption;
  /** Whether the audit records it (everything but attributes kept because the table does not list them). */
  readonly audited: boolean;
}

const KEEP_UNLISTED: Decision = { action: "K", rule: "not in E.1-1", audited: false };

/**
 * Chooses the action for one element (PS3.15 E.3): group lengths and private attributes, the
 * profile's overrides, the row of Table E.1-1 with the profile's options, dates the table does not
 * list, elements with VR UN the dictionary does not know, and free text inside sequences that are
 * kept only to be cleaned.
 */
function decide(
  plan: Plan,
  tag: number,
  element: dcmjs.DcmjsElement,
  dict: dcmjs.DcmjsDict,
  removedOverlays: ReadonlySet<number>,
  cleanFreeText: boolean,
): Decision {
  const group = tag >>> 16;
  const elementNumber = tag & 0xffff;
  if (elementNumber === 0x0000) return { action: "X", rule: "group length (retired, PS3.5 7.2)", audited: true };
  if (group % 2 === 1) return decidePrivate(plan, tag, dict);
  const override = plan.overrides.get(tag);
  if (override !== undefined) return { action: override.action, rule: `override: ${override.reason}`, audited: true };
  if ((group & 0xff01) === 0x6000 && removedOverlays.has(group) && elementNumber !== 0x3000)
    return { action: "X", rule: "overlay plane removed with its Overlay Data (E.1-1 X)", audited: true };
  const row = tableRow(tag);
  if (row !== undefined) {
    let resolved = plan.rows.get(row);
    if (resolved === undefined) {
      resolved = resolveRowAction(row, plan.profile.options);
      plan.rows.set(row, resolved);
    }
    return { ...resolved, row, audited: true };
  }
  const entry = lookupTag(tag);
  const vr = element.vr === "UN" ? entry?.vr[0] : element.vr;
  if (vr === undefined)
    return { action: "X", rule: "VR UN and not in the PS3.6 dictionary: content cannot be checked", audited: true };
  if (element.vr === "UN" && vr === "SQ")
    return { action: "X", rule: "sequence encoded as UN bytes: items cannot be checked", audited: true };
  if (vr === "DA" || vr === "DT") {
    if (plan.options.has("retain-longitudinal-full-dates"))
      return { action: "K", rule: "date not in E.1-1: retain-longitudinal-full-dates", audited: true };
    if (plan.options.has("retain-longitudinal-modified-dates"))
      return { action: "C", rule: "date not in E.1-1: retain-longitudinal-modified-dates", audited: true };
    return { action: "X", rule: "date not in E.1-1: removed (conservative)", audited: true };
  }
  if (tag === REFERENCED_FILE_ID)
    return { action: "C", rule: "radlab: file path components may name the patient", audited: true };
  if (cleanFreeText && FREE_TEXT_VRS.has(vr) && vr !== "SH")
    return { action: "C", rule: "free text inside a cleaned sequence", audited: true };
  return KEEP_UNLISTED;
}

function decidePrivate(plan: Plan, tag: number, dict: dcmjs.DcmjsDict): Decision {
  const rule = "private (E.1-1 X)";
  if (!plan.options.has("retain-safe-private")) return { action: "X", rule, audited: true };
  const group = tagHex(tag).slice(0, 4);
  const elementNumber = tag & 0xffff;
  if (elementNumber >= 0x0010 && elementNumber <= 0x00ff) {
    const creator = creatorText(dict[tagHex(tag)]);
    return plan.safeCreators.has(`${group}|${creator}`)
      ? {
          action: "K",
          rule: "private creator of safe private attributes",
          option: "retain-safe-private",
          audited: true,
        }
      : { action: "X", rule, audited: true };
  }
  if (elementNumber < 0x1000) return { action: "X", rule, audited: true };
  const block = (elementNumber >> 8) & 0xff;
  const creator = creatorText(dict[tagHex((((tag >>> 16) << 16) | block) >>> 0)]);
  const low = (elementNumber & 0xff).toString(16).toUpperCase().padStart(2, "0");
  const reason = plan.safePrivate.get(`${group}|${creator}|${low}`);
  return reason === undefined
    ? { action: "X", rule, audited: true }
    : { action: "K", rule: `retain-safe-private: ${reason}`, option: "retain-safe-private", audited: true };
}

function creatorText(element: dcmjs.DcmjsElement | undefined): string {
  if (element === undefined) return "";
  return (stringValues(element, element.vr === "UN" ? "LO" : element.vr)[0] ?? "").trim();
}

/** Overlay groups (60xx) whose Overlay Data the profile removes: the whole plane goes with it. */
function overlaysRemoved(plan: Plan, dict: dcmjs.DcmjsDict): Set<number> {
  const out = new Set<number>();
  for (const hex of Object.keys(dict)) {
    if (!hex.startsWith("60") || !hex.endsWith("3000")) continue;
    const tag = parseInt(hex, 16) >>> 0;
    const element = dict[hex];
    if (element === undefined || (tag >>> 16) % 2 === 1) continue;
    if (decide(plan, tag, element, dict, out, false).action === "X") out.add(tag >>> 16);
  }
  return out;
}

/**
 * The identity a patient is known by in the re-identification key: (0010,0020) Patient ID (read by
 * tag, also when stored with VR UN), else Patient's Name and Birth Date, else one shared placeholder.
 *
 * @example
 * ```ts
 * import { patientIdentity, readDicomFile } from "@radlab/kernel";
 * patientIdentity(readDicomFile("CT_small.dcm")); // "1CT1"
 * ```
 */
export function patientIdentity(ds: DicomDataset): string {
  return identityOf(ds.dict);
}

function identityOf(dict: dcmjs.DcmjsDict): string {
  const text = (tag: number) => {
    const element = dict[tagHex(tag)];
    if (element === undefined) return "";
    return (stringValues(element, effectiveVr(tag, element) ?? "UN")[0] ?? "").trim();
  };
  const id = text(PATIENT_ID);
  if (id !== "") return id;
  const name = text(PATIENT_NAME);
  const birth = text(0x00100030);
  if (name !== "" || birth !== "") return `(no Patient ID) ${name} ${birth}`.trim();
  return "(no Patient ID, name or birth date)";
}

interface Walk {
  readonly plan: Plan;
  readonly key: ReidentificationKey;
  readonly link: PatientLink;
  readonly matchers: readonly PhiMatcher[];
  readonly audit: AuditEntry[];
}

/**
 * De-identifies the header of one instance by DICOM PS3.15 Annex E: every row of Table E.1-1
 * (rev 2024b) with the profile's options and overrides, at every depth of every sequence, in the
 * File Meta Information too. Elements are handled by tag: an element stored with VR UN is treated as
 * its dictionary VR. Private attributes are removed unless listed as safe; curves are removed;
 * overlays lose their data (and so the whole plane) unless Clean Graphics keeps them.
 *
 * - Patient ID and Patient's Name become the research ID (enrollment list or pseudonym S001...).
 * - UIDs (action U, and D on a UID) become `2.25.` UIDs derived from the key, the same in every
 *   instance, study and run that uses the key; (0002,0003) follows (0008,0018). DICOM's own UIDs
 *   (`1.2.840.10008.`) are kept.
 * - With Retain Longitudinal Temporal Information with Modified Dates, DA and DT values move by the
 *   patient's offset in whole days (times of day are unchanged); with Retain Patient Characteristics,
 *   (0010,1010) Patient's Age is recomputed from the original birth and study dates (90 and over: 090Y).
 * - (0012,0062) Patient Identity Removed = YES, (0012,0063) De-identification Method, (0012,0064) its
 *   code sequence (113100 and one code per option, PS3.16 CID 7050) and (0028,0303) Longitudinal
 *   Temporal Information Modified are written.
 *
 * The input dataset is not changed. Pixel data is copied unchanged (masking is the pixel module's).
 *
 * @throws {@link DeidError} `invalid-profile` for a profile that does not validate; `patient-not-enrolled`
 *   and `enrollment-conflict` from the enrollment list.
 * @example
 * ```ts
 * import { readDicomFile, deidentifyHeader, parseDeidProfile, ReidentificationKey } from "@radlab/kernel";
 * const profile = parseDeidProfile({
 *   kind: "deid-profile", name: "research", version: "1",
 *   options: ["retain-longitudinal-modified-dates", "retain-patient-characteristics"],
 * });
 * const key = ReidentificationKey.create();
 * const { dataset, audit, phiValues } = deidentifyHeader(readDicomFile("CT_small.dcm"), profile, { key });
 * dataset.string("PatientID"); // "S001"
 * ```
 */
export function deidentifyHeader(ds: DicomDataset, profile: DeidProfile, context: HeaderDeidContext): HeaderDeidResult {
  const plan = compile(profile);
  const link = context.key.patient(identityOf(ds.dict), context.enrollment);
  const phiValues = collectPhi(plan, ds.dict);
  const walk: Walk = { plan, key: context.key, link, matchers: phiMatchers(phiValues), audit: [] };
  const dict = transform(walk, ds.dict, "", false);
  finishTopLevel(walk, ds.dict, dict);
  const meta = transformMeta(walk, ds.meta, dict);
  const dataset = new DicomDataset(
    { meta, dict },
    { file: "(de-identified)", repairs: [...ds.source.repairs], headerOnly: ds.source.headerOnly },
  );
  const sop = dict["00080018"]?.Value?.[0];
  return {
    dataset,
    audit: Object.freeze({
      sopInstanceUid: typeof sop === "string" ? sop : "",
      researchId: link.researchId,
      profile: { name: plan.profile.name, version: plan.profile.version },
      options: plan.profile.options,
      entries: Object.freeze(walk.audit),
    }),
    phiValues: Object.freeze(phiValues),
  };
}

function transform(walk: Walk, dict: dcmjs.DcmjsDict, prefix: string, cleanFreeText: boolean): dcmjs.DcmjsDict {
  const out: dcmjs.DcmjsDict = {};
  const removedOverlays = overlaysRemoved(walk.plan, dict);
  for (const hex of Object.keys(dict).sort()) {
    const element = dict[hex];
    if (element === undefined) continue;
    const tag = parseInt(hex, 16) >>> 0;
    const path = `${prefix}(${hex.slice(0, 4)},${hex.slice(4)})`;
    let decision = decide(walk.plan, tag, element, dict, removedOverlays, cleanFreeText);
    if ((tag === PATIENT_ID || tag === PATIENT_NAME) && decision.action !== "K" && decision.action !== "X")
      decision = { ...decision, rule: `${decision.rule}: research ID` };
    const result = apply(walk, decision, tag, element, path);
    if (result !== undefined) out[hex] = result;
    if (decision.audited) record(walk, path, tag, element, decision, result);
  }
  return out;
}

function apply(
  walk: Walk,
  decision: Decision,
  tag: number,
  element: dcmjs.DcmjsElement,
  path: string,
): dcmjs.DcmjsElement | undefined {
  const vr = effectiveVr(tag, element) ?? "UN";
  const isSequence = element.vr === "SQ";
  let action = decision.action;
  if ((tag === PATIENT_ID || tag === PATIENT_NAME) && action !== "K" && action !== "X") {
    return tag === PATIENT_ID
      ? { vr: "LO", Value: [walk.link.researchId] }
      : { vr: "PN", Value: [{ Alphabetic: walk.link.researchId }] };
  }
  if (action === "C" && !isSequence && BINARY_VRS.has(vr)) {
    // Binary values cannot be cleaned: graphics and safe private data are kept as the option says,
    // anything else (a timestamp, a maker note) falls back to the basic action.
    if (decision.option === "clean-graphics" || decision.option === "retain-safe-private") action = "K";
    else action = decision.row === undefined ? "X" : conservativeAction(decision.row.basic);
  }
  switch (action) {
    case "X":
      return undefined;
    case "Z":
      return { vr: isSequence ? "SQ" : vr, Value: [] };
    case "K":
      if (isSequence) return sequence(walk, element, path, false);
      return cloneDict({ e: element })["e"];
    case "D":
      if (isSequence) return sequence(walk, element, path, true);
      if (vr === "UI") return { vr, Value: stringValues(element, vr).map((v) => replaceUid(walk, v)) };
      return { vr, Value: dummyValues(vr) };
    case "U":
      if (isSequence) return sequence(walk, element, path, true);
      if (vr === "UI") return { vr, Value: stringValues(element, vr).map((v) => replaceUid(walk, v)) };
      return { vr, Value: dummyValues(vr) };
    case "C":
      return clean(walk, element, vr, path);
  }
}

function clean(walk: Walk, element: dcmjs.DcmjsElement, vr: string, path: string): dcmjs.DcmjsElement {
  if (element.vr === "SQ") return sequence(walk, element, path, true);
  const values = stringValues(element, vr);
  const offset = walk.link.dateOffsetDays;
  switch (vr) {
    case "DA":
      return { vr, Value: values.map((v) => shiftDate(v, offset)).filter((v) => v !== undefined) };
    case "DT":
      return { vr, Value: values.map((v) => shiftDateTime(v, offset)).filter((v) => v !== undefined) };
    case "UI":
      return { vr, Value: values.map((v) => replaceUid(walk, v)) };
    case "PN":
      return {
        vr,
        Value: values.map((v) =>
          personName(
            v
              .split("=")
              .map((g) => cleanText(g, walk.matchers, vr))
              .join("="),
          ),
        ),
      };
    default:
      if (FREE_TEXT_VRS.has(vr) || vr === "AE" || vr === "CS" || vr === "UR")
        return { vr, Value: values.map((v) => cleanText(v, walk.matchers, vr)) };
      // TM (whole-day shifts keep times of day), AS, numbers: nothing to clean.
      return element.vr === "UN" && vr !== "UN" ? { vr, Value: values } : (cloneDict({ e: element })["e"] ?? element);
  }
}

function sequence(walk: Walk, element: dcmjs.DcmjsElement, path: string, cleanFreeText: boolean): dcmjs.DcmjsElement {
  return {
    vr: "SQ",
    Value: (element.Value ?? []).map((item, i) =>
      transform(walk, (item ?? {}) as dcmjs.DcmjsDict, `${path}[${i}]/`, cleanFreeText),
    ),
  };
}

function replaceUid(walk: Walk, uid: string): string {
  const value = uid.replace(/[\0 ]+$/, "").trim();
  if (value === "" || value.startsWith(WELL_KNOWN_UID)) return value;
  return walk.key.replaceUid(value);
}

function record(
  walk: Walk,
  path: string,
  tag: number,
  before: dcmjs.DcmjsElement,
  decision: Decision,
  after: dcmjs.DcmjsElement | undefined,
): void {
  const original = describe(before, effectiveVr(tag, before) ?? "UN");
  const entry: AuditEntry = {
    path,
    tag: formatTag(tag),
    keyword: (tag >>> 16) % 2 === 1 ? "" : (lookupTag(tag)?.keyword ?? decision.row?.keyword ?? ""),
    action: decision.action,
    rule: decision.rule,
    ...(original === "" ? {} : { beforeHash: walk.key.keyedHash(original) }),
    ...(after === undefined ? {} : { after: describe(after, effectiveVr(tag, after) ?? "UN", true) }),
  };
  walk.audit.push(entry);
}

function describe(element: dcmjs.DcmjsElement, vr: string, summary = false): string {
  if (element.vr === "SQ") return summary ? `<${(element.Value ?? []).length} items>` : "";
  const texts = stringValues(element, vr);
  if (texts.length > 0 || !BINARY_VRS.has(vr)) return texts.join("\\");
  const bytes = concat(element.Value ?? []);
  if (summary) return `<${bytes.byteLength} bytes>`;
  return bytes.byteLength === 0 ? "" : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/** Adds the attributes that say how the instance was de-identified, and recomputes Patient's Age. */
function finishTopLevel(walk: Walk, original: dcmjs.DcmjsDict, dict: dcmjs.DcmjsDict): void {
  const { plan } = walk;
  const set = (tag: number, element: dcmjs.DcmjsElement, rule: string) => {
    const before = original[tagHex(tag)];
    dict[tagHex(tag)] = element;
    const path = `(${tagHex(tag).slice(0, 4)},${tagHex(tag).slice(4)})`;
    // One entry per element: this decision replaces the walk's.
    const earlier = walk.audit.findIndex((e) => e.path === path);
    if (earlier >= 0) walk.audit.splice(earlier, 1);
    record(walk, path, tag, before ?? { vr: element.vr }, { action: "D", rule, audited: true }, element);
  };
  for (const tag of [PATIENT_ID, PATIENT_NAME]) {
    if (plan.overrides.has(tag) || dict[tagHex(tag)] !== undefined) continue;
    const value = tag === PATIENT_ID ? walk.link.researchId : { Alphabetic: walk.link.researchId };
    set(tag, { vr: tag === PATIENT_ID ? "LO" : "PN", Value: [value] }, "research ID (added)");
  }
  if (plan.options.has("retain-patient-characteristics") && !plan.overrides.has(PATIENT_AGE)) {
    const age = recomputedAge(original);
    if (age !== undefined)
      set(PATIENT_AGE, { vr: "AS", Value: [age] }, "retain-patient-characteristics: recomputed from the dates");
  }
  set(0x00120062, { vr: "CS", Value: ["YES"] }, "PS3.15 E.1");
  set(0x00120063, { vr: "LO", Value: methodText(plan) }, "PS3.15 E.1");
  set(
    0x00120064,
    {
      vr: "SQ",
      Value: OPTION_CODES.filter(([o]) => o === "basic" || plan.options.has(o)).map(([, code, meaning]) => ({
        "00080100": { vr: "SH", Value: [code] },
        "00080102": { vr: "SH", Value: ["DCM"] },
        "00080104": { vr: "LO", Value: [meaning] },
      })),
    },
    "PS3.15 E.1, PS3.16 CID 7050",
  );
  const temporal = plan.options.has("retain-longitudinal-full-dates")
    ? "UNMODIFIED"
    : plan.options.has("retain-longitudinal-modified-dates")
      ? "MODIFIED"
      : "REMOVED";
  set(0x00280303, { vr: "CS", Value: [temporal] }, "PS3.3 C.7.6.1.1.6");
}

function methodText(plan: Plan): string[] {
  const clip = (text: string) => text.replace(/\\/g, "/").slice(0, 64);
  return [
    "radlab PS3.15 E.1-1 (2024b) Basic Profile",
    clip(`profile ${plan.profile.name} ${plan.profile.version}`),
    ...plan.profile.options.map(clip),
  ];
}

function recomputedAge(original: dcmjs.DcmjsDict): string | undefined {
  const first = (tag: number) => {
    const element = original[tagHex(tag)];
    return element === undefined ? undefined : stringValues(element, effectiveVr(tag, element) ?? "UN")[0];
  };
  const birth = parseDicomDate(first(0x00100030) ?? "");
  const at = [0x00080020, 0x00080021, 0x00080022, 0x00080023]
    .map((t) => parseDicomDate(first(t) ?? ""))
    .find((d) => d !== undefined);
  if (birth !== undefined && at !== undefined) return ageString(birth, at);
  const kept = /^(\d{3})([DWMY])$/.exec((first(PATIENT_AGE) ?? "").trim());
  if (kept === null) return undefined;
  return kept[2] === "Y" && Number(kept[1]) >= 90 ? "090Y" : undefined;
}

/** The File Meta Information: (0002,0003) follows (0008,0018); AE titles and private information go. */
function transformMeta(walk: Walk, meta: dcmjs.DcmjsDict, dict: dcmjs.DcmjsDict): dcmjs.DcmjsDict {
  const out: dcmjs.DcmjsDict = {};
  const retainDevices = walk.plan.options.has("retain-device-identity");
  for (const hex of Object.keys(meta).sort()) {
    const element = meta[hex];
    if (element === undefined) continue;
    const tag = parseInt(hex, 16) >>> 0;
    const path = `meta/(${hex.slice(0, 4)},${hex.slice(4)})`;
    let decision: Decision | undefined;
    let result: dcmjs.DcmjsElement | undefined = cloneDict({ e: element })["e"];
    if (tag === 0x00020000) {
      decision = { action: "X", rule: "group length (the writer computes it)", audited: false };
      result = undefined;
    } else if (tag === 0x00020003) {
      const row = tableRow(tag);
      const resolved = row === undefined ? undefined : resolveRowAction(row, walk.plan.profile.options);
      if (resolved?.action === "K") {
        decision = { ...resolved, audited: true };
      } else {
        const sop = dict["00080018"]?.Value?.[0];
        const value = typeof sop === "string" ? sop : replaceUid(walk, stringValues(element, "UI")[0] ?? "");
        decision = { action: "U", rule: "E.1-1 U, the same as (0008,0018) SOP Instance UID", audited: true };
        result = { vr: "UI", Value: [value] };
      }
    } else if (tag === 0x00020012 || tag === 0x00020013) {
      // radlab writes the output: it is the implementation (the source's may equal an identifying UID).
      decision = { action: "D", rule: "file meta: radlab wrote the file (PS3.10 7.1)", audited: true };
      result =
        tag === 0x00020012
          ? { vr: "UI", Value: [RADLAB_IMPLEMENTATION_CLASS_UID] }
          : { vr: "SH", Value: ["RADLAB_DEID"] };
    } else if (
      ((tag === 0x00020016 || tag === 0x00020017 || tag === 0x00020018) && !retainDevices) ||
      tag === 0x00020100 ||
      tag === 0x00020102
    ) {
      decision = { action: "X", rule: "file meta: AE titles and private information removed", audited: true };
      result = undefined;
    }
    if (result !== undefined) out[hex] = result;
    if (decision?.audited === true) record(walk, path, tag, element, decision, result);
  }
  return out;
}

const IDENTIFIER_KEYWORD = /(?:ID|IDs|Number|Numbers|Identifier|Locator)$/;
const TEXT_KEYWORD =
  /Institution|Address|Telephone|Country|Region|Organization|Employer|Station|Location|Military|Religious|Occupation|Issuer|Insurance|Facility|Department|Residence|Email|Affiliation|SiteName|CenterName|CommitteeName|SponsorName|Origin/;
const NOT_IDENTIFYING_KEYWORD = /Description|Protocol|Comment|Reason|Label|Code|Manufacturer|Model|Software|Version/;

/**
 * The original identifying values of an instance: every name (whole and in parts), date, replaced
 * UID and identifying text (IDs, numbers, institution, address, station...) of the elements the
 * profile does not keep, at every depth. Private attributes are removed whole and not listed.
 */
function collectPhi(plan: Plan, root: dcmjs.DcmjsDict): PhiValue[] {
  const found = new Map<string, PhiValue>();
  const add = (value: string, kind: PhiKind, source: string) => {
    const v = value.trim();
    if (!isIdentifying(v, kind)) return;
    const id = `${kind}|${v.toUpperCase()}`;
    if (!found.has(id)) found.set(id, Object.freeze({ value: v, kind, source }));
  };
  const walk = (dict: dcmjs.DcmjsDict) => {
    const removedOverlays = new Set<number>();
    for (const hex of Object.keys(dict).sort()) {
      const element = dict[hex];
      const tag = parseInt(hex, 16) >>> 0;
      if (element === undefined || (tag >>> 16) % 2 === 1) continue;
      if (element.vr === "SQ") {
        for (const item of element.Value ?? []) walk((item ?? {}) as dcmjs.DcmjsDict);
      }
      const decision = decide(plan, tag, element, dict, removedOverlays, false);
      const vr = effectiveVr(tag, element);
      if (vr === undefined || vr === "SQ") continue;
      // Kept values are not PHI by the profile's decision; cleaned ones are kept too, except dates
      // (shifted) and UIDs (replaced), whose originals disappear.
      const identity = (tag === PATIENT_ID || tag === PATIENT_NAME) && !plan.overrides.has(tag);
      if (decision.action === "K" && !identity) continue;
      if (decision.action === "C" && !identity && vr !== "DA" && vr !== "DT" && vr !== "UI") continue;
      const keyword = lookupTag(tag)?.keyword ?? decision.row?.keyword ?? formatTag(tag);
      if (vr === "PN") {
        for (const value of element.vr === "UN"
          ? stringValues(element, vr).map((t) => t.split("="))
          : (element.Value ?? []).map(personNameGroups)) {
          for (const group of value) for (const part of personNameParts(group)) add(part, "person-name", keyword);
        }
      } else if (vr === "DA") {
        for (const v of stringValues(element, vr)) add(v, "date", keyword);
      } else if (vr === "DT") {
        for (const v of stringValues(element, vr)) add(v.slice(0, 8), "date", keyword);
      } else if (vr === "UI") {
        if (decision.action === "U" || decision.action === "D" || decision.action === "C")
          for (const v of stringValues(element, vr))
            if (!v.startsWith(WELL_KNOWN_UID)) add(v.replace(/\0/g, ""), "uid", keyword);
      } else if (
        ["LO", "SH", "LT", "ST", "UT", "UC", "AE", "CS"].includes(vr) &&
        !NOT_IDENTIFYING_KEYWORD.test(keyword)
      ) {
        const kind: PhiKind | undefined = IDENTIFIER_KEYWORD.test(keyword)
          ? "identifier"
          : TEXT_KEYWORD.test(keyword)
            ? "text"
            : undefined;
        if (kind !== undefined) for (const v of stringValues(element, vr)) add(v, kind, keyword);
      }
    }
  };
  walk(root);
  return [...found.values()];
}
