export { RadlabError } from "./radlab-error";
export type { ErrorEvidence, RadlabErrorOptions } from "./radlab-error";
export { codeVersion, environmentInfo, recordedVersion, runningTslabVersion } from "./environment";
export type { CodeVersion, EnvironmentInfo } from "./environment";
export { editDistance } from "./edit-distance";
export { canonicalJson, CanonicalJsonError, sha256OfCanonical } from "./canonical-json";
export type { CanonicalJsonIssue, JsonValue } from "./canonical-json";
export { seededRandom } from "./seeded-random";
export { csvField, parseCsvLine, readCsvRecords } from "./csv-field";
