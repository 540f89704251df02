import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { dicomWebConnection } from "./dicomweb-connection";
import { PacsError } from "./pacs-error";
import { searchInstances, searchSeries, searchStudies } from "./qido";
import { startLoadedOrthanc, type LoadedOrthanc } from "./test-support/orthanc-fixture";
import { inPrivateNetwork, startOrthanc } from "./orthanc-server";
import { retrieveInstance, retrieveSeries, retrieveStudy } from "./wado";

let pacs: LoadedOrthanc;
let tmp: string;
/** A proxy in front of Orthanc that can fail on purpose. */
let proxy: http.Server;
let proxyUrl: string;
const faults = { fail503: 0, truncateStudies: false, hang: false, requests: [] as string[] };

const sha = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");
const sorted = (xs: Iterable<string>) => [...xs].sort();

beforeAll(async () => {
  pacs = await startLoadedOrthanc();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "radlab-wado-"));
  const target = new URL(pacs.orthanc.httpUrl);
  proxy = http.createServer((req, res) => {
    faults.requests.push(req.url ?? "");
    if (faults.hang) return; // never answers
    if (faults.fail503 > 0) {
      faults.fail503--;
      res.writeHead(503, { "Content-Type": "text/plain" }).end("busy, try later");
      return;
    }
    const upstream = http.request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 500, up.headers);
        // A study-level retrieve is cut after 3000 bytes: the first part is incomplete.
        if (faults.truncateStudies && /\/studies\/[^/]+$/.test(req.url ?? "")) {
          let sent = 0;
          up.on("data", (chunk: Buffer) => {
            if (sent < 3000) res.write(chunk.subarray(0, 3000 - sent));
            sent += chunk.length;
            if (sent >= 3000) {
              up.destroy();
              res.destroy();
            }
          });
        } else up.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
  const address = proxy.address();
  proxyUrl = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}/dicom-web`;
}, 120_000);

afterAll(async () => {
  proxy?.closeAllConnections();
  proxy?.close();
  await pacs?.orthanc.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const viaProxy = (extra: Partial<Parameters<typeof dicomWebConnection>[0]> = {}) =>
  dicomWebConnection({
    baseUrl: proxyUrl,
    auth: { kind: "basic", username: pacs.orthanc.username, password: pacs.orthanc.password },
    retryDelayMs: 5,
    ...extra,
  });

describe("the test runs in a private network namespace", () => {
  test("only loopback is visible; startOrthanc refuses to run where more is", async () => {
    expect(inPrivateNetwork()).toBe(true);
    const fake = path.join(os.tmpdir(), `radlab-netdev-${process.pid}`);
    fs.writeFileSync(fake, "Inter-| Receive\n face |bytes\n    lo: 0 0\n  eth0: 1 2\n");
    expect(inPrivateNetwork(fake)).toBe(false);
    await expect(startOrthanc({ procNetDev: fake })).rejects.toMatchObject({
      code: "not-private-network",
      message: expect.stringContaining("run the command inside a fresh network namespace: scripts/private-network.sh"),
    });
    fs.rmSync(fake);
  });
});

describe("QIDO-RS", () => {
  test("searchStudies pages with limit/offset until exhausted, exact count", async () => {
    const all = await searchStudies(pacs.connection, {}, { pageSize: 4 });
    expect(all).toHaveLength(pacs.studies.length);
    expect(sorted(all.map((s) => s.string("StudyInstanceUID") ?? ""))).toEqual(sorted(pacs.studies.map((s) => s.uid)));
    expect(await searchStudies(pacs.connection, {}, { pageSize: 4, maxResults: 6 })).toHaveLength(6);
  });

  test("PatientID, AccessionNumber, StudyInstanceUID, StudyDate range and ModalitiesInStudy filters", async () => {
    const uids = async (filters: Parameters<typeof searchStudies>[1]) =>
      sorted((await searchStudies(pacs.connection, filters)).map((s) => s.string("StudyInstanceUID") ?? ""));
    const expected = (pick: (s: LoadedOrthanc["studies"][number]) => boolean) =>
      sorted(pacs.studies.filter(pick).map((s) => s.uid));

    expect(await uids({ PatientID: "98890234" })).toEqual(expected((s) => s.patientId === "98890234"));
    expect((await uids({ PatientID: "98890234" })).length).toBe(4);
    expect(await uids({ AccessionNumber: "120907058" })).toEqual(expected((s) => s.accessionNumber === "120907058"));
    const one = pacs.studies[0]?.uid ?? "";
    expect(await uids({ StudyInstanceUID: one })).toEqual([one]);
    const inRange = (s: { studyDate: string }) => s.studyDate >= "20040101" && s.studyDate <= "20111231";
    expect(await uids({ StudyDate: { from: "20040101", to: "20111231" } })).toEqual(expected(inRange));
    expect((await uids({ StudyDate: { from: "20040101", to: "20111231" } })).length).toBe(7);
    expect(await uids({ StudyDate: { to: "19991231" } })).toEqual(expected((s) => s.studyDate <= "19991231"));
    expect(await uids({ ModalitiesInStudy: "US" })).toEqual(expected((s) => s.modalities.includes("US")));
    expect((await uids({ ModalitiesInStudy: "US" })).length).toBe(5);
    await expect(searchStudies(pacs.connection, { StudyDate: { from: "2004-01-01" } })).rejects.toMatchObject({
      code: "bad-argument",
      evidence: { tag: "(0008,0020) Study Date" },
    });
  });

  test("includefield returns the attribute asked for", async () => {
    const [without] = await searchStudies(pacs.connection, { PatientID: "77654033" }, { maxResults: 1 });
    const [withField] = await searchStudies(
      pacs.connection,
      { PatientID: "77654033" },
      { maxResults: 1, includeFields: ["PatientBirthDate", "StudyDescription"] },
    );
    expect(Object.keys(without?.json ?? {})).not.toContain("00081030");
    expect(Object.keys(withField?.json ?? {})).toContain("00081030");
    expect(withField?.string("PatientID")).toBe("77654033");
  });

  test("searchSeries and searchInstances give Orthanc's exact counts for every study", async () => {
    for (const study of pacs.studies) {
      const series = await searchSeries(pacs.connection, { StudyInstanceUID: study.uid }, { pageSize: 1 });
      expect(sorted(series.map((s) => s.string("SeriesInstanceUID") ?? ""))).toEqual(
        sorted(study.series.map((s) => s.uid)),
      );
      const instances = await searchInstances(pacs.connection, { StudyInstanceUID: study.uid }, { pageSize: 2 });
      expect(sorted(instances.map((i) => i.string("SOPInstanceUID") ?? ""))).toEqual(sorted(study.instances.keys()));
    }
    const all = await searchInstances(pacs.connection, {}, { pageSize: 10 });
    expect(all).toHaveLength(pacs.studies.reduce((n, s) => n + s.instances.size, 0));
  });
});

describe("WADO-RS", () => {
  test("retrieveStudy of every study is byte-identical to Orthanc's stored files (throughput logged)", async () => {
    const started = performance.now();
    let count = 0;
    let bytes = 0;
    for (const study of pacs.studies) {
      const folder = path.join(tmp, "studies");
      const result = await retrieveStudy(pacs.connection, study.uid, folder, { fallback: false });
      expect(result.failures).toEqual([]);
      expect(result.fallbackReason).toBeUndefined();
      const got = new Map(result.instances.map((i) => [i.sopInstanceUid, i.sha256]));
      expect(got).toEqual(study.instances);
      for (const i of result.instances) {
        expect(sha(i.file)).toBe(i.sha256);
        expect(path.basename(i.file)).toBe(`${i.sha256}.dcm`);
        expect(i.studyInstanceUid).toBe(study.uid);
      }
      count += result.instances.length;
      bytes += result.instances.reduce((n, i) => n + i.bytes, 0);
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `WADO-RS study retrieve: ${count} instances, ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(2)} s = ` +
        `${(count / seconds).toFixed(0)} instances/s, ${(bytes / 1e6 / seconds).toFixed(1)} MB/s`,
    );
    expect(count).toBe(pacs.studies.reduce((n, s) => n + s.instances.size, 0));
    expect(fs.readdirSync(path.join(tmp, "studies")).filter((f) => f.startsWith(".partial"))).toEqual([]);
  });

  test("retrieveSeries and retrieveInstance are byte-identical too", async () => {
    const study = pacs.studies.find((s) => s.series.length === 2 && s.instances.size === 7);
    expect(study).toBeDefined();
    if (study === undefined) return;
    const series = study.series[1];
    if (series === undefined) throw new Error("no series");
    const result = await retrieveSeries(pacs.connection, study.uid, series.uid, path.join(tmp, "series"));
    expect(result.instances).toHaveLength(series.instances);
    for (const i of result.instances) {
      expect(i.seriesInstanceUid).toBe(series.uid);
      expect(study.instances.get(i.sopInstanceUid)).toBe(i.sha256);
      const one = await retrieveInstance(
        pacs.connection,
        study.uid,
        series.uid,
        i.sopInstanceUid,
        path.join(tmp, "one"),
      );
      expect(one.sha256).toBe(i.sha256);
      expect(sha(one.file)).toBe(i.sha256);
    }
  });

  test("an unknown study is a 404 with the URL as evidence", async () => {
    const error = await retrieveInstance(
      pacs.connection,
      "1.2.3",
      "1.2.3.4",
      "1.2.3.4.5",
      path.join(tmp, "none"),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PacsError);
    expect(error).toMatchObject({
      code: "http-status",
      status: 404,
      url: `${pacs.orthanc.dicomWebUrl}/studies/1.2.3/series/1.2.3.4/instances/1.2.3.4.5`,
    });
  });
});

describe("authentication and failures", () => {
  test("a wrong password is a typed 401 error, not retried", async () => {
    const bad = dicomWebConnection({
      baseUrl: pacs.orthanc.dicomWebUrl,
      auth: { kind: "basic", username: pacs.orthanc.username, password: "wrong" },
    });
    const error = await searchStudies(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PacsError);
    expect(error).toMatchObject({
      code: "unauthorized",
      status: 401,
      url: `${pacs.orthanc.dicomWebUrl}/studies?limit=100&offset=0`,
      hint: "Check the username and password (Basic) or the token (bearer) given to dicomWebConnection.",
    });
    const bearer = dicomWebConnection({ baseUrl: pacs.orthanc.dicomWebUrl, auth: { kind: "bearer", token: "abc" } });
    await expect(searchStudies(bearer)).rejects.toMatchObject({ code: "unauthorized", status: 401 });
    await expect(searchStudies(dicomWebConnection({ baseUrl: pacs.orthanc.dicomWebUrl }))).rejects.toMatchObject({
      code: "unauthorized",
    });
  });

  test("credentials in the URL are refused", () => {
    expect(() => dicomWebConnection({ baseUrl: "http://u:p@127.0.0.1/dicom-web" })).toThrow(
      expect.objectContaining({ code: "network", url: "http://127.0.0.1/dicom-web" }),
    );
  });

  test("5xx answers are retried with backoff, then succeed; too many fail with the body excerpt", async () => {
    faults.fail503 = 2;
    expect(await searchStudies(viaProxy({ retries: 3 }), { PatientID: "77654033" })).toHaveLength(2);
    faults.fail503 = 5;
    await expect(searchStudies(viaProxy({ retries: 1 }))).rejects.toMatchObject({
      code: "http-status",
      status: 503,
      bodyExcerpt: "busy, try later",
    });
    faults.fail503 = 0;
  });

  test("a server that does not answer times out", async () => {
    faults.hang = true;
    await expect(searchStudies(viaProxy({ timeoutMs: 200, retries: 1 }))).rejects.toMatchObject({ code: "timeout" });
    faults.hang = false;
  });

  test("a refused connection is a network error", async () => {
    const closed = dicomWebConnection({ baseUrl: "http://127.0.0.1:9/dicom-web", retries: 1, retryDelayMs: 1 });
    await expect(searchStudies(closed)).rejects.toMatchObject({
      code: "network",
      url: "http://127.0.0.1:9/dicom-web/studies?limit=100&offset=0",
    });
  });

  test("a study retrieve cut part-way falls back to one instance at a time", async () => {
    const study = pacs.studies.find((s) => s.instances.size === 7);
    if (study === undefined) throw new Error("no 7-instance study");
    faults.truncateStudies = true;
    const strict = await retrieveStudy(viaProxy({ retries: 0 }), study.uid, path.join(tmp, "strict"), {
      fallback: false,
    }).catch((e: unknown) => e);
    // The proxy resets the connection mid-body: a network error, not a retry-able status.
    expect(strict).toMatchObject({ code: "network" });
    const result = await retrieveStudy(viaProxy({ retries: 0 }), study.uid, path.join(tmp, "fallback"));
    faults.truncateStudies = false;
    expect(result.fallbackReason?.code).toBe("network");
    expect(result.failures).toEqual([]);
    expect(new Map(result.instances.map((i) => [i.sopInstanceUid, i.sha256]))).toEqual(study.instances);
    expect(fs.readdirSync(path.join(tmp, "fallback")).sort()).toEqual(
      sorted([...study.instances.values()].map((h) => `${h}.dcm`)),
    );
  });

  test("an aborted retrieve stops with 'aborted'", async () => {
    const controller = new AbortController();
    controller.abort();
    const study = pacs.studies[0];
    await expect(
      retrieveStudy(pacs.connection, study?.uid ?? "", path.join(tmp, "aborted"), { signal: controller.signal }),
    ).rejects.toMatchObject({ code: "aborted" });
  });
});
