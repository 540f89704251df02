export { admit } from "./admission";
export type { Admission, AdmissionDeclaration } from "./admission";
export { deidentifyHeader, patientIdentity, RADLAB_IMPLEMENTATION_CLASS_UID } from "./header/deidentify-header";
export type { HeaderDeidContext, HeaderDeidResult, InstanceAudit, AuditEntry } from "./header/deidentify-header";
export { scanForPhi } from "./header/scan-for-phi";
export type { PhiFinding } from "./header/scan-for-phi";
export { phiMatchers, personNameParts, normaliseText } from "./header/phi-values";
export type { PhiValue, PhiKind, PhiMatcher } from "./header/phi-values";
export { cleanText } from "./header/clean-text";
export {
  parseDeidProfile,
  safeParseDeidProfile,
  loadDeidProfileFile,
  BASIC_PROFILE,
  DEID_OPTIONS,
} from "./header/profile";
export type {
  DeidProfile,
  DeidProfileParse,
  DeidOption,
  DeidAction,
  DeidOverride,
  SafePrivateAttribute,
} from "./header/profile";
export { DeidError } from "./header/deid-error";
export type { DeidErrorCode, ProfileIssue } from "./header/deid-error";
export { conservativeAction, resolveRowAction, tableRow } from "./header/resolve-action";
export type { ResolvedAction } from "./header/resolve-action";
export { CONFIDENTIALITY_PROFILE_ROWS } from "./header/confidentiality-profile.generated";
export type {
  ConfidentialityProfileRow,
  BasicProfileAction,
  TableOption,
} from "./header/confidentiality-profile.generated";
export { ReidentificationKey } from "./header/reidentification-key";
export type { PatientLink, ReidentificationKeyData } from "./header/reidentification-key";
export {
  saveReidentificationKey,
  loadReidentificationKey,
  readEncryptionKey,
  generateEncryptionKey,
  DEID_KEY_ENV,
} from "./header/key-file";
export { exportUidMappingCsv, exportPatientIdMappingCsv } from "./header/mapping-export";
export { shiftDate, shiftDateTime, ageString } from "./header/date-shift";

// Burned-in PHI in pixels (ultrasound, screen captures): OCR, PHI recognition, masking, verification.
export { cleanBurnedInPhi } from "./pixels/clean-burned-in-phi";
export type { BurnedInPhiResult, CleanBurnedInPhiOptions, FramePreview, MaskBox } from "./pixels/clean-burned-in-phi";
export { needsBurnedInScan, TEXT_BURNING_MODALITIES } from "./pixels/burned-in-selection";
export type { BurnedInDecision } from "./pixels/burned-in-selection";
export { createOcrPool } from "./pixels/ocr-pool";
export type { OcrPool, OcrPoolOptions } from "./pixels/ocr-pool";
export type { Box, GreyImage, OcrLine, OcrWord, TextReader } from "./pixels/ocr-types";
export { readImageText, prepareOcrImage, DEFAULT_OCR_PREPARATION } from "./pixels/read-frame-text";
export type { OcrPreparation } from "./pixels/read-frame-text";
export { frameToGrey } from "./pixels/frame-to-grey";
export { findTextPhi } from "./pixels/find-text-phi";
export type { FindTextPhiOptions, TextPhiFinding, PhiRule } from "./pixels/find-text-phi";
export { phiValuesFromHeader, withScreenDates, dateVariants } from "./pixels/screen-phi-values";
export { fuzzyTokenMatch, normaliseToken } from "./pixels/fuzzy-match";
export type { TokenMatch } from "./pixels/fuzzy-match";
export { personNameWords } from "./pixels/person-names";
export { isTechnicalAnnotation, TECHNICAL_WORDS } from "./pixels/technical-annotations";
export { matchRegionTemplates, validateRegionTemplates } from "./pixels/region-templates";
export type { RegionTemplate, SkippedRegionRule, TemplateCondition, TemplateMatch } from "./pixels/region-templates";
export { REGION_TEMPLATES, SKIPPED_REGION_RULES, REGION_TEMPLATE_SOURCE } from "./pixels/region-templates.generated";
export { maskFrame, expandBox } from "./pixels/mask-frame";
export { PixelDeidError } from "./pixels/pixel-deid-error";
export type { PixelDeidErrorCode } from "./pixels/pixel-deid-error";
export { deidentifyInstance } from "./pipeline/deidentify-instance";
export type {
  InstanceDeidOptions,
  InstanceOutcome,
  PixelOutcome,
  QuarantineCode,
} from "./pipeline/deidentify-instance";
export { deidentifyFolder } from "./pipeline/deidentify-folder";
export type { FolderDeidOptions } from "./pipeline/deidentify-folder";
export { DeidRunReport } from "./pipeline/deid-run-report";
export type { DeidRunCounts, QuarantinedFile } from "./pipeline/deid-run-report";
export { DEID_MANIFEST, readManifest } from "./pipeline/deid-manifest";
export type { ManifestEntry } from "./pipeline/deid-manifest";
