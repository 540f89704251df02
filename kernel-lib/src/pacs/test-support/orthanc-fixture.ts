import { createHash } from "node:crypto";
import * as path from "node:path";
import { dicomWebConnection, type DicomWebConnection } from "../dicomweb-connection";
import type { DimsePeer } from "../dimse-association";
import { startOrthanc, type OrthancServer } from "../orthanc-server";

const DATA = path.resolve(__dirname, "../../../../../shared/data");
const D = (p: string) => path.join(DATA, "dicom", p);
const US = (p: string) => path.join(DATA, "deid/samples/deid-data/deid_data/data/ultrasounds", p);

/**
 * The files loaded into the test Orthanc, read in place: several patients and studies (two
 * studies of one patient), multi-frame images, and Implicit/Explicit VR Little Endian, RLE,
 * JPEG baseline, JPEG-LS and JPEG 2000 transfer syntaxes, plus the deid-data ultrasounds
 * (one a ZIP of a 12 MB cine loop).
 */
export const FIXTURE_FILES: readonly string[] = [
  ...["77654033/CR1/6154", "77654033/CR2/6247", "77654033/CR3/6278"].map((p) =>
    D(`pydicom/test_files/dicomdirtests/${p}`),
  ),
  ...["77654033/CT2/17106", "77654033/CT2/17136", "77654033/CT2/17166", "77654033/CT2/17196"].map((p) =>
    D(`pydicom/test_files/dicomdirtests/${p}`),
  ),
  ...["CT2N/6293", "CT2N/6924", "CT5N/2062", "CT5N/2392", "CT5N/2693", "CT5N/3023", "CT5N/3353"].map((p) =>
    D(`pydicom/test_files/dicomdirtests/98892001/${p}`),
  ),
  ...["MR1/15820", "MR1/4919", "MR1/5641", "MR2/15970", "MR2/4950", "MR700/4467", "MR700/4528"].map((p) =>
    D(`pydicom/test_files/dicomdirtests/98892003/${p}`),
  ),
  D("pydicom/test_files/CT_small.dcm"),
  D("pydicom/test_files/MR_small.dcm"),
  D("pydicom/pydicom-data/emri_small.dcm"),
  D("pydicom/pydicom-data/US1_J2KR.dcm"),
  D("pydicom/pydicom-data/OBXXXX1A_rle_2frame.dcm"),
  D("dicomparser/encapsulated/multi-frame/CT0012.fragmented_no_bot_jpeg_ls.80.dcm"),
  D("dicomparser/encapsulated/multi-frame/IM00001.fragmented_no_bot_jpeg_baseline.50.dcm"),
  D("dicomparser/CT1_UNC.implicit_little_endian.dcm"),
  D("pydicom/test_files/JPEG2000.dcm"),
  // Not GREYSCALE_IMAGE.dcm: it shares its Study Instance UID with GREYSCALE_CINE under another
  // Patient ID, which Orthanc keeps as two studies with one UID.
  US("RGB_IMAGE.dcm"),
  US("GREYSCALE_CINE.zip"),
];

/** What Orthanc holds for one study, read through its REST API (the reference for the tests). */
export interface OrthancStudy {
  readonly id: string;
  readonly uid: string;
  readonly patientId: string;
  readonly studyDate: string;
  readonly accessionNumber: string;
  readonly modalities: readonly string[];
  readonly series: readonly { readonly uid: string; readonly instances: number }[];
  /** SOP Instance UID -> SHA-256 of Orthanc's stored file. */
  readonly instances: ReadonlyMap<string, string>;
  readonly bytes: number;
}

export interface LoadedOrthanc {
  readonly orthanc: OrthancServer;
  readonly connection: DicomWebConnection;
  readonly peer: DimsePeer;
  readonly studies: readonly OrthancStudy[];
}

interface RestStudy {
  ID: string;
  MainDicomTags: Record<string, string>;
  PatientMainDicomTags: Record<string, string>;
  Series: string[];
}

/** Starts Orthanc, loads {@link FIXTURE_FILES}, and reads back what it stores. */
export async function startLoadedOrthanc(): Promise<LoadedOrthanc> {
  const orthanc = await startOrthanc();
  try {
    await orthanc.upload(FIXTURE_FILES);
    const json = async <T>(p: string) => JSON.parse((await orthanc.rest(p)).toString("utf8")) as T;
    const studies: OrthancStudy[] = [];
    for (const s of await json<RestStudy[]>("/studies?expand")) {
      const series: { uid: string; instances: number }[] = [];
      const modalities = new Set<string>();
      for (const id of s.Series) {
        const se = await json<{ MainDicomTags: Record<string, string>; Instances: string[] }>(`/series/${id}`);
        series.push({ uid: se.MainDicomTags.SeriesInstanceUID ?? "", instances: se.Instances.length });
        if (se.MainDicomTags.Modality) modalities.add(se.MainDicomTags.Modality);
      }
      const instances = new Map<string, string>();
      let bytes = 0;
      for (const i of await json<{ ID: string; MainDicomTags: Record<string, string> }[]>(
        `/studies/${s.ID}/instances`,
      )) {
        const file = await orthanc.rest(`/instances/${i.ID}/file`);
        bytes += file.length;
        instances.set(i.MainDicomTags.SOPInstanceUID ?? "", createHash("sha256").update(file).digest("hex"));
      }
      studies.push({
        id: s.ID,
        uid: s.MainDicomTags.StudyInstanceUID ?? "",
        patientId: s.PatientMainDicomTags.PatientID ?? "",
        studyDate: s.MainDicomTags.StudyDate ?? "",
        accessionNumber: s.MainDicomTags.AccessionNumber ?? "",
        modalities: [...modalities].sort(),
        series,
        instances,
        bytes,
      });
    }
    const connection = dicomWebConnection({
      baseUrl: orthanc.dicomWebUrl,
      auth: { kind: "basic", username: orthanc.username, password: orthanc.password },
      retryDelayMs: 10,
    });
    const peer: DimsePeer = {
      host: "127.0.0.1",
      port: orthanc.dicomPort,
      calledAet: orthanc.aet,
      callingAet: "RADLAB",
    };
    return { orthanc, connection, peer, studies };
  } catch (error) {
    await orthanc.stop();
    throw error;
  }
}
