import type * as dcmjs from "dcmjs";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { DicomDataset } from "../../dicom/dataset";
import { lookupTag } from "../../dicom/dictionary/dictionary";
import { tagHex } from "../../dicom/tag";
import { CONFIDENTIALITY_PROFILE_ROWS } from "./confidentiality-profile.generated";
import { deidentifyHeader } from "./deidentify-header";
import { parseDeidProfile, type DeidProfile } from "./profile";
import { ReidentificationKey } from "./reidentification-key";

/**
 * Every row of PS3.15 Table E.1-1, for the Basic Profile and for each option column: a value is
 * planted (VR-appropriate) and the output checked against the action the standard's own table
 * (the JSON in ../shared, not the generated module) gives.
 */
const SOURCE = path.resolve(
  __dirname,
  "../../../../../shared/data/deid/standard/confidentiality_profile_attributes.json",
);
interface SourceRow {
  readonly id: string;
  readonly name: string;
  readonly basicProfile: string;
  readonly [column: string]: string | undefined;
}
const standard = JSON.parse(fs.readFileSync(SOURCE, "utf8")) as SourceRow[];

const COLUMNS: Readonly<Record<string, string>> = {
  "retain-safe-private": "rtnSafePrivOpt",
  "retain-uids": "rtnUIDsOpt",
  "retain-device-identity": "rtnDevIdOpt",
  "retain-institution-identity": "rtnInstIdOpt",
  "retain-patient-characteristics": "rtnPatCharsOpt",
  "retain-longitudinal-full-dates": "rtnLongFullDatesOpt",
  "retain-longitudinal-modified-dates": "rtnLongModifDatesOpt",
  "clean-descriptors": "cleanDescOpt",
  "clean-structured-content": "cleanStructContOpt",
  "clean-graphics": "cleanGraphOpt",
};
const CASES: readonly (string | undefined)[] = [undefined, ...Object.keys(COLUMNS)];

/** PS3.15 E.3.1 with the IOD unknown: the choice that conforms for every attribute Type. */
const CONSERVATIVE: Readonly<Record<string, string>> = {
  "X/Z": "Z",
  "X/D": "D",
  "X/Z/D": "D",
  "Z/D": "D",
  "X/Z/U*": "U",
};

/** The concrete tag planted for a row (the pattern rows get one instance of the pattern). */
function plantedTag(id: string): number {
  if (id === "ggggeeee-where-gggg-is-odd") return 0x00091010;
  if (id === "50xxxxxx") return 0x50003000;
  return parseInt(id.replace(/x/g, "0").replace("60003000", "60003000").replace("60004000", "60024000"), 16) >>> 0;
}

function vrOf(tag: number): string {
  if (tag >>> 16 === 0) return "UI"; // the DIMSE command fields the table lists are UIDs
  if (tag === 0x00091010) return "LO";
  return lookupTag(tag)?.vr[0] ?? "UN";
}

const PLANTED: Readonly<Record<string, unknown[]>> = {
  PN: [{ Alphabetic: "Roe^Jane" }],
  DA: ["20200102"],
  DT: ["20200102030405"],
  TM: ["030405"],
  UI: ["1.2.3.4.5.6.7.8.9"],
  AS: ["045Y"],
  CS: ["VALUE1"],
  AE: ["STATION1"],
  UR: ["http://example.org/x"],
  DS: [1.5],
  IS: [7],
};
const TEXT = ["planted text"];
const NUMERIC = new Set(["US", "SS", "UL", "SL", "FL", "FD", "SV", "UV"]);
const BINARY = new Set(["OB", "OW", "OD", "OF", "OL", "OV", "UN"]);

function plant(vr: string): unknown[] {
  if (vr === "SQ")
    return [{ "00080100": { vr: "SH", Value: ["CODE1"] }, "00080104": { vr: "LO", Value: ["Meaning"] } }];
  if (NUMERIC.has(vr)) return [7];
  if (BINARY.has(vr)) return [new Uint8Array([1, 2, 3, 4]).buffer];
  return PLANTED[vr] ?? TEXT;
}

const DUMMY: Readonly<Record<string, unknown[]>> = {
  PN: [{ Alphabetic: "ANONYMIZED" }],
  DA: ["19000101"],
  DT: ["19000101000000"],
  TM: ["000000"],
  AS: ["000Y"],
  UR: ["urn:x-radlab:anonymized"],
  DS: [0],
  IS: [0],
};
const DUMMY_BYTES: Readonly<Record<string, number>> = { OB: 2, OW: 2, OF: 4, OL: 4, OD: 8, OV: 8, UN: 2 };

const SECRET = new Uint8Array(32).fill(3);
const oracleKey = ReidentificationKey.create({ secret: SECRET });
const OFFSET = oracleKey.patient("PAT-1").dateOffsetDays;

function shifted(y: number, m: number, d: number): string {
  const t = new Date(Date.UTC(y, m - 1, d) + OFFSET * 86_400_000);
  return `${t.getUTCFullYear()}${String(t.getUTCMonth() + 1).padStart(2, "0")}${String(t.getUTCDate()).padStart(2, "0")}`;
}

