// Inputs: images and masks with their geometry.
export {
  IDENTITY_DIRECTION,
  assertSameGrid,
  maskVoxelCount,
  voxelCount,
  voxelIndex,
  voxelPosition,
} from "./image/volume";
// `Mask` is curation's 2D mask; the 3D ROI mask is exported as `VolumeMask`.
export type { Mask as VolumeMask, Triple, Volume, VoxelGrid } from "./image/volume";
export { parseNrrdHeader, readNrrd } from "./image/nrrd";
export type { NrrdHeader } from "./image/nrrd";
export { readNifti } from "./image/nifti";
export { maskFromLabel } from "./image/mask";
export { cropToMask, cropVolumeToBox, maskBoundingBox } from "./image/crop";
export type { IndexBox } from "./image/crop";
export { readDicomSeries } from "./image/dicom-series";
export type { DicomSeriesVolume, DicomSlice, ReadDicomSeriesOptions, SkippedFile } from "./image/dicom-series";
export { listRtStructRois, readRtStructMask } from "./image/rtstruct";
export type { RtStructMaskOptions, RtStructRoi } from "./image/rtstruct";
export { segmentationMask } from "./image/segmentation-mask";
export type { SegmentationMaskOptions, SegmentationTarget } from "./image/segmentation-mask";
export { annotationMask } from "./image/annotation-mask";
export type { AnnotationMaskOptions } from "./image/annotation-mask";
export { fillPolygons } from "./image/polygon-fill";
export { patientToIndex } from "./image/patient-to-index";
export type { PatientToIndex } from "./image/patient-to-index";
export { perturbMask } from "./image/mask-perturbation";
export type { MaskPerturbation } from "./image/mask-perturbation";

// Pre-processing (IBSI chapter 2).
export { resampleMask, resamplePyradiomics, resampleVolume, resampledGrid } from "./preprocess/resample";
export type {
  GridAlignment,
  PixelType,
  PyradiomicsResampleOptions,
  ResampleMaskOptions,
  ResampleOptions,
} from "./preprocess/resample";
export type { Interpolation } from "./preprocess/interpolation";
export { removeOutliers, resegment, resegmentPyradiomics } from "./preprocess/resegment";
export type { IntensityRange, PyradiomicsResegmentMode, PyradiomicsResegmentOptions } from "./preprocess/resegment";
export { normaliseIntensity } from "./preprocess/normalise-intensity";
export type { IntensityNormalisation, NormaliseOptions } from "./preprocess/normalise-intensity";
export { REASONABLE_BIN_COUNT, discretisationAdvice, discretise } from "./preprocess/discretise";
export type { Discretisation, DiscretisedRoi } from "./preprocess/discretise";

// Feature families (IBSI chapter 3) and pyradiomics' classes.
export {
  DIRECTIONS_2D,
  DIRECTIONS_3D,
  NEIGHBOURS_2D,
  NEIGHBOURS_3D,
  TEXTURE_AGGREGATIONS,
  ZONE_AGGREGATIONS,
} from "./features/neighbourhood";
export type { TextureAggregation, ZoneAggregation } from "./features/neighbourhood";
export { MORPHOLOGY_TAGS, morphologyFeatures } from "./features/morphology";
export type { MorphologyOptions } from "./features/morphology";
export type { AutocorrelationMethod } from "./features/morphology-autocorrelation";
export { meshArea, meshVolume, surfaceMesh } from "./features/mesh";
export type { SurfaceMesh } from "./features/mesh";
export { convexHull } from "./features/convex-hull";
export type { ConvexHull } from "./features/convex-hull";
export { LOCAL_INTENSITY_RADIUS_MM, localIntensityFeatures } from "./features/local-intensity";
export { statisticsFeatures } from "./features/statistics";
export { intensityHistogramFeatures } from "./features/intensity-histogram";
export { intensityVolumeHistogramFeatures } from "./features/intensity-volume-histogram";
export type { IvhDiscretisation } from "./features/intensity-volume-histogram";
export { GLCM_FEATURE_TAGS, glcmFeatures } from "./features/glcm";
export type { GlcmOptions } from "./features/glcm";
export { GLRLM_FEATURE_TAGS, glrlmFeatures } from "./features/glrlm";
export type { GlrlmOptions } from "./features/glrlm";
export { glszmFeatures } from "./features/glszm";
export type { GlszmOptions } from "./features/glszm";
export { gldzmFeatures } from "./features/gldzm";
export type { GldzmOptions } from "./features/gldzm";
export { ngtdmFeatures } from "./features/ngtdm";
export type { NgtdmOptions } from "./features/ngtdm";
export { IBSI_DEPENDENCE_NEIGHBOURHOOD, ngldmFeatures } from "./features/ngldm";
export type { DependenceNeighbourhood, NgldmOptions } from "./features/ngldm";
export { pyradiomicsShape2DFeatures, pyradiomicsShapeFeatures } from "./features/pyradiomics-shape";
export { pyradiomicsFirstOrderFeatures } from "./features/pyradiomics-firstorder";
export type { PyradiomicsFirstOrderOptions } from "./features/pyradiomics-firstorder";
export { PYRADIOMICS_GLCM_FEATURES, pyradiomicsGlcmFeatures } from "./features/pyradiomics-glcm";
export type { PyradiomicsGlcmOptions } from "./features/pyradiomics-glcm";
export { PYRADIOMICS_GLRLM_FEATURES, pyradiomicsGlrlmFeatures } from "./features/pyradiomics-glrlm";
export { pyradiomicsGlszmFeatures } from "./features/pyradiomics-glszm";
export { pyradiomicsGldmFeatures } from "./features/pyradiomics-gldm";
export type { PyradiomicsGldmOptions } from "./features/pyradiomics-gldm";
export { pyradiomicsNgtdmFeatures } from "./features/pyradiomics-ngtdm";

