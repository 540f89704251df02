import { constants, requests } from "dcmjs-dimse";
import type { Keyword } from "../dicom/dictionary/attributes.generated";
import { lookupKeyword } from "../dicom/dictionary/dictionary";
import { tagHex } from "../dicom/tag";
import { DicomJsonDataset, type DicomJsonAttribute } from "./dicom-json";
import { peerLabel, runAssociation, type DimsePeer } from "./dimse-association";
import { PacsError } from "./pacs-error";
import type { QidoFilters } from "./qido";

/** The query level of a Study Root C-FIND (PS3.4 C.6.2). */
export type FindLevel = "STUDY" | "SERIES" | "IMAGE";

const RETURN_KEYS: Record<FindLevel, readonly Keyword[]> = {
  STUDY: [
    "StudyInstanceUID",
    "PatientID",
    "PatientName",
    "StudyDate",
    "StudyTime",
    "AccessionNumber",
    "ModalitiesInStudy",
    "StudyDescription",
    "NumberOfStudyRelatedSeries",
    "NumberOfStudyRelatedInstances",
  ],
  SERIES: [
    "StudyInstanceUID",
    "SeriesInstanceUID",
    "Modality",
    "SeriesNumber",
    "SeriesDescription",
    "NumberOfSeriesRelatedInstances",
  ],
  IMAGE: ["StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID", "SOPClassUID", "InstanceNumber"],
};

/** Options of {@link dimseFind}. */
export interface DimseFindOptions {
  /** Further return keys besides the defaults of the level. */
  readonly includeFields?: readonly Keyword[];
  readonly signal?: AbortSignal;
}

/** dcmjs's naturalized dataset to the DICOM JSON model, through radlab's dictionary. */
function toDicomJson(elements: Record<string, unknown>): DicomJsonDataset {
  const json: Record<string, DicomJsonAttribute> = {};
  for (const [keyword, value] of Object.entries(elements)) {
    const entry = lookupKeyword(keyword);
    if (entry === undefined) continue;
    const values = Array.isArray(value) ? value : value === undefined || value === null || value === "" ? [] : [value];
    json[tagHex(entry.tag)] =
      values.length === 0 ? { vr: entry.vr[0] ?? "UN" } : { vr: entry.vr[0] ?? "UN", Value: values };
  }
  return new DicomJsonDataset(json);
}

/**
 * Searches a PACS with C-FIND in the Study Root information model (PS3.4 C.6.2) at study, series
 * or image level, with the same filters as the QIDO-RS searches.
 *
 * @returns One {@link DicomJsonDataset} per match (the pending responses), in the PACS's order.
 * @throws {@link PacsError} `network`, `dimse` (association rejected, or a final status other than
 *   Success, with the status word), `aborted`.
 * @example
 * ```ts
 * import { dimseFind } from "@radlab/kernel";
 * const peer = { host: "127.0.0.1", port: 4242, calledAet: "ORTHANC", callingAet: "RADLAB" };
 * const studies = await dimseFind(peer, "STUDY", { PatientID: "12345" });
 * studies.map((s) => s.string("StudyInstanceUID"));
 * ```
 */
export async function dimseFind(
  peer: DimsePeer,
  level: FindLevel,
  filters: QidoFilters = {},
  options: DimseFindOptions = {},
): Promise<DicomJsonDataset[]> {
  const elements: Record<string, string> = {};
  for (const key of [...RETURN_KEYS[level], ...(options.includeFields ?? [])]) elements[key] = "";
  for (const [key, value] of Object.entries(filters) as [keyof QidoFilters, unknown][]) {
    if (value === undefined) continue;
    if (key === "StudyDate") {
      const range = value as { from?: string; to?: string };
      if (range.from === undefined && range.to === undefined) continue;
      elements.StudyDate = range.from === range.to ? (range.from ?? "") : `${range.from ?? ""}-${range.to ?? ""}`;
    } else elements[key] = String(value);
  }
  const request =
    level === "STUDY"
      ? requests.CFindRequest.createStudyFindRequest(elements)
      : level === "SERIES"
        ? requests.CFindRequest.createSeriesFindRequest(elements)
        : requests.CFindRequest.createImageFindRequest(elements);
  const matches: DicomJsonDataset[] = [];
  let finalStatus: number | undefined;
  request.on(
    "response",
    (response: {
      getStatus(): number;
      hasDataset(): boolean;
      getDataset(): { getElements(): Record<string, unknown> } | undefined;
    }) => {
      const status = response.getStatus();
      if (status === constants.Status.Pending) {
        const dataset = response.hasDataset() ? response.getDataset() : undefined;
        if (dataset !== undefined) matches.push(toDicomJson(dataset.getElements()));
      } else finalStatus = status;
    },
  );
  await runAssociation(peer, [request], {
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    failure: () =>
      finalStatus === constants.Status.Success
        ? undefined
        : new PacsError(
            "dimse",
            `C-FIND at ${level} level on ${peerLabel(peer)} ended with status ${finalStatus === undefined ? "none" : `0x${finalStatus.toString(16).toUpperCase()}`}.`,
            {
              url: peerLabel(peer),
              ...(finalStatus === undefined ? {} : { status: finalStatus }),
              hint: "Check that the PACS allows C-FIND from this AE title, and the filters (PS3.4 C.6.2).",
            },
          ),
  });
  return matches;
}
