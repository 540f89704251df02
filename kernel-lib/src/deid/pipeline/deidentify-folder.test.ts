import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDicomFile } from "../../dicom/read";
import { openStore } from "../../store/research-store";
import { loadReidentificationKey } from "../header/key-file";
import { BASIC_PROFILE, parseDeidProfile } from "../header/profile";
import { phiValuesFromHeader } from "../pixels/screen-phi-values";
import { createOcrPool, type OcrPool } from "../pixels/ocr-pool";
import { readImageText } from "../pixels/read-frame-text";
import { frameToGrey } from "../pixels/frame-to-grey";
import { decodeFrame } from "../../dicom/pixels/decode-frame";
import { scanForPhi } from "../header/scan-for-phi";
import { parseEnrollment } from "../../pacs/enrollment";
import { DEID_MANIFEST, readManifest } from "./deid-manifest";
import { deidentifyFolder } from "./deidentify-folder";

const SHARED = path.resolve(__dirname, "../../../../../shared/data");
const DEID_DATA = path.join(SHARED, "deid/samples/deid-data/deid_data/data");
const temp = fs.mkdtempSync(path.join(os.tmpdir(), "radlab-deid-folder-"));
const input = path.join(temp, "pulled");
const output = path.join(temp, "research");
const secure = path.join(temp, "secure");
const encryptionKey = Buffer.alloc(32, 7);
const profile = parseDeidProfile({
  ...BASIC_PROFILE,
  name: "radlab-ci", // the patient is "ZZZ TEST PATIENTFIVE": a profile named "test" would trip the gate
  options: ["clean-pixel-data", "retain-longitudinal-modified-dates"],
});
const originals = new Map<string, string>();
let pool: OcrPool;

beforeAll(async () => {
  fs.mkdirSync(path.join(input, "nested", "deeper"), { recursive: true });
  const copy = (from: string, to: string) => {
    fs.copyFileSync(from, path.join(input, to));
    originals.set(to, createHash("sha256").update(fs.readFileSync(from)).digest("hex"));
  };
  copy(path.join(DEID_DATA, "ultrasounds/GREYSCALE_IMAGE.dcm"), "nested/us.dcm");
  copy(path.join(DEID_DATA, "humans/ctbrain1.dcm"), "nested/deeper/ct-1");
  copy(path.join(DEID_DATA, "dicom-cookies/image1.dcm"), "image1.dcm");
  copy(path.join(SHARED, "dicom/pydicom/test_files/CT_small.dcm"), "CT_small.dcm");
  fs.writeFileSync(path.join(input, "notes.txt"), "not an image");
  fs.writeFileSync(
    path.join(input, "truncated.dcm"),
    fs.readFileSync(path.join(input, "CT_small.dcm")).subarray(0, 600),
  );
  pool = await createOcrPool({ workers: 1 });
}, 60_000);

afterAll(async () => {
  await pool.terminate();
  fs.rmSync(temp, { recursive: true, force: true });
});

