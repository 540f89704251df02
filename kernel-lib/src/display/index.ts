export { display, liveDisplay } from "./display";
export type { DisplayInput, LiveDisplay } from "./display";
export { currentDisplaySink, setDisplaySink, createCaptureSink, DisplayUnavailableError } from "./display-sink";
export type { DisplaySink, CaptureSink, CapturedOutput } from "./display-sink";
export { JUPYTER_DISPLAY, DisplayableValue, isDisplayable } from "./mime-bundle";
export type { Displayable, MimeBundle, MimeData } from "./mime-bundle";
export { Table, table, toTableCell, inferColumnType } from "./table";
export { dataFrameTable, isDataFrameLike } from "./data-frame-table";
export type { DataFrameLike } from "./data-frame-table";
export type { TableOptions } from "./table";
export { Progress, progress } from "./progress";
export type { ProgressOptions } from "./progress";
export { about } from "./about";
export { dicomImage, DicomImageView, DEFAULT_IMAGE_FIELDS } from "./dicom-image";
export type { DicomImageOptions } from "./dicom-image";
export { dicomHeader, describeElement } from "./dicom-header";
export { dicomHeaderDiff } from "./dicom-header-diff";
export type { DicomHeaderDiffOptions, HeaderChange } from "./dicom-header-diff";
export type { DicomHeaderOptions } from "./dicom-header";
export { dicomGrid, DicomGrid } from "./dicom-grid";
export type { DicomGridOptions } from "./dicom-grid";
export {
  RADLAB_MIME,
  tablePayloadSchema,
  progressPayloadSchema,
  progressSummary,
  formatDuration,
  PayloadValidationError,
  formatIssuePath,
} from "./contract/index";
export type {
  RadlabMimeType,
  TablePayload,
  TableColumn,
  TableColumnType,
  TableCell,
  ProgressPayload,
  ProgressStatus,
  ValidationIssue,
  SafeParseResult,
  PayloadSchema,
} from "./contract/index";
export { PALETTE, PLOTLY_MIME } from "./plotly";
