import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { DeidError } from "./deid-error";
import { generateEncryptionKey, loadReidentificationKey, readEncryptionKey, saveReidentificationKey } from "./key-file";
import { exportPatientIdMappingCsv, exportUidMappingCsv } from "./mapping-export";
import { ReidentificationKey } from "./reidentification-key";

const SECRET = new Uint8Array(32).fill(5);
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "radlab-key-"));
const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    return error instanceof DeidError ? error.code : `untyped: ${String(error)}`;
  }
  return "no error";
};

describe("ReidentificationKey", () => {
  it("gives pseudonyms S001, S002 ... stable per patient, skipping enrolled IDs", () => {
    const key = ReidentificationKey.create({ secret: SECRET });
    expect(key.patient("A").researchId).toBe("S001");
    expect(key.patient("B").researchId).toBe("S002");
    expect(key.patient("A").researchId).toBe("S001");
    expect(key.patient("C", new Map([["C", "S003"]])).researchId).toBe("S003");
    expect(key.patient("D").researchId).toBe("S004");
    expect(codeOf(() => key.patient("A", new Map([["A", "R9"]])))).toBe("enrollment-conflict");
    expect(codeOf(() => key.patient("E", new Map([["E", "S001"]])))).toBe("enrollment-conflict");
    expect(codeOf(() => key.patient("F", new Map([["G", "R1"]])))).toBe("patient-not-enrolled");
  });

  it("derives 2.25 UIDs and date offsets from the secret: the same in another key with the same secret", () => {
    const a = ReidentificationKey.create({ secret: SECRET });
    const b = ReidentificationKey.create({ secret: SECRET });
    const c = ReidentificationKey.create({ secret: new Uint8Array(32).fill(6) });
    const uid = a.replaceUid("1.2.840.113619.2.55.3.1");
    expect(uid).toMatch(/^2\.25\.[1-9]\d{0,38}$/);
    expect(uid.length).toBeLessThanOrEqual(64);
    expect(b.replaceUid("1.2.840.113619.2.55.3.1")).toBe(uid);
    expect(c.replaceUid("1.2.840.113619.2.55.3.1")).not.toBe(uid);
    // The UUID behind it is version 8, RFC 4122 variant.
    const hex = BigInt(uid.slice(5)).toString(16).padStart(32, "0");
    expect(hex[12]).toBe("8");
    expect(["8", "9", "a", "b"]).toContain(hex[16]);
    expect(a.patient("P").dateOffsetDays).toBe(b.patient("P").dateOffsetDays);
    const offsets = Array.from({ length: 200 }, (_, i) => a.patient(`P${i}`).dateOffsetDays);
    expect(Math.min(...offsets)).toBeGreaterThanOrEqual(-3652);
    expect(Math.max(...offsets)).toBeLessThanOrEqual(-366);
    expect(new Set(offsets).size).toBeGreaterThan(150);
    expect(codeOf(() => ReidentificationKey.create({ secret: new Uint8Array(8) }))).toBe("reid-key-format");
  });

  it("exports the MIDI-B mapping files (id_old,id_new), quoting where CSV needs it", () => {
    const key = ReidentificationKey.create({ secret: SECRET });
    key.patient("MRN,1");
    key.patient('Quote"d');
    const u = key.replaceUid("1.2.3.4");
    expect(exportPatientIdMappingCsv(key)).toBe('id_old,id_new\n"MRN,1",S001\n"Quote""d",S002\n');
    expect(exportUidMappingCsv(key)).toBe(`id_old,id_new\n1.2.3.4,${u}\n`);
  });
});

