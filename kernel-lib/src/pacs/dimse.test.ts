import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readDicomFile } from "../dicom/read";
import { dimseEcho } from "./dimse-echo";
import { dimseFind } from "./dimse-find";
import { dimseGet } from "./dimse-get";
import { startLoadedOrthanc, type LoadedOrthanc } from "./test-support/orthanc-fixture";

let pacs: LoadedOrthanc;
let tmp: string;

beforeAll(async () => {
  pacs = await startLoadedOrthanc();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "radlab-dimse-"));
}, 120_000);

afterAll(async () => {
  await pacs?.orthanc.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}, 30_000);

const sorted = (xs: Iterable<string>) => [...xs].sort();

describe("DIMSE against Orthanc", () => {
  test("C-ECHO answers; a wrong called AE title is a typed rejection", async () => {
    expect(await dimseEcho(pacs.peer)).toBeGreaterThan(0);
    await expect(dimseEcho({ ...pacs.peer, calledAet: "NOT-ORTHANC" })).rejects.toMatchObject({
      code: "dimse",
      url: `127.0.0.1:${pacs.orthanc.dicomPort} (NOT-ORTHANC)`,
    });
    await expect(dimseEcho({ ...pacs.peer, port: 9, timeoutMs: 2000 })).rejects.toMatchObject({ code: "network" });
  });

  test("C-FIND at study level: all studies, and by PatientID and date range", async () => {
    const all = await dimseFind(pacs.peer, "STUDY");
    expect(sorted(all.map((s) => s.string("StudyInstanceUID") ?? ""))).toEqual(sorted(pacs.studies.map((s) => s.uid)));
    const patient = await dimseFind(pacs.peer, "STUDY", { PatientID: "98890234" });
    expect(patient).toHaveLength(4);
    expect(new Set(patient.map((s) => s.string("PatientID")))).toEqual(new Set(["98890234"]));
    const dated = await dimseFind(pacs.peer, "STUDY", { StudyDate: { from: "20040101", to: "20111231" } });
    expect(dated).toHaveLength(
      pacs.studies.filter((s) => s.studyDate >= "20040101" && s.studyDate <= "20111231").length,
    );
  });

  test("C-FIND at series level gives each study's series", async () => {
    for (const study of pacs.studies.filter((s) => s.series.length > 1)) {
      const series = await dimseFind(pacs.peer, "SERIES", { StudyInstanceUID: study.uid });
      expect(sorted(series.map((s) => s.string("SeriesInstanceUID") ?? ""))).toEqual(
        sorted(study.series.map((s) => s.uid)),
      );
      expect(series[0]?.string("Modality")).toBe(study.modalities[0]);
    }
  });

  test("C-GET of a study writes every instance with the PACS's pixel data", async () => {
    const study = pacs.studies.find((s) => s.instances.size === 7 && s.modalities.includes("CT"));
    if (study === undefined) throw new Error("no CT study of 7 instances");
    const received: string[] = [];
    const result = await dimseGet(pacs.peer, { studyInstanceUid: study.uid }, path.join(tmp, "get"), {
      onInstance: (i) => received.push(i.sopInstanceUid),
    });
    expect(result.failed).toBe(0);
    expect(sorted(result.instances.map((i) => i.sopInstanceUid))).toEqual(sorted(study.instances.keys()));
    expect(sorted(received)).toEqual(sorted(study.instances.keys()));
    const ids = JSON.parse((await pacs.orthanc.rest(`/studies/${study.id}/instances`)).toString("utf8")) as {
      ID: string;
      MainDicomTags: { SOPInstanceUID: string };
    }[];
    for (const instance of result.instances) {
      const ours = readDicomFile(instance.file);
      const id = ids.find((i) => i.MainDicomTags.SOPInstanceUID === instance.sopInstanceUid)?.ID ?? "";
      fs.writeFileSync(path.join(tmp, "stored.dcm"), await pacs.orthanc.rest(`/instances/${id}/file`));
      const theirs = readDicomFile(path.join(tmp, "stored.dcm"));
      expect(ours.string("StudyInstanceUID")).toBe(study.uid);
      expect(Buffer.from(ours.bytes("PixelData") ?? []).equals(Buffer.from(theirs.bytes("PixelData") ?? [0]))).toBe(
        true,
      );
      expect(ours.string("PatientID")).toBe(theirs.string("PatientID"));
    }
  });

  test("C-GET of one series", async () => {
    const study = pacs.studies.find((s) => s.series.length === 2 && s.instances.size === 7);
    const series = study?.series[0];
    if (study === undefined || series === undefined) throw new Error("no two-series study");
    const result = await dimseGet(
      pacs.peer,
      { studyInstanceUid: study.uid, seriesInstanceUid: series.uid },
      path.join(tmp, "series"),
    );
    expect(result.instances).toHaveLength(series.instances);
  });

  test("C-GET from an unknown calling AE is refused", async () => {
    const study = pacs.studies[0];
    if (study === undefined) throw new Error("no study");
    await expect(
      dimseGet(
        { ...pacs.peer, callingAet: "STRANGER", timeoutMs: 1500 },
        { studyInstanceUid: study.uid },
        path.join(tmp, "stranger"),
      ),
    ).rejects.toMatchObject({
      // Orthanc logs "Rejected Get request ... STRANGER" and sends no response at all.
      code: "timeout",
      message: expect.stringContaining(`127.0.0.1:${pacs.orthanc.dicomPort} (ORTHANC) did not answer within 1500 ms.`),
    });
  });
});