/** What the output element must be, from the action alone (independent of the engine's code). */
function expected(action: string, vr: string, tag: number, option: string | undefined, row: SourceRow): unknown {
  if (tag === 0x00100020) return { vr: "LO", Value: ["S001"] };
  if (tag === 0x00100010) return { vr: "PN", Value: [{ Alphabetic: "S001" }] };
  const planted = plant(vr);
  switch (action) {
    case "X":
      return undefined;
    case "Z":
      return { vr, Value: [] };
    case "K":
      return { vr, Value: planted };
    case "D":
    case "U":
      if (vr === "SQ") return { vr, Value: planted };
      if (vr === "UI") return { vr, Value: [oracleKey.replaceUid("1.2.3.4.5.6.7.8.9")] };
      if (NUMERIC.has(vr)) return { vr, Value: [0] };
      if (BINARY.has(vr)) return { vr, Value: [new ArrayBuffer(DUMMY_BYTES[vr] ?? 0)] };
      return { vr, Value: DUMMY[vr] ?? ["ANONYMIZED"] };
    case "C":
      if (vr === "DA") return { vr, Value: [shifted(2020, 1, 2)] };
      if (vr === "DT") return { vr, Value: [`${shifted(2020, 1, 2)}030405`] };
      if (vr === "UI") return { vr, Value: [oracleKey.replaceUid("1.2.3.4.5.6.7.8.9")] };
      if (BINARY.has(vr)) {
        // Bytes cannot be cleaned: graphics and safe private data are kept, the rest gets the basic action.
        if (option === "clean-graphics" || option === "retain-safe-private") return { vr, Value: planted };
        return expected(CONSERVATIVE[row.basicProfile] ?? row.basicProfile, vr, tag, undefined, row);
      }
      return { vr, Value: planted }; // the planted text holds no PHI, so cleaning leaves it
    default:
      throw new Error(`unexpected action ${action}`);
  }
}

function profileFor(option: string | undefined): DeidProfile {
  return parseDeidProfile({
    kind: "deid-profile",
    name: `table-${option ?? "basic"}`,
    version: "1",
    options: option === undefined ? [] : [option],
    safePrivate:
      option === "retain-safe-private"
        ? [{ group: "0009", creator: "ACME", element: "10", reason: "test allow-list" }]
        : [],
  });
}
const PROFILES = new Map(CASES.map((o) => [o, profileFor(o)]));

/** Attributes the engine always writes after the table (PS3.15 E.1): checked in deidentify-header.test.ts. */
const WRITTEN_AFTER = new Set([0x00120062, 0x00120063, 0x00120064, 0x00280303]);
/** A sequence Table E.1-1 does not list, to plant values inside. */
const CARRIER = "00082218"; // Anatomic Region Sequence

function run(tag: number, vr: string, option: string | undefined, inSequence: boolean) {
  const hex = tagHex(tag);
  const element = { vr, Value: plant(vr) };
  const meta: dcmjs.DcmjsDict = {};
  const dict: dcmjs.DcmjsDict = { "00100020": { vr: "LO", Value: ["PAT-1"] } };
  if (tag >>> 16 === 0x0002) meta[hex] = element;
  else if (inSequence) dict[CARRIER] = { vr: "SQ", Value: [{ [hex]: element }] };
  else dict[hex] = element;
  if (tag === 0x00091010) {
    const creator = { vr: "LO", Value: ["ACME"] };
    if (inSequence) (dict[CARRIER]?.Value?.[0] as dcmjs.DcmjsDict)["00090010"] = creator;
    else dict["00090010"] = creator;
  }
  const ds = new DicomDataset({ meta, dict }, { file: "(table test)", repairs: [], headerOnly: false });
  const key = ReidentificationKey.create({ secret: SECRET });
  const out = deidentifyHeader(ds, PROFILES.get(option) as DeidProfile, { key });
  const where =
    tag >>> 16 === 0x0002
      ? out.dataset.meta
      : inSequence
        ? (out.dataset.dict[CARRIER]?.Value?.[0] as dcmjs.DcmjsDict)
        : out.dataset.dict;
  return { output: where[hex], dict: out.dataset.dict, creator: where["00090010"] };
}

describe("PS3.15 Table E.1-1, every row, the Basic Profile and every option column", () => {
  it("the generated module has every row of the standard's table, with its actions", () => {
    expect(CONFIDENTIALITY_PROFILE_ROWS.length).toBe(621);
    expect(standard.length).toBe(621);
    const generated = new Map(CONFIDENTIALITY_PROFILE_ROWS.map((r) => [r.tag, r]));
    for (const row of standard) {
      const tag =
        row.id === "ggggeeee-where-gggg-is-odd"
          ? "private"
          : /^[0-9a-f]{8}$/.test(row.id)
            ? row.id.toUpperCase()
            : row.id;
      const g = generated.get(tag);
      expect(g?.basic, row.id).toBe(row.basicProfile);
      const options = Object.fromEntries(Object.entries(COLUMNS).flatMap(([o, c]) => (row[c] ? [[o, row[c]]] : [])));
      expect(g?.options, row.id).toEqual(options);
    }
  });

  for (const [index, row] of standard.entries()) {
    const tag = plantedTag(row.id);
    const vr = vrOf(tag);
    if (WRITTEN_AFTER.has(tag)) continue;
    it(`${row.id} ${row.name} (${vr}, basic ${row.basicProfile})`, () => {
      for (const option of CASES) {
        const column = option === undefined ? undefined : row[COLUMNS[option] ?? ""];
        const action = column ?? CONSERVATIVE[row.basicProfile] ?? row.basicProfile;
        const { output, creator } = run(tag, vr, option, false);
        expect(output, `${option ?? "basic"}: ${action}`).toEqual(
          expected(action, vr, tag, column === undefined ? undefined : option, row),
        );
        if (tag === 0x00091010)
          expect(creator, "private creator").toEqual(action === "X" ? undefined : { vr: "LO", Value: ["ACME"] });
      }
      // A sample of rows, planted inside a sequence the table does not list: the same action at depth.
      if (index % 10 === 0 && tag >>> 16 !== 0x0002) {
        const action = CONSERVATIVE[row.basicProfile] ?? row.basicProfile;
        expect(run(tag, vr, undefined, true).output, "inside a sequence").toEqual(
          expected(action, vr, tag, undefined, row),
        );
      }
    });
  }
});
