export type { Annotation, BoxGeometry, Geometry, Mask, MaskGeometry, PolygonGeometry } from "./annotation";
export { annotationContentHash, LabelSets, packBits, unpackBits } from "./label-sets";
export type {
  ChangeAuthor,
  LabelChange,
  LabelHistoryEntry,
  LabelSetDefinition,
  LabelSetKind,
  StoredAnnotation,
} from "./label-sets";
export { brushToMask, decodeLabelStudioRle, encodeLabelStudioRle, maskToBrush } from "./label-studio-rle";
export type { LabelStudioRleOptions } from "./label-studio-rle";
export {
  exportLabelStudioTasks,
  importLabelStudio,
  labelStudioConfig,
  LabelStudioError,
  safeImportLabelStudio,
} from "./label-studio";
export type {
  LabelStudioAnnotation,
  LabelStudioChoice,
  LabelStudioControl,
  LabelStudioControlKind,
  LabelStudioExportOptions,
  LabelStudioExportSummary,
  LabelStudioImportedChoice,
  LabelStudioImportOptions,
  LabelStudioImportResult,
  LabelStudioItem,
  LabelStudioSkip,
  LabelStudioSource,
} from "./label-studio";
export {
  readSegmentation,
  writeSegmentation,
  validateSegmentationInput,
  segmentationStudyFrom,
  SegmentationError,
  SEGMENTATION_STORAGE_SOP_CLASS_UID,
} from "./dicom-seg";
export type {
  Segmentation,
  SegmentationBase,
  BinarySegmentation,
  FractionalSegmentation,
  SegmentationFrameBase,
  BinarySegmentationFrame,
  FractionalSegmentationFrame,
  Segment,
  CodedConcept,
  SegmentAlgorithmType,
  SourceImageReference,
  ReferencedSeries,
  SegmentationStudy,
  SegmentationInput,
  SegmentationFrameInput,
  WriteSegmentationOptions,
  SegmentationEquipment,
  ReadSegmentationOptions,
  SegmentationIssue,
  SegmentationIssueCode,
  SegmentationErrorOptions,
} from "./dicom-seg";
export { annotationsFromSegmentation, segmentationFromAnnotations } from "./segmentation-annotations";
export type { SegmentationFromAnnotationsOptions, UnmatchedFrame } from "./segmentation-annotations";
