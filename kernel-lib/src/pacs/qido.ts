import type { Keyword } from "../dicom/dictionary/attributes.generated";
import { tagHex, toTag } from "../dicom/tag";
import { DicomJsonDataset, isDicomJsonObject } from "./dicom-json";
import type { DicomWebConnection } from "./dicomweb-connection";
import { dicomWebGet, readJson } from "./http-request";
import { excerpt, PacsError } from "./pacs-error";

/** An inclusive range of DICOM dates `YYYYMMDD`; either end may be left open. */
export interface DateRange {
  readonly from?: string;
  readonly to?: string;
}

/**
 * The matching keys most searches need (PS3.18 §8.3.4 and PS3.4 C.6.2.1). Values are matched as
 * the standard says: exact, or with `*` and `?` wildcards for text attributes; dates as ranges.
 */
export interface QidoFilters {
  readonly PatientID?: string;
  readonly AccessionNumber?: string;
  readonly StudyInstanceUID?: string;
  readonly SeriesInstanceUID?: string;
  readonly SOPInstanceUID?: string;
  /** Studies that contain at least one series of this modality. */
  readonly ModalitiesInStudy?: string;
  /** Series of this modality (series and instance searches). */
  readonly Modality?: string;
  readonly StudyDate?: DateRange;
}

/** Options of the QIDO-RS searches. */
export interface QidoOptions {
  /** Further attributes to return besides the defaults of the level (`includefield`). */
  readonly includeFields?: readonly Keyword[];
  /** Matches per request (`limit`); pages are fetched with `offset` until the server has no more (default 100). */
  readonly pageSize?: number;
  /** Stop after this many matches (default: all). */
  readonly maxResults?: number;
  readonly signal?: AbortSignal;
}

const DATE = /^\d{8}$/;

function queryString(filters: QidoFilters, options: QidoOptions, exclude: readonly string[]): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters) as [keyof QidoFilters, unknown][]) {
    if (value === undefined || exclude.includes(key)) continue;
    if (key === "StudyDate") {
      const range = value as DateRange;
      for (const end of [range.from, range.to]) {
        if (end !== undefined && !DATE.test(end)) {
          throw new PacsError("bad-argument", `StudyDate bound "${end}" is not a DICOM date YYYYMMDD.`, {
            tag: "(0008,0020) Study Date",
            hint: "Write dates as 8 digits, for example { from: '20240101', to: '20241231' }.",
          });
        }
      }
      if (range.from === undefined && range.to === undefined) continue;
      params.set(key, range.from === range.to ? (range.from ?? "") : `${range.from ?? ""}-${range.to ?? ""}`);
    } else {
      params.set(key, String(value));
    }
  }
  for (const field of options.includeFields ?? []) params.append("includefield", tagHex(toTag(field)));
  return params;
}

async function paged(
  connection: DicomWebConnection,
  resource: string,
  params: URLSearchParams,
  options: QidoOptions,
): Promise<DicomJsonDataset[]> {
  const pageSize = options.pageSize ?? 100;
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new PacsError("bad-argument", `pageSize must be a whole number >= 1, not ${pageSize}.`, { rule: "pageSize" });
  }
  const max = options.maxResults ?? Number.POSITIVE_INFINITY;
  const out: DicomJsonDataset[] = [];
  // A server may cap `limit` below what was asked, so a short page does not prove the end:
  // only an empty page does.
  while (out.length < max) {
    const page = new URLSearchParams(params);
    page.set("limit", String(Math.min(pageSize, max - out.length)));
    page.set("offset", String(out.length));
    const response = await dicomWebGet(
      connection,
      `${resource}?${page.toString()}`,
      "application/dicom+json, application/json",
      options.signal,
    );
    const body = await readJson(response, options.signal);
    if (!Array.isArray(body) || !body.every(isDicomJsonObject)) {
      throw new PacsError("bad-response", `${response.url} did not answer a DICOM JSON array.`, {
        url: response.url,
        status: response.status,
        bodyExcerpt: excerpt(Buffer.from(JSON.stringify(body))),
        hint: "Check that the URL is the server's DICOMweb root (PS3.18 §8.3.4 QIDO-RS).",
      });
    }
    if (body.length === 0) break;
    for (const item of body) if (out.length < max) out.push(new DicomJsonDataset(item));
  }
  return out;
}

