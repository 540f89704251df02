import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseEnrollment } from "./enrollment";
import { PacsError } from "./pacs-error";
import { pullEnrollment, type PullProgress } from "./pull-enrollment";
import { MANIFEST_FILE, readPullManifest } from "./pull-manifest";
import { startLoadedOrthanc, type LoadedOrthanc } from "./test-support/orthanc-fixture";

let pacs: LoadedOrthanc;
let tmp: string;

beforeAll(async () => {
  pacs = await startLoadedOrthanc();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "radlab-pull-"));
}, 120_000);

afterAll(async () => {
  await pacs?.orthanc.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}, 30_000);

const PATIENTS = "patient_id,research_id\n98890234,S001\n77654033,S002\nNOT-IN-PACS,S003\n";

function expectedFor(patientIds: readonly string[]) {
  const studies = pacs.studies.filter((s) => patientIds.includes(s.patientId));
  return { studies, instances: new Map(studies.flatMap((s) => [...s.instances])) };
}

function filesIn(folder: string): string[] {
  return fs.readdirSync(path.join(folder, "instances")).sort();
}

describe("pullEnrollment", () => {
  test("a pull interrupted by its progress callback resumes to a complete manifest, nothing duplicated", async () => {
    const folder = path.join(tmp, "resume");
    const enrollment = parseEnrollment(PATIENTS);
    const expected = expectedFor(["98890234", "77654033"]);
    expect(expected.instances.size).toBe(21);
    const stop = new Error("stop after 5 instances");
    const seen: PullProgress[] = [];
    const first = await pullEnrollment({
      connection: pacs.connection,
      enrollment,
      folder,
      onProgress: (p) => {
        seen.push(p);
        if (p.instancesPulled >= 5) throw stop;
      },
    }).catch((e: unknown) => e);
    expect(first).toBe(stop);
    const partial = readPullManifest(folder);
    const partialCount = Object.values(partial?.studies ?? {}).reduce((n, s) => n + Object.keys(s.instances).length, 0);
    expect(partialCount).toBe(5);
    expect(Object.values(partial?.studies ?? {}).some((s) => s.status !== "complete")).toBe(true);
    expect(seen.at(-1)).toMatchObject({ rowsTotal: 3, rowsSearched: 3, studiesTotal: 6, instancesPulled: 5 });

    const second = await pullEnrollment({ connection: pacs.connection, enrollment, folder });
    expect(second).toMatchObject({
      studies: 6,
      complete: 6,
      failed: [],
      rowsWithoutStudies: [4],
      instances: 21,
      instancesPulled: 16,
    });
    const manifest = readPullManifest(folder);
    const recorded = new Map<string, string>();
    for (const study of Object.values(manifest?.studies ?? {})) {
      expect(study.status).toBe("complete");
      expect(study.expectedInstances).toBe(Object.keys(study.instances).length);
      const row = study.row;
      expect([row.value, row.researchId]).toEqual(
        row.value === "98890234" ? ["98890234", "S001"] : ["77654033", "S002"],
      );
      for (const [sop, instance] of Object.entries(study.instances)) {
        recorded.set(sop, instance.sha256);
        const bytes = fs.readFileSync(path.join(folder, instance.file));
        expect(createHash("sha256").update(bytes).digest("hex")).toBe(instance.sha256);
        expect(instance.file).toBe(`instances/${instance.sha256}.dcm`);
      }
    }
    expect(recorded).toEqual(expected.instances);
    expect(filesIn(folder)).toEqual([...new Set(expected.instances.values())].map((h) => `${h}.dcm`).sort());
    expect(fs.readdirSync(folder).sort()).toEqual(["instances", MANIFEST_FILE]);

    const third = await pullEnrollment({ connection: pacs.connection, enrollment, folder });
    expect(third).toMatchObject({ complete: 6, instancesPulled: 0, bytesPulled: 0 });
  });

  test("an AbortSignal stops a pull; the re-run finishes it", async () => {
    const folder = path.join(tmp, "abort");
    const enrollment = parseEnrollment("accession_number,research_id\n120907058,S010\n104111149,S011\n");
    const controller = new AbortController();
    const error = await pullEnrollment({
      connection: pacs.connection,
      enrollment,
      folder,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.instancesPulled === 1) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PacsError);
    expect(error).toMatchObject({ code: "aborted" });
    const done = await pullEnrollment({ connection: pacs.connection, enrollment, folder });
    expect(done).toMatchObject({ studies: 2, complete: 2, instances: 2, instancesPulled: 1 });
    expect(filesIn(folder)).toHaveLength(2);
  });

  test("a folder holding another pull is refused", async () => {
    const folder = path.join(tmp, "other");
    const first = await pullEnrollment({
      connection: pacs.connection,
      enrollment: parseEnrollment("patient_id,research_id\n77654033,S1\n"),
      folder,
    });
    expect(first).toMatchObject({ studies: 2, complete: 2, instances: 7 });
    await expect(
      pullEnrollment({
        connection: pacs.connection,
        enrollment: parseEnrollment("patient_id,research_id\nX,S1\n"),
        folder,
      }),
    ).rejects.toMatchObject({
      code: "manifest",
      message: expect.stringContaining("belongs to another pull (another enrollment list)"),
    });
  });

  test("an accession list that gives one patient two research IDs is refused before any retrieval", async () => {
    const folder = path.join(tmp, "conflict");
    const ct = pacs.studies.filter((s) => s.patientId === "98890234" && s.accessionNumber !== "");
    const [a, b] = [...new Set(ct.map((s) => s.accessionNumber))];
    expect(a && b).toBeTruthy();
    const error = await pullEnrollment({
      connection: pacs.connection,
      enrollment: parseEnrollment(`accession_number,research_id\n${a},S020\n${b},S021\n`),
      folder,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "enrollment",
      message: expect.stringContaining("one patient has research IDs S020, S021"),
    });
    expect(filesIn(folder)).toEqual([]);
  });
});
