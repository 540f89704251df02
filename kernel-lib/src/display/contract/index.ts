/**
 * The contract between `@radlab/kernel` (which emits MIME bundles) and `@radlab/jupyterlab` (which
 * renders them): MIME types, payload types and their validators. Browser-safe: imports nothing
 * from Node.
 */
export { RADLAB_MIME } from "./mime-types";
export type { RadlabMimeType } from "./mime-types";
export { tablePayloadSchema, cellFitsColumnType } from "./table-payload";
export type { TablePayload, TableColumn, TableColumnType, TableCell } from "./table-payload";
export { progressPayloadSchema } from "./progress-payload";
export type { ProgressPayload, ProgressStatus } from "./progress-payload";
export { PayloadValidationError, formatIssuePath, definePayloadSchema, IssueCollector } from "./validation";
export type { ValidationIssue, SafeParseResult, PayloadSchema } from "./validation";
export { progressSummary, formatDuration } from "./progress-summary";