/**
 * Searches for studies (QIDO-RS `GET {root}/studies`, PS3.18 §10.6), fetching every page.
 *
 * @returns One {@link DicomJsonDataset} per matching study, in the server's order.
 * @throws {@link PacsError} `unauthorized`, `http-status`, `network`, `timeout`, `aborted`, or
 *   `bad-response` when the answer is not a DICOM JSON array.
 * @example
 * ```ts
 * import { dicomWebConnection, searchStudies } from "@radlab/kernel";
 * const pacs = dicomWebConnection({ baseUrl: "http://127.0.0.1:8042/dicom-web" });
 * const studies = await searchStudies(pacs, { PatientID: "12345", StudyDate: { from: "20240101" } });
 * studies.map((s) => s.string("StudyInstanceUID"));
 * ```
 */
export async function searchStudies(
  connection: DicomWebConnection,
  filters: QidoFilters = {},
  options: QidoOptions = {},
): Promise<DicomJsonDataset[]> {
  return paged(connection, "studies", queryString(filters, options, []), options);
}

/**
 * Searches for series (QIDO-RS `{root}/studies/{uid}/series` when `StudyInstanceUID` is given,
 * `{root}/series` otherwise), fetching every page.
 *
 * @throws {@link PacsError} as {@link searchStudies}.
 * @example
 * ```ts
 * import { dicomWebConnection, searchSeries } from "@radlab/kernel";
 * const pacs = dicomWebConnection({ baseUrl: "http://127.0.0.1:8042/dicom-web" });
 * const series = await searchSeries(pacs, { StudyInstanceUID: "1.2.3", Modality: "CT" });
 * ```
 */
export async function searchSeries(
  connection: DicomWebConnection,
  filters: QidoFilters = {},
  options: QidoOptions = {},
): Promise<DicomJsonDataset[]> {
  const study = filters.StudyInstanceUID;
  const resource = study === undefined ? "series" : `studies/${encodeURIComponent(study)}/series`;
  return paged(connection, resource, queryString(filters, options, ["StudyInstanceUID"]), options);
}

/**
 * Searches for instances (QIDO-RS `{root}/studies/{uid}/series/{uid}/instances`,
 * `{root}/studies/{uid}/instances` or `{root}/instances`, depending on the UIDs given).
 *
 * @throws {@link PacsError} as {@link searchStudies}.
 * @example
 * ```ts
 * import { dicomWebConnection, searchInstances } from "@radlab/kernel";
 * const pacs = dicomWebConnection({ baseUrl: "http://127.0.0.1:8042/dicom-web" });
 * const instances = await searchInstances(pacs, { StudyInstanceUID: "1.2.3" });
 * instances.map((i) => i.string("SOPInstanceUID"));
 * ```
 */
export async function searchInstances(
  connection: DicomWebConnection,
  filters: QidoFilters = {},
  options: QidoOptions = {},
): Promise<DicomJsonDataset[]> {
  const study = filters.StudyInstanceUID;
  const series = filters.SeriesInstanceUID;
  let resource = "instances";
  const exclude: string[] = [];
  if (study !== undefined && series !== undefined) {
    resource = `studies/${encodeURIComponent(study)}/series/${encodeURIComponent(series)}/instances`;
    exclude.push("StudyInstanceUID", "SeriesInstanceUID");
  } else if (study !== undefined) {
    resource = `studies/${encodeURIComponent(study)}/instances`;
    exclude.push("StudyInstanceUID");
  }
  return paged(connection, resource, queryString(filters, options, exclude), options);
}
