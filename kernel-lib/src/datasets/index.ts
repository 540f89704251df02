export { Datasets } from "./datasets";
export type { CreateOptions, DatasetDraft } from "./datasets";
export type { DatasetSpec, PatientSplitSpec, Selection } from "./dataset-spec";
export { DatasetVersion } from "./dataset-version";
export type { Sample, SampleOptions, VersionRecord } from "./dataset-version";
export { DatasetDiff, diffMembers } from "./dataset-diff";
export type { MemberChange } from "./dataset-diff";
export { DATASET_MANIFEST_FORMAT, manifestId, manifestText, parseManifest } from "./dataset-manifest";
export type { DatasetMember } from "./dataset-manifest";
export { splitByPatient } from "./patient-split";
export type { SplitMember } from "./patient-split";
export { resampleArea } from "./resample-area";
export {
  downstream,
  getRun,
  getRunOrThrow,
  lineageGraph,
  LineageSpecError,
  OPENLINEAGE_FACET_SCHEMAS,
  OPENLINEAGE_RUN_EVENT_SCHEMA,
  parametersHash,
  RADLAB_PRODUCER,
  recordRun,
  startRun,
  toOpenLineageEvents,
  upstream,
} from "./lineage";
export type {
  ErrorMessageRunFacet,
  LineageEdge,
  LineageGraph,
  LineageGraphRun,
  LineageIssue,
  LineageNode,
  LineageNodeKind,
  LineageOptions,
  LineageRun,
  LineageRunRecord,
  LineageStatus,
  OpenLineageDataset,
  OpenLineageFacetBase,
  OpenLineageRunEvent,
  RadlabRunFacet,
  RecordedRun,
  RunOutcome,
  RunSpec,
} from "./lineage";
export { layoutLineage, lineageDisplay, LineageView, renderLineageSvg } from "./lineage-graph";
export type { LineageLayout, LineageLayoutEdge, LineageLayoutVertex, LineageSvgOptions } from "./lineage-graph";