describe("the encrypted key file", () => {
  it("round-trips (AES-256-GCM) with everything the key knows", () => {
    const dir = tmp();
    const file = path.join(dir, "study.reid");
    const encryptionKey = readEncryptionKey({ env: { RADLAB_DEID_KEY: generateEncryptionKey() } });
    const key = ReidentificationKey.create({ secret: SECRET });
    key.patient("MRN-1");
    key.patient("MRN-2", new Map([["MRN-2", "R-2"]]));
    key.replaceUid("1.2.3");
    saveReidentificationKey(key, file, { encryptionKey, outputFolders: [path.join(dir, "out")] });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(file, "utf8");
    expect(text).not.toContain("MRN-1");
    expect(text).not.toContain("1.2.3");
    expect(fs.readdirSync(dir)).toEqual(["study.reid"]); // no temporary file left behind
    const loaded = loadReidentificationKey(file, encryptionKey);
    expect(loaded.toData()).toEqual(key.toData());
    expect(loaded.patient("MRN-3").researchId).toBe("S002"); // the counter continues
    expect(loaded.replaceUid("1.2.3")).toBe(key.replaceUid("1.2.3"));
  });

  it("tells a wrong key from a tampered file", () => {
    const dir = tmp();
    const file = path.join(dir, "k.reid");
    const encryptionKey = Buffer.from(generateEncryptionKey(), "hex");
    saveReidentificationKey(ReidentificationKey.create({ secret: SECRET }), file, { encryptionKey, outputFolders: [] });
    const other = Buffer.from(generateEncryptionKey(), "hex");
    expect(codeOf(() => loadReidentificationKey(file, other))).toBe("reid-key-wrong-key");
    const content = JSON.parse(fs.readFileSync(file, "utf8")) as { data: string };
    const bytes = Buffer.from(content.data, "base64");
    bytes[3] = (bytes[3] ?? 0) ^ 1;
    fs.writeFileSync(file, JSON.stringify({ ...content, data: bytes.toString("base64") }));
    expect(codeOf(() => loadReidentificationKey(file, encryptionKey))).toBe("reid-key-tampered");
    fs.writeFileSync(file, "{}");
    expect(codeOf(() => loadReidentificationKey(file, encryptionKey))).toBe("reid-key-format");
  });

  it("refuses to write inside an output folder", () => {
    const dir = tmp();
    const out = path.join(dir, "research");
    fs.mkdirSync(out);
    const encryptionKey = Buffer.alloc(32, 1);
    const key = ReidentificationKey.create({ secret: SECRET });
    expect(
      codeOf(() =>
        saveReidentificationKey(key, path.join(out, "sub", "k.reid"), { encryptionKey, outputFolders: [out] }),
      ),
    ).toBe("reid-key-location");
    expect(
      codeOf(() =>
        saveReidentificationKey(key, path.join(out, "k.reid"), { encryptionKey, outputFolders: [`${out}/`] }),
      ),
    ).toBe("reid-key-location");
    // A folder beside it, whose name starts the same, is fine.
    saveReidentificationKey(key, path.join(`${out}-keys`, "k.reid"), { encryptionKey, outputFolders: [out] });
    expect(fs.existsSync(path.join(`${out}-keys`, "k.reid"))).toBe(true);
  });

  it("reads the encryption key from a file or RADLAB_DEID_KEY, hex or base64", () => {
    const dir = tmp();
    const hex = generateEncryptionKey();
    fs.writeFileSync(path.join(dir, "key.txt"), `${hex}\n`);
    fs.writeFileSync(path.join(dir, "key.bin"), Buffer.from(hex, "hex"));
    expect(Buffer.from(readEncryptionKey({ file: path.join(dir, "key.txt") })).toString("hex")).toBe(hex);
    expect(Buffer.from(readEncryptionKey({ file: path.join(dir, "key.bin") })).toString("hex")).toBe(hex);
    const b64 = Buffer.from(hex, "hex").toString("base64");
    expect(Buffer.from(readEncryptionKey({ env: { RADLAB_DEID_KEY: b64 } })).toString("hex")).toBe(hex);
    expect(codeOf(() => readEncryptionKey({ env: {} }))).toBe("reid-key-missing-key");
    expect(codeOf(() => readEncryptionKey({ env: { RADLAB_DEID_KEY: "short" } }))).toBe("reid-key-format");
  });
});