describe("deidentifyFolder", () => {
  it("writes verified instances under new identifiers, masks burned-in text, quarantines the rest, and never touches the originals", async () => {
    const report = await deidentifyFolder(input, output, {
      profile,
      keyFile: path.join(secure, "study.reid"),
      encryptionKey,
      reader: pool,
      mappingFolder: path.join(secure, "mapping"),
      progressSink: null,
    });
    expect([report.counts.files, report.counts.passed, report.counts.masked, report.counts.alreadyDone]).toEqual([
      6, 4, 1, 0,
    ]);
    expect(report.counts.quarantined.map((q) => [q.file, q.code])).toEqual([
      ["notes.txt", "not-dicom"],
      ["truncated.dcm", "dicom-truncated"],
    ]);
    expect(report.ok).toBe(false);
    for (const [rel, sha] of originals) {
      expect(
        createHash("sha256")
          .update(fs.readFileSync(path.join(input, rel)))
          .digest("hex"),
      ).toBe(sha);
    }

    const manifest = readManifest(output);
    expect(manifest.size).toBe(4);
    for (const [file, entry] of manifest) {
      // Paths are research IDs and new 2.25 UIDs only.
      expect(file).toMatch(/^S\d{3}\/2\.25\.\d+\/2\.25\.\d+\/2\.25\.\d+\.dcm$/);
      const bytes = fs.readFileSync(path.join(output, file));
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(entry.sha256);
      const ds = readDicomFile(path.join(output, file));
      expect(ds.string("PatientIdentityRemoved")).toBe("YES");
      expect(ds.string("PatientID")).toBe(entry.researchId);
    }
    // The header gate, run again from outside: no original value anywhere in the outputs.
    const us = [...manifest.values()].find((e) => e.pixels === "masked");
    expect(us).toBeDefined();
    const original = readDicomFile(path.join(input, "nested/us.dcm"));
    const masked = readDicomFile(path.join(output, us?.file ?? ""));
    expect(masked.string("BurnedInAnnotation")).toBe("NO");
    expect(masked.transferSyntaxUid).toBe("1.2.840.10008.1.2.1");
    const phi = phiValuesFromHeader(original);
    expect(scanForPhi(masked, phi)).toEqual([]);
    // ... and none in the masked pixels read again.
    const text = (await readImageText(pool, frameToGrey(await decodeFrame(masked, 0))))
      .map((l) => l.text.toUpperCase())
      .join(" ");
    for (const token of ["ZZZDOWNTIME", "MARY"]) expect(text).not.toContain(token);

    // The key, report and mappings stay on the secure side; the output holds none of them.
    expect(fs.readdirSync(output).sort()).toEqual([
      "S001",
      "S002",
      "S003",
      "S004",
      "radlab-deid-audit.jsonl",
      DEID_MANIFEST,
    ]);
    const key = loadReidentificationKey(path.join(secure, "study.reid"), encryptionKey);
    expect(key.patients().map((p) => p.researchId)).toEqual(["S001", "S002", "S003", "S004"]);
    expect(fs.readFileSync(path.join(secure, "mapping", "patid_mapping.csv"), "utf8").split("\n")[0]).toBe(
      "id_old,id_new",
    );
    expect(fs.readdirSync(path.join(secure, "reports"))).toEqual([`deid-${report.counts.run}.json`]);
  }, 120_000);

  it("resumes: a re-run skips what the manifest lists and adds nothing", async () => {
    const before = fs.readFileSync(path.join(output, DEID_MANIFEST), "utf8");
    const again = await deidentifyFolder(input, output, {
      profile,
      keyFile: path.join(secure, "study.reid"),
      encryptionKey,
      reader: pool,
      progressSink: null,
    });
    expect([again.counts.passed, again.counts.alreadyDone, again.counts.quarantined.length]).toEqual([0, 4, 2]);
    expect(fs.readFileSync(path.join(output, DEID_MANIFEST), "utf8")).toBe(before);
  }, 120_000);

  it("quarantines images that may hold burned-in text when the profile does not clean pixels", async () => {
    const out = path.join(temp, "no-pixel-option");
    const report = await deidentifyFolder(path.join(input, "nested"), out, {
      profile: parseDeidProfile({ ...BASIC_PROFILE, name: "header-only", options: [] }),
      keyFile: path.join(secure, "other.reid"),
      encryptionKey,
      reader: pool,
      progressSink: null,
    });
    // The ultrasound says YES; the CT is a Secondary Capture that does not say: both may carry text.
    expect(report.counts.quarantined.map((q) => [q.file, q.code, q.reason])).toEqual([
      [
        "deeper/ct-1",
        "burned-in-unchecked",
        '(0028,0301) Burned In Annotation is absent on a Secondary Capture SOP class 1.2.840.10008.5.1.4.1.1.7, and the profile "header-only" has no clean-pixel-data option: add it to mask burned-in text',
      ],
      [
        "us.dcm",
        "burned-in-unchecked",
        '(0028,0301) Burned In Annotation is YES, and the profile "header-only" has no clean-pixel-data option: add it to mask burned-in text',
      ],
    ]);
    expect(readManifest(out).size).toBe(0);
  }, 60_000);

  it("gives enrolled patients the coordinator's research ID and quarantines everyone else", async () => {
    const out = path.join(temp, "enrolled");
    const report = await deidentifyFolder(path.join(input, "nested"), out, {
      profile,
      keyFile: path.join(secure, "enrolled.reid"),
      encryptionKey,
      reader: pool,
      enrollment: parseEnrollment("patient_id,research_id\n2020202020202,BREAST-007\n"),
      progressSink: null,
    });
    expect(report.counts.quarantined.map((q) => [q.file, q.code, q.reason])).toEqual([
      ["deeper/ct-1", "not-enrolled", "the instance's Patient ID is not on the enrollment list"],
    ]);
    expect([...readManifest(out).values()].map((e) => [e.researchId, e.pixels])).toEqual([["BREAST-007", "masked"]]);
  }, 60_000);

  it("refuses overlapping folders and a key inside the output", async () => {
    await expect(
      deidentifyFolder(input, path.join(input, "out"), { profile, keyFile: path.join(secure, "k"), encryptionKey }),
    ).rejects.toMatchObject({ code: "deid-folders" });
    await expect(
      deidentifyFolder(path.join(input, "nested"), path.join(temp, "out2"), {
        profile,
        keyFile: path.join(temp, "out2", "key.reid"),
        encryptionKey,
        progressSink: null,
      }),
    ).rejects.toMatchObject({ code: "reid-key-location" });
  });
});

describe("the research store's door for de-identified data", () => {
  it("admits exactly the bytes the manifest lists: a planted file and a changed file are refused", async () => {
    // A file that never went through de-identification, and one whose bytes changed after it.
    fs.copyFileSync(path.join(SHARED, "dicom/pydicom/test_files/MR_small.dcm"), path.join(output, "planted.dcm"));
    const entry = [...readManifest(output).values()][0];
    const changed = path.join(output, entry?.file ?? "");
    const bytes = fs.readFileSync(changed);
    const copy = path.join(output, "S001", "changed.dcm");
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    fs.writeFileSync(copy, bytes);
    const store = await openStore({ home: path.join(temp, "store") });
    try {
      const report = await store.ingestDeidentified(output, { showProgress: false });
      expect(report.added).toBe(4);
      expect(report.rejected.map((r) => [r.file, r.code])).toEqual([
        ["S001/changed.dcm", "not-in-manifest"],
        ["planted.dcm", "not-deidentified"],
      ]);
      const rows = await store.query("SELECT DISTINCT admitted_by FROM instances");
      expect(rows).toHaveLength(1);
      expect(String(rows[0]?.["admitted_by"])).toMatch(/^radlab de-identification \(research\): /);
      await expect(store.ingestDeidentified(input)).rejects.toMatchObject({ code: "no-deid-manifest" });
    } finally {
      await store.close();
    }
  }, 60_000);
});