// Settings, extraction, batches, tables, names.
export {
  FEATURE_FAMILIES,
  IBSI_DIGITAL_PHANTOM,
  PYRADIOMICS_CLASSES,
  PYRADIOMICS_DEFAULTS,
  checkRadiomicsSettings,
  radiomicsSettingsHash,
} from "./settings";
export type {
  FeatureFamily,
  IbsiFilter,
  IbsiSettings,
  ImageInterpolation,
  PyradiomicsClass,
  PyradiomicsSettings,
  RadiomicsSettings,
} from "./settings";
export { extractFeatures } from "./extract";
export type { ExtractOptions, RadiomicsProvenance, RadiomicsResult } from "./extract";
export { extractBatch } from "./batch";
export type { BatchOptions, RadiomicsCase } from "./batch";
export { FeatureTable, PROVENANCE_COLUMNS } from "./feature-table";
export type { FeatureFailure, FeatureRow } from "./feature-table";
export {
  AGGREGATION_CODES,
  IBSI_FAMILIES,
  IBSI_FEATURES,
  PYRADIOMICS_DEFAULT_FEATURES,
  PYRADIOMICS_FEATURES,
  ibsiFeatureInfo,
  pyradiomicsToIbsi,
} from "./feature-catalogue";
export type {
  AggregationInfo,
  AggregationSuffix,
  FeatureDetails,
  FeatureInfo,
  IbsiFamilyInfo,
  PyradiomicsFeatureInfo,
} from "./feature-catalogue";
export { ComplianceReport, ibsiCompliance, matchesReference, readIbsiReferences } from "./ibsi-compliance";
export type { ComplianceCheck, IbsiReference } from "./ibsi-compliance";
export { RadiomicsError } from "./radiomics-error";
export type { RadiomicsErrorCode } from "./radiomics-error";

// Exploring features: statistics and plots.
export {
  averageRanks,
  benjaminiHochberg,
  mannWhitney,
  normalUpperTail,
  pearson,
  spearman,
} from "./analysis/rank-statistics";
export type { MannWhitney } from "./analysis/rank-statistics";
export { CorrelationHeatmapView, correlationHeatmap, correlationMatrix } from "./analysis/correlation-heatmap-view";
export type { CorrelationHeatmapOptions, CorrelationMatrix } from "./analysis/correlation-heatmap-view";
export { FeatureDistributionView, featureDistributions } from "./analysis/feature-distribution-view";
export type { FeatureDistribution, FeatureDistributionOptions } from "./analysis/feature-distribution-view";
export { FeatureLabelView, featureAssociations, featureLabelComparison } from "./analysis/feature-label-view";
export type { FeatureAssociation, FeatureAssociationOptions } from "./analysis/feature-label-view";
export { RoiSliceView, roiSlice } from "./analysis/roi-slice-view";
export type { RoiSliceOptions } from "./analysis/roi-slice-view";
export { datasetCases, datasetLineageInput } from "./dataset-cases";
export type { DatasetCasesOptions } from "./dataset-cases";

// Filters (IBSI-2) and pyradiomics' filtered image types.
export { BOUNDARY_MODES, boundaryModeFromTool } from "./filters/boundary";
export type { BoundaryMode, PaddingTool } from "./filters/boundary";
export { meanFilter } from "./filters/mean-filter";
export type { MeanFilterOptions } from "./filters/mean-filter";
export { laplacianOfGaussian } from "./filters/laplacian-of-gaussian";
export type { LaplacianOfGaussianOptions } from "./filters/laplacian-of-gaussian";
export { WAVELET_SUB_BANDS, waveletTransform } from "./filters/wavelet-decomposition";
export type { RotationPooling, WaveletSubBand, WaveletTransformOptions } from "./filters/wavelet-decomposition";
export { WAVELET_NAMES, waveletFilterBank } from "./filters/wavelet-filters";
export type { WaveletFilterBank, WaveletName } from "./filters/wavelet-filters";
export { pyradiomicsLog, pyradiomicsLogName } from "./filters/pyradiomics-log";
export { pyradiomicsWavelet, pyradiomicsWaveletName } from "./filters/pyradiomics-wavelet";
export type { PyradiomicsWaveletOptions } from "./filters/pyradiomics-wavelet";
export { FeatureRobustnessView, featureRobustness } from "./analysis/feature-robustness";
export type { FeatureRobustness, FeatureRobustnessOptions } from "./analysis/feature-robustness";
