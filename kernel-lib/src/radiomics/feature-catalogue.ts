import { editDistance } from "../core/edit-distance";
import type { PyradiomicsClass } from "./settings";
import { RadiomicsError } from "./radiomics-error";

/*
 * Where the codes come from. Every IBSI identifier below was read in at least two of:
 * - the IBSI reference manual, chapter 3 "Image features" (theibsi/ibsi-doc, docs/03_Image_features.rst,
 *   the source of ibsi.readthedocs.io): family codes, the aggregation codes and the codes of the
 *   morphological, local intensity, statistical and first six intensity histogram features;
 * - MIRP's feature name reference (oncoray/mirp, docs_source/source/features_names.rst), which lists
 *   every tag stem used in the IBSI reference table next to its code;
 * - pyradiomics' IBSI dictionary (AIM-Harvard/pyradiomics, labs/pyradiomics-dcm/resources/
 *   featuresDict_IBSIv7.tsv), every code except JJUI;
 * - the DICOM IBSI concepts (pydicom/pydicom-data-sr, sr/tables/_concepts_IBSI.py): every
 *   morphological, intensity histogram and texture feature code.
 * The pyradiomics side was read from pyradiomics' source (radiomics/shape.py, firstorder.py, glcm.py,
 * glrlm.py, glszm.py, gldm.py, ngtdm.py and base.py): feature names, the `@deprecated` marks and
 * the definitions the notes compare. The mapping is ours, made by comparing the definitions of both
 * sides; it departs from featuresDict_IBSIv7.tsv, which swaps Idm, Idn and Idmn, files the GLSZM
 * grey level zone emphases under GLDZM codes and leaves Autocorrelation, Imc1 and Imc2 unmapped.
 */

/** The tag suffixes of the IBSI reference table that name how a texture feature was aggregated. */
export type AggregationSuffix =
  "2D_avg" | "2D_comb" | "2_5D_avg" | "2_5D_comb" | "3D_avg" | "3D_comb" | "2D" | "2_5D" | "3D";

/** An IBSI feature aggregation method (IBSI-1 chapter 3, "Aggregating features"). */
export interface AggregationInfo {
  /** The tag suffix, for example `3D_avg`. */
  readonly suffix: AggregationSuffix;
  /** The method as the IBSI benchmark tables name it, for example `3D, averaged`. */
  readonly name: string;
  /** The permanent IBSI identifier, for example `ITBB`. */
  readonly code: string;
  /** What is computed, in the manual's words, shortened. */
  readonly description: string;
}

function aggregation(suffix: AggregationSuffix, name: string, code: string, description: string): AggregationInfo {
  return Object.freeze({ suffix, name, code, description });
}

/**
 * The aggregation methods IBSI defines for texture features, by tag suffix: six for the directional
 * matrices (GLCM, GLRLM) and three for the zone and neighbourhood matrices (GLSZM, GLDZM, NGTDM,
 * NGLDM).
 *
 * @example
 * ```ts
 * import { AGGREGATION_CODES } from "@radlab/kernel";
 * AGGREGATION_CODES["3D_avg"].code; // "ITBB"
 * AGGREGATION_CODES["2_5D"].name; // "2.5D"
 * ```
 */
export const AGGREGATION_CODES: Readonly<Record<AggregationSuffix, AggregationInfo>> = Object.freeze({
  "2D_avg": aggregation(
    "2D_avg",
    "2D, averaged",
    "BTW3",
    "Computed from each 2D directional matrix and averaged over 2D directions and slices.",
  ),
  "2D_comb": aggregation(
    "2D_comb",
    "2D, slice-merged",
    "SUJT",
    "Computed from one matrix per slice, merging its 2D directional matrices, and averaged over slices.",
  ),
  "2_5D_avg": aggregation(
    "2_5D_avg",
    "2.5D, direction-merged",
    "JJUI",
    "Computed from one matrix per direction, merging the 2D matrices of every slice, and averaged over directions.",
  ),
  "2_5D_comb": aggregation(
    "2_5D_comb",
    "2.5D, merged",
    "ZW7Z",
    "Computed from a single matrix merging all 2D directional matrices.",
  ),
  "3D_avg": aggregation(
    "3D_avg",
    "3D, averaged",
    "ITBB",
    "Computed from each 3D directional matrix and averaged over the 3D directions.",
  ),
  "3D_comb": aggregation(
    "3D_comb",
    "3D, merged",
    "IAZD",
    "Computed from a single matrix merging all 3D directional matrices.",
  ),
  "2D": aggregation("2D", "2D", "8QNN", "Computed from each slice's 2D matrix and averaged over slices."),
  "2_5D": aggregation("2_5D", "2.5D", "62GR", "Computed from a single matrix merging the 2D matrices of all slices."),
  "3D": aggregation("3D", "3D", "KOBO", "Computed from the 3D matrix."),
});

const DIRECTIONAL: readonly AggregationSuffix[] = Object.freeze([
  "2D_avg",
  "2D_comb",
  "2_5D_avg",
  "2_5D_comb",
  "3D_avg",
  "3D_comb",
]);
const ZONE: readonly AggregationSuffix[] = Object.freeze(["2D", "2_5D", "3D"]);

/** An IBSI feature family and the tag prefix its features share. */
export interface IbsiFamilyInfo {
  /** The tag prefix, for example `cm`. */
  readonly prefix: string;
  /** The family as IBSI names it, for example `Grey level co-occurrence based features`. */
  readonly name: string;
  /** The family's permanent IBSI identifier, for example `LFYI`. */
  readonly code: string;
  /** The aggregation suffixes its tags take; empty for families computed once on the 3D volume. */
  readonly aggregations: readonly AggregationSuffix[];
}

function family(
  prefix: string,
  name: string,
  code: string,
  aggregations: readonly AggregationSuffix[],
): IbsiFamilyInfo {
  return Object.freeze({ prefix, name, code, aggregations });
}

/**
 * The eleven feature families of IBSI-1 chapter 3, in the manual's order.
 *
 * @example
 * ```ts
 * import { IBSI_FAMILIES } from "@radlab/kernel";
 * IBSI_FAMILIES.find((f) => f.prefix === "ngl")?.code; // "REK0"
 * ```
 */
export const IBSI_FAMILIES: readonly IbsiFamilyInfo[] = Object.freeze([
  family("morph", "Morphological features", "HCUG", []),
  family("loc", "Local intensity features", "9ST6", []),
  family("stat", "Intensity-based statistical features", "UHIW", []),
  family("ih", "Intensity histogram features", "ZVCW", []),
  family("ivh", "Intensity-volume histogram features", "P88C", []),
  family("cm", "Grey level co-occurrence based features", "LFYI", DIRECTIONAL),
  family("rlm", "Grey level run length based features", "TP0I", DIRECTIONAL),
  family("szm", "Grey level size zone based features", "9SAK", ZONE),
  family("dzm", "Grey level distance zone based features", "VMDZ", ZONE),
  family("ngt", "Neighbourhood grey tone difference based features", "IPET", ZONE),
  family("ngl", "Neighbouring grey level dependence based features", "REK0", ZONE),
]);

/** One IBSI-1 feature, by the tag stem of the IBSI reference table. */
export interface FeatureInfo {
  /** The tag stem, without aggregation suffix, for example `cm_joint_max`. */
  readonly tag: string;
  /** The feature as the IBSI reference table names it, for example `Joint maximum`. */
  readonly name: string;
  /** The family as IBSI names it. */
  readonly family: string;
  /** The family's IBSI identifier. */
  readonly familyCode?: string;
  /** The feature's permanent 4-character IBSI identifier, for example `GYBY`. */
  readonly code?: string;
  /** The pyradiomics feature computing the same quantity, as `class_Feature`. */
  readonly pyradiomics?: string;
  /** How the IBSI code or the pyradiomics definition needs care. */
  readonly note?: string;
}

/** A feature with the aggregation its tag names, as {@link ibsiFeatureInfo} returns it. */
export interface FeatureDetails extends FeatureInfo {
  /** The tag's aggregation suffix, for example `3D_avg`; absent for a bare stem. */
  readonly aggregation?: AggregationSuffix;
  /** The aggregation's IBSI identifier, for example `ITBB`. */
  readonly aggregationCode?: string;
}

interface RawFeature {
  readonly tag: string;
  readonly name: string;
  readonly code: string;
  readonly note?: string;
}

// Names are the `feature` column of the IBSI-1 digital phantom reference table.
const RAW_FEATURES: readonly RawFeature[] = [
  // Morphological features
  { tag: "morph_volume", name: "Volume (mesh)", code: "RNU0" },
  { tag: "morph_vol_approx", name: "Volume (voxel counting)", code: "YEKZ" },
  { tag: "morph_area_mesh", name: "Surface area (mesh)", code: "C0JK" },
  { tag: "morph_av", name: "Surface to volume ratio", code: "2PR5" },
  { tag: "morph_comp_1", name: "Compactness 1", code: "SKGS" },
  { tag: "morph_comp_2", name: "Compactness 2", code: "BQWJ" },
  { tag: "morph_sph_dispr", name: "Spherical disproportion", code: "KRCK" },
  { tag: "morph_sphericity", name: "Sphericity", code: "QCFX" },
  { tag: "morph_asphericity", name: "Asphericity", code: "25C7" },
  { tag: "morph_com", name: "Centre of mass shift", code: "KLMA" },
  { tag: "morph_diam", name: "Maximum 3D diameter", code: "L0JK" },
  { tag: "morph_pca_maj_axis", name: "Major axis length", code: "TDIC" },
  { tag: "morph_pca_min_axis", name: "Minor axis length", code: "P9VJ" },
  { tag: "morph_pca_least_axis", name: "Least axis length", code: "7J51" },
  { tag: "morph_pca_elongation", name: "Elongation", code: "Q3CK" },
  { tag: "morph_pca_flatness", name: "Flatness", code: "N17B" },
  { tag: "morph_vol_dens_aabb", name: "Volume density (AABB)", code: "PBX1" },
  { tag: "morph_area_dens_aabb", name: "Area density (AABB)", code: "R59B" },
  { tag: "morph_vol_dens_ombb", name: "Volume density (OMBB)", code: "ZH1A" },
  { tag: "morph_area_dens_ombb", name: "Area density (OMBB)", code: "IQYR" },
  { tag: "morph_vol_dens_aee", name: "Volume density (AEE)", code: "6BDE" },
  { tag: "morph_area_dens_aee", name: "Area density (AEE)", code: "RDD2" },
  { tag: "morph_vol_dens_mvee", name: "Volume density (MVEE)", code: "SWZ1" },
  { tag: "morph_area_dens_mvee", name: "Area density (MVEE)", code: "BRI8" },
  { tag: "morph_vol_dens_conv_hull", name: "Volume density (convex hull)", code: "R3ER" },
  { tag: "morph_area_dens_conv_hull", name: "Area density (convex hull)", code: "7T7F" },
  { tag: "morph_integ_int", name: "Integrated intensity", code: "99N0" },
  { tag: "morph_moran_i", name: "Moran's I index", code: "N365" },
  { tag: "morph_geary_c", name: "Geary's C measure", code: "NPT7" },
  // Local intensity features
  { tag: "loc_peak_loc", name: "Local intensity peak", code: "VJGA" },
  { tag: "loc_peak_glob", name: "Global intensity peak", code: "0F91" },
  // Intensity-based statistical features
  { tag: "stat_mean", name: "Mean", code: "Q4LE" },
  { tag: "stat_var", name: "Variance", code: "ECT3" },
  { tag: "stat_skew", name: "Skewness", code: "KE2A" },
  { tag: "stat_kurt", name: "(Excess) kurtosis", code: "IPH6" },
  { tag: "stat_median", name: "Median", code: "Y12H" },
  { tag: "stat_min", name: "Minimum", code: "1GSF" },
  { tag: "stat_p10", name: "10th percentile", code: "QG58" },
  { tag: "stat_p90", name: "90th percentile", code: "8DWT" },
  { tag: "stat_max", name: "Maximum", code: "84IY" },
  { tag: "stat_iqr", name: "Interquartile range", code: "SALO" },
  { tag: "stat_range", name: "Range", code: "2OJQ" },
  { tag: "stat_mad", name: "Mean absolute deviation", code: "4FUA" },
  { tag: "stat_rmad", name: "Robust mean absolute deviation", code: "1128" },
  { tag: "stat_medad", name: "Median absolute deviation", code: "N72L" },
  { tag: "stat_cov", name: "Coefficient of variation", code: "7TET" },
  { tag: "stat_qcod", name: "Quartile coefficient of dispersion", code: "9S40" },
  { tag: "stat_energy", name: "Energy", code: "N8CA" },
  { tag: "stat_rms", name: "Root mean square", code: "5ZWQ" },
  // Intensity histogram features
  { tag: "ih_mean", name: "Mean", code: "X6K6" },
  { tag: "ih_var", name: "Variance", code: "CH89" },
  { tag: "ih_skew", name: "Skewness", code: "88K1" },
  { tag: "ih_kurt", name: "(Excess) kurtosis", code: "C3I7" },
  { tag: "ih_median", name: "Median", code: "WIFQ" },
  { tag: "ih_min", name: "Minimum", code: "1PR8" },
  { tag: "ih_p10", name: "10th percentile", code: "GPMT" },
  { tag: "ih_p90", name: "90th percentile", code: "OZ0C" },
  { tag: "ih_max", name: "Maximum", code: "3NCY" },
  { tag: "ih_mode", name: "Mode", code: "AMMC" },
  { tag: "ih_iqr", name: "Interquartile range", code: "WR0O" },
  { tag: "ih_range", name: "Range", code: "5Z3W" },
  { tag: "ih_mad", name: "Mean absolute deviation", code: "D2ZX" },
  { tag: "ih_rmad", name: "Robust mean absolute deviation", code: "WRZB" },
  { tag: "ih_medad", name: "Median absolute deviation", code: "4RNL" },
  { tag: "ih_cov", name: "Coefficient of variation", code: "CWYJ" },
  { tag: "ih_qcod", name: "Quartile coefficient of dispersion", code: "SLWD" },
  { tag: "ih_entropy", name: "Entropy", code: "TLU2" },
  { tag: "ih_uniformity", name: "Uniformity", code: "BJ5W" },
  { tag: "ih_max_grad", name: "Maximum histogram gradient", code: "12CE" },
  { tag: "ih_max_grad_g", name: "Maximum histogram gradient intensity", code: "8E6O" },
  { tag: "ih_min_grad", name: "Minimum histogram gradient", code: "VQB3" },
  { tag: "ih_min_grad_g", name: "Minimum histogram gradient intensity", code: "RHQZ" },
  // Intensity-volume histogram features
  {
    tag: "ivh_v10",
    name: "Volume fraction at 10% intensity",
    code: "BC2M",
    note: "IBSI defines one feature, the volume at intensity fraction V_x (BC2M); this tag is x = 10 %.",
  },
  {
    tag: "ivh_v90",
    name: "Volume fraction at 90% intensity",
    code: "BC2M",
    note: "IBSI defines one feature, the volume at intensity fraction V_x (BC2M); this tag is x = 90 %.",
  },
  {
    tag: "ivh_i10",
    name: "Intensity at 10% volume",
    code: "GBPN",
    note: "IBSI defines one feature, the intensity at volume fraction I_x (GBPN); this tag is x = 10 %.",
  },
  {
    tag: "ivh_i90",
    name: "Intensity at 90% volume",
    code: "GBPN",
    note: "IBSI defines one feature, the intensity at volume fraction I_x (GBPN); this tag is x = 90 %.",
  },
  {
    tag: "ivh_diff_v10_v90",
    name: "Volume fraction difference between 10% and 90% intensity",
    code: "DDTU",
    note: "IBSI defines the volume fraction difference between two intensity fractions (DDTU); this tag is V10 - V90.",
  },
  {
    tag: "ivh_diff_i10_i90",
    name: "Intensity difference between 10% and 90% volume",
    code: "CNV2",
    note: "IBSI defines the intensity difference between two volume fractions (CNV2); this tag is I10 - I90.",
  },
  { tag: "ivh_auc", name: "Area under the IVH curve", code: "9CMM" },
  // Grey level co-occurrence based features
  { tag: "cm_joint_max", name: "Joint maximum", code: "GYBY" },
  { tag: "cm_joint_avg", name: "Joint average", code: "60VM" },
  { tag: "cm_joint_var", name: "Joint variance", code: "UR99" },
  { tag: "cm_joint_entr", name: "Joint entropy", code: "TU9B" },
  { tag: "cm_diff_avg", name: "Difference average", code: "TF7R" },
  { tag: "cm_diff_var", name: "Difference variance", code: "D3YU" },
  { tag: "cm_diff_entr", name: "Difference entropy", code: "NTRS" },
  { tag: "cm_sum_avg", name: "Sum average", code: "ZGXS" },
  { tag: "cm_sum_var", name: "Sum variance", code: "OEEB" },
  { tag: "cm_sum_entr", name: "Sum entropy", code: "P6QZ" },
  { tag: "cm_energy", name: "Angular second moment", code: "8ZQL" },
  { tag: "cm_contrast", name: "Contrast", code: "ACUI" },
  { tag: "cm_dissimilarity", name: "Dissimilarity", code: "8S9J" },
  { tag: "cm_inv_diff", name: "Inverse difference", code: "IB1Z" },
  { tag: "cm_inv_diff_norm", name: "Normalised inverse difference", code: "NDRX" },
  { tag: "cm_inv_diff_mom", name: "Inverse difference moment", code: "WF0Z" },
  { tag: "cm_inv_diff_mom_norm", name: "Normalised inverse difference moment", code: "1QCO" },
  { tag: "cm_inv_var", name: "Inverse variance", code: "E8JP" },
  { tag: "cm_corr", name: "Correlation", code: "NI2N" },
  { tag: "cm_auto_corr", name: "Autocorrelation", code: "QWB0" },
  { tag: "cm_clust_tend", name: "Cluster tendency", code: "DG8W" },
  { tag: "cm_clust_shade", name: "Cluster shade", code: "7NFM" },
  { tag: "cm_clust_prom", name: "Cluster prominence", code: "AE86" },
  { tag: "cm_info_corr1", name: "Information correlation 1", code: "R8DG" },
  { tag: "cm_info_corr2", name: "Information correlation 2", code: "JN9H" },
  // Grey level run length based features
  { tag: "rlm_sre", name: "Short runs emphasis", code: "22OV" },
  { tag: "rlm_lre", name: "Long runs emphasis", code: "W4KF" },
  { tag: "rlm_lgre", name: "Low grey level run emphasis", code: "V3SW" },
  { tag: "rlm_hgre", name: "High grey level run emphasis", code: "G3QZ" },
  { tag: "rlm_srlge", name: "Short run low grey level emphasis", code: "HTZT" },
  { tag: "rlm_srhge", name: "Short run high grey level emphasis", code: "GD3A" },
  { tag: "rlm_lrlge", name: "Long run low grey level emphasis", code: "IVPO" },
  { tag: "rlm_lrhge", name: "Long run high grey level emphasis", code: "3KUM" },
  { tag: "rlm_glnu", name: "Grey level non-uniformity", code: "R5YN" },
  { tag: "rlm_glnu_norm", name: "Normalised grey level non-uniformity", code: "OVBL" },
  { tag: "rlm_rlnu", name: "Run length non-uniformity", code: "W92Y" },
  { tag: "rlm_rlnu_norm", name: "Normalised run length non-uniformity", code: "IC23" },
  { tag: "rlm_r_perc", name: "Run percentage", code: "9ZK5" },
  { tag: "rlm_gl_var", name: "Grey level variance", code: "8CE5" },
  { tag: "rlm_rl_var", name: "Run length variance", code: "SXLW" },
  { tag: "rlm_rl_entr", name: "Run entropy", code: "HJ9O" },
  // Grey level size zone based features
  { tag: "szm_sze", name: "Small zone emphasis", code: "5QRC" },
  { tag: "szm_lze", name: "Large zone emphasis", code: "48P8" },
  { tag: "szm_lgze", name: "Low grey level emphasis", code: "XMSY" },
  { tag: "szm_hgze", name: "High grey level emphasis", code: "5GN9" },
  { tag: "szm_szlge", name: "Small zone low grey level emphasis", code: "5RAI" },
  { tag: "szm_szhge", name: "Small zone high grey level emphasis", code: "HW1V" },
  { tag: "szm_lzlge", name: "Large zone low grey level emphasis", code: "YH51" },
  { tag: "szm_lzhge", name: "Large zone high grey level emphasis", code: "J17V" },
  { tag: "szm_glnu", name: "Grey level non-uniformity", code: "JNSA" },
  { tag: "szm_glnu_norm", name: "Normalised grey level non-uniformity", code: "Y1RO" },
  { tag: "szm_zsnu", name: "Zone size non-uniformity", code: "4JP3" },
  { tag: "szm_zsnu_norm", name: "Normalised zone size non-uniformity", code: "VB3A" },
  { tag: "szm_z_perc", name: "Zone percentage", code: "P30P" },
  { tag: "szm_gl_var", name: "Grey level variance", code: "BYLV" },
  { tag: "szm_zs_var", name: "Zone size variance", code: "3NSA" },
  { tag: "szm_zs_entr", name: "Zone size entropy", code: "GU8N" },
  // Grey level distance zone based features
  { tag: "dzm_sde", name: "Small distance emphasis", code: "0GBI" },
  { tag: "dzm_lde", name: "Large distance emphasis", code: "MB4I" },
  { tag: "dzm_lgze", name: "Low grey level emphasis", code: "S1RA" },
  { tag: "dzm_hgze", name: "High grey level emphasis", code: "K26C" },
  { tag: "dzm_sdlge", name: "Small distance low grey level emphasis", code: "RUVG" },
  { tag: "dzm_sdhge", name: "Small distance high grey level emphasis", code: "DKNJ" },
  { tag: "dzm_ldlge", name: "Large distance low grey level emphasis", code: "A7WM" },
  { tag: "dzm_ldhge", name: "Large distance high grey level emphasis", code: "KLTH" },
  { tag: "dzm_glnu", name: "Grey level non-uniformity", code: "VFT7" },
  { tag: "dzm_glnu_norm", name: "Normalised grey level non-uniformity", code: "7HP3" },
  { tag: "dzm_zdnu", name: "Zone distance non-uniformity", code: "V294" },
  { tag: "dzm_zdnu_norm", name: "Normalised zone distance non-uniformity", code: "IATH" },
  { tag: "dzm_z_perc", name: "Zone percentage", code: "VIWW" },
  { tag: "dzm_gl_var", name: "Grey level variance", code: "QK93" },
  { tag: "dzm_zd_var", name: "Zone distance variance", code: "7WT1" },
  { tag: "dzm_zd_entr", name: "Zone distance entropy", code: "GBDU" },
  // Neighbourhood grey tone difference based features
  { tag: "ngt_coarseness", name: "Coarseness", code: "QCDE" },
  { tag: "ngt_contrast", name: "Contrast", code: "65HE" },
  { tag: "ngt_busyness", name: "Busyness", code: "NQ30" },
  { tag: "ngt_complexity", name: "Complexity", code: "HDEZ" },
  { tag: "ngt_strength", name: "Strength", code: "1X9X" },
  // Neighbouring grey level dependence based features
  { tag: "ngl_lde", name: "Low dependence emphasis", code: "SODN" },
  { tag: "ngl_hde", name: "High dependence emphasis", code: "IMOQ" },
  { tag: "ngl_lgce", name: "Low grey level count emphasis", code: "TL9H" },
  { tag: "ngl_hgce", name: "High grey level count emphasis", code: "OAE7" },
  { tag: "ngl_ldlge", name: "Low dependence low grey level emphasis", code: "EQ3F" },
  { tag: "ngl_ldhge", name: "Low dependence high grey level emphasis", code: "JA6D" },
  { tag: "ngl_hdlge", name: "High dependence low grey level emphasis", code: "NBZI" },
  { tag: "ngl_hdhge", name: "High dependence high grey level emphasis", code: "9QMG" },
  { tag: "ngl_glnu", name: "Grey level non-uniformity", code: "FP8K" },
  { tag: "ngl_glnu_norm", name: "Normalised grey level non-uniformity", code: "5SPA" },
  { tag: "ngl_dcnu", name: "Dependence count non-uniformity", code: "Z87G" },
  { tag: "ngl_dcnu_norm", name: "Normalised dependence count non-uniformity", code: "OKJI" },
  { tag: "ngl_dc_perc", name: "Dependence count percentage", code: "6XV8" },
  { tag: "ngl_gl_var", name: "Grey level variance", code: "1PFV" },
  { tag: "ngl_dc_var", name: "Dependence count variance", code: "DNX2" },
  { tag: "ngl_dc_entr", name: "Dependence count entropy", code: "FCBV" },
  { tag: "ngl_dc_energy", name: "Dependence count energy", code: "CAS9" },
];

/** One pyradiomics feature and the IBSI feature it computes, if any. */
export interface PyradiomicsFeatureInfo {
  /** `class_Feature`, for example `glcm_JointEnergy`. */
  readonly name: string;
  readonly featureClass: PyradiomicsClass;
  /** Marked `@deprecated` in pyradiomics: left out of the default set. */
  readonly deprecated: boolean;
  /** The IBSI tag stem it matches. */
  readonly ibsiTag?: string;
  /** That feature's IBSI identifier. */
  readonly ibsiCode?: string;
  /** How pyradiomics' definition differs from IBSI's. */
  readonly note?: string;
}

interface RawPyradiomics {
  readonly name: string;
  readonly ibsi?: string;
  readonly deprecated?: true;
  readonly note?: string;
}

const HISTOGRAM_NOTE =
  "pyradiomics computes it on its own histogram (bins of width binWidth, equally spaced from 0), so it matches IBSI only under the same discretisation.";
const SHIFT_NOTE =
  "pyradiomics adds the voxelArrayShift setting c to every intensity before squaring; it equals IBSI's only with c = 0.";
const SHAPE_DEPRECATED_NOTE =
  "Deprecated in pyradiomics: not in the default set, computed only when enabled by name; same formula as IBSI.";
const GLCM_NOTE =
  "pyradiomics averages the feature over the 13 3D directions, like IBSI 3D averaged (ITBB), but first deletes grey levels absent from the ROI from the matrices.";
const GLRLM_NOTE =
  "pyradiomics averages the feature over the 13 3D directions, like IBSI 3D averaged (ITBB), and deletes absent grey levels and run lengths.";
const GLSZM_NOTE = "pyradiomics builds one 26-connected 3D matrix, like IBSI 3D (KOBO).";
const GLDM_NOTE =
  "pyradiomics' GLDM is IBSI's NGLDM computed in 3D (KOBO), with distance 1 and coarseness alpha = gldm_a (0 by default).";
const NGTDM_NOTE = "pyradiomics builds one 3D matrix with distance 1, like IBSI 3D (KOBO).";

// In the order of pyradiomics' source, class by class.
const RAW_PYRADIOMICS: Readonly<Record<PyradiomicsClass, readonly RawPyradiomics[]>> = {
  shape: [
    { name: "MeshVolume", ibsi: "morph_volume" },
    { name: "VoxelVolume", ibsi: "morph_vol_approx" },
    { name: "SurfaceArea", ibsi: "morph_area_mesh" },
    { name: "SurfaceVolumeRatio", ibsi: "morph_av" },
    { name: "Sphericity", ibsi: "morph_sphericity" },
    { name: "Compactness1", ibsi: "morph_comp_1", deprecated: true, note: SHAPE_DEPRECATED_NOTE },
    { name: "Compactness2", ibsi: "morph_comp_2", deprecated: true, note: SHAPE_DEPRECATED_NOTE },
    { name: "SphericalDisproportion", ibsi: "morph_sph_dispr", deprecated: true, note: SHAPE_DEPRECATED_NOTE },
    { name: "Maximum3DDiameter", ibsi: "morph_diam" },
    { name: "Maximum2DDiameterSlice", note: "Not an IBSI feature." },
    { name: "Maximum2DDiameterColumn", note: "Not an IBSI feature." },
    { name: "Maximum2DDiameterRow", note: "Not an IBSI feature." },
    { name: "MajorAxisLength", ibsi: "morph_pca_maj_axis" },
    { name: "MinorAxisLength", ibsi: "morph_pca_min_axis" },
    { name: "LeastAxisLength", ibsi: "morph_pca_least_axis" },
    { name: "Elongation", ibsi: "morph_pca_elongation" },
    { name: "Flatness", ibsi: "morph_pca_flatness" },
  ],
  firstorder: [
    { name: "Energy", ibsi: "stat_energy", note: SHIFT_NOTE },
    { name: "TotalEnergy", note: "Energy times the voxel volume; not an IBSI feature." },
    { name: "Entropy", ibsi: "ih_entropy", note: HISTOGRAM_NOTE },
    { name: "Minimum", ibsi: "stat_min" },
    { name: "10Percentile", ibsi: "stat_p10" },
    { name: "90Percentile", ibsi: "stat_p90" },
    { name: "Maximum", ibsi: "stat_max" },
    { name: "Mean", ibsi: "stat_mean" },
    { name: "Median", ibsi: "stat_median" },
    { name: "InterquartileRange", ibsi: "stat_iqr" },
    { name: "Range", ibsi: "stat_range" },
    { name: "MeanAbsoluteDeviation", ibsi: "stat_mad" },
    { name: "RobustMeanAbsoluteDeviation", ibsi: "stat_rmad" },
    { name: "RootMeanSquared", ibsi: "stat_rms", note: SHIFT_NOTE },
    {
      name: "StandardDeviation",
      deprecated: true,
      note: "Deprecated in pyradiomics (the square root of Variance); not an IBSI feature.",
    },
    { name: "Skewness", ibsi: "stat_skew" },
    {
      name: "Kurtosis",
      ibsi: "stat_kurt",
      note: "pyradiomics' Kurtosis is not excess kurtosis: it is IBSI's value plus 3.",
    },
    { name: "Variance", ibsi: "stat_var" },
    { name: "Uniformity", ibsi: "ih_uniformity", note: HISTOGRAM_NOTE },
  ],
  glcm: [
    { name: "Autocorrelation", ibsi: "cm_auto_corr" },
    { name: "JointAverage", ibsi: "cm_joint_avg" },
    { name: "ClusterProminence", ibsi: "cm_clust_prom" },
    { name: "ClusterShade", ibsi: "cm_clust_shade" },
    { name: "ClusterTendency", ibsi: "cm_clust_tend" },
    { name: "Contrast", ibsi: "cm_contrast" },
    { name: "Correlation", ibsi: "cm_corr" },
    { name: "DifferenceAverage", ibsi: "cm_diff_avg" },
    { name: "DifferenceEntropy", ibsi: "cm_diff_entr" },
    { name: "DifferenceVariance", ibsi: "cm_diff_var" },
    {
      name: "Dissimilarity",
      ibsi: "cm_dissimilarity",
      deprecated: true,
      note: "Deprecated in pyradiomics (no value is computed): it equals glcm_DifferenceAverage.",
    },
    { name: "JointEnergy", ibsi: "cm_energy" },
    { name: "JointEntropy", ibsi: "cm_joint_entr" },
    {
      name: "Homogeneity1",
      deprecated: true,
      note: "Deprecated in pyradiomics (no value is computed): it equals glcm_Id, IBSI's inverse difference.",
    },
    {
      name: "Homogeneity2",
      deprecated: true,
      note: "Deprecated in pyradiomics (no value is computed): it equals glcm_Idm, IBSI's inverse difference moment.",
    },
    { name: "Imc1", ibsi: "cm_info_corr1" },
    { name: "Imc2", ibsi: "cm_info_corr2" },
    { name: "Idm", ibsi: "cm_inv_diff_mom" },
    { name: "MCC", note: "Maximal correlation coefficient; not an IBSI feature." },
    { name: "Idmn", ibsi: "cm_inv_diff_mom_norm" },
    { name: "Id", ibsi: "cm_inv_diff" },
    { name: "Idn", ibsi: "cm_inv_diff_norm" },
    { name: "InverseVariance", ibsi: "cm_inv_var" },
    { name: "MaximumProbability", ibsi: "cm_joint_max" },
    { name: "SumAverage", ibsi: "cm_sum_avg" },
    {
      name: "SumVariance",
      ibsi: "cm_sum_var",
      deprecated: true,
      note: "Deprecated in pyradiomics (no value is computed): it equals glcm_ClusterTendency.",
    },
    { name: "SumEntropy", ibsi: "cm_sum_entr" },
    { name: "SumSquares", ibsi: "cm_joint_var" },
  ],
  glrlm: [
    { name: "ShortRunEmphasis", ibsi: "rlm_sre" },
    { name: "LongRunEmphasis", ibsi: "rlm_lre" },
    { name: "GrayLevelNonUniformity", ibsi: "rlm_glnu" },
    { name: "GrayLevelNonUniformityNormalized", ibsi: "rlm_glnu_norm" },
    { name: "RunLengthNonUniformity", ibsi: "rlm_rlnu" },
    { name: "RunLengthNonUniformityNormalized", ibsi: "rlm_rlnu_norm" },
    { name: "RunPercentage", ibsi: "rlm_r_perc" },
    { name: "GrayLevelVariance", ibsi: "rlm_gl_var" },
    { name: "RunVariance", ibsi: "rlm_rl_var" },
    { name: "RunEntropy", ibsi: "rlm_rl_entr" },
    { name: "LowGrayLevelRunEmphasis", ibsi: "rlm_lgre" },
    { name: "HighGrayLevelRunEmphasis", ibsi: "rlm_hgre" },
    { name: "ShortRunLowGrayLevelEmphasis", ibsi: "rlm_srlge" },
    { name: "ShortRunHighGrayLevelEmphasis", ibsi: "rlm_srhge" },
    { name: "LongRunLowGrayLevelEmphasis", ibsi: "rlm_lrlge" },
    { name: "LongRunHighGrayLevelEmphasis", ibsi: "rlm_lrhge" },
  ],
  glszm: [
    { name: "SmallAreaEmphasis", ibsi: "szm_sze" },
    { name: "LargeAreaEmphasis", ibsi: "szm_lze" },
    { name: "GrayLevelNonUniformity", ibsi: "szm_glnu" },
    { name: "GrayLevelNonUniformityNormalized", ibsi: "szm_glnu_norm" },
    { name: "SizeZoneNonUniformity", ibsi: "szm_zsnu" },
    { name: "SizeZoneNonUniformityNormalized", ibsi: "szm_zsnu_norm" },
    { name: "ZonePercentage", ibsi: "szm_z_perc" },
    { name: "GrayLevelVariance", ibsi: "szm_gl_var" },
    { name: "ZoneVariance", ibsi: "szm_zs_var" },
    { name: "ZoneEntropy", ibsi: "szm_zs_entr" },
    { name: "LowGrayLevelZoneEmphasis", ibsi: "szm_lgze" },
    { name: "HighGrayLevelZoneEmphasis", ibsi: "szm_hgze" },
    { name: "SmallAreaLowGrayLevelEmphasis", ibsi: "szm_szlge" },
    { name: "SmallAreaHighGrayLevelEmphasis", ibsi: "szm_szhge" },
    { name: "LargeAreaLowGrayLevelEmphasis", ibsi: "szm_lzlge" },
    { name: "LargeAreaHighGrayLevelEmphasis", ibsi: "szm_lzhge" },
  ],
  gldm: [
    { name: "SmallDependenceEmphasis", ibsi: "ngl_lde" },
    { name: "LargeDependenceEmphasis", ibsi: "ngl_hde" },
    { name: "GrayLevelNonUniformity", ibsi: "ngl_glnu" },
    {
      name: "GrayLevelNonUniformityNormalized",
      ibsi: "ngl_glnu_norm",
      deprecated: true,
      note: "Deprecated in pyradiomics (no value is computed): every voxel has a dependence zone, so it equals firstorder_Uniformity.",
    },
    { name: "DependenceNonUniformity", ibsi: "ngl_dcnu" },
    { name: "DependenceNonUniformityNormalized", ibsi: "ngl_dcnu_norm" },
    { name: "GrayLevelVariance", ibsi: "ngl_gl_var" },
    { name: "DependenceVariance", ibsi: "ngl_dc_var" },
    { name: "DependenceEntropy", ibsi: "ngl_dc_entr" },
    {
      name: "DependencePercentage",
      ibsi: "ngl_dc_perc",
      deprecated: true,
      note: "Deprecated in pyradiomics (no value is computed): every voxel has a dependence zone, so it is always 1.",
    },
    { name: "LowGrayLevelEmphasis", ibsi: "ngl_lgce" },
    { name: "HighGrayLevelEmphasis", ibsi: "ngl_hgce" },
    { name: "SmallDependenceLowGrayLevelEmphasis", ibsi: "ngl_ldlge" },
    { name: "SmallDependenceHighGrayLevelEmphasis", ibsi: "ngl_ldhge" },
    { name: "LargeDependenceLowGrayLevelEmphasis", ibsi: "ngl_hdlge" },
    { name: "LargeDependenceHighGrayLevelEmphasis", ibsi: "ngl_hdhge" },
  ],
  ngtdm: [
    { name: "Coarseness", ibsi: "ngt_coarseness" },
    { name: "Contrast", ibsi: "ngt_contrast" },
    { name: "Busyness", ibsi: "ngt_busyness" },
    { name: "Complexity", ibsi: "ngt_complexity" },
    { name: "Strength", ibsi: "ngt_strength" },
  ],
};

const CLASS_NOTES: Readonly<Partial<Record<PyradiomicsClass, string>>> = {
  glcm: GLCM_NOTE,
  glrlm: GLRLM_NOTE,
  glszm: GLSZM_NOTE,
  gldm: GLDM_NOTE,
  ngtdm: NGTDM_NOTE,
};

// The IBSI aggregation a default (3D, no distance weighting) pyradiomics extraction corresponds to.
const CLASS_AGGREGATION: Readonly<Partial<Record<PyradiomicsClass, AggregationSuffix>>> = {
  glcm: "3D_avg",
  glrlm: "3D_avg",
  glszm: "3D",
  gldm: "3D",
  ngtdm: "3D",
};

const FAMILY_BY_PREFIX: ReadonlyMap<string, IbsiFamilyInfo> = new Map(IBSI_FAMILIES.map((f) => [f.prefix, f]));

function familyOf(stem: string): IbsiFamilyInfo {
  const found = FAMILY_BY_PREFIX.get(stem.slice(0, stem.indexOf("_")));
  // RAW_FEATURES is written against IBSI_FAMILIES; a miss is a defect in this file.
  if (found === undefined) throw new Error(`feature-catalogue: no family for ${stem}`);
  return found;
}

const RAW_PYRADIOMICS_LIST: readonly (RawPyradiomics & { readonly featureClass: PyradiomicsClass })[] = (
  Object.keys(RAW_PYRADIOMICS) as PyradiomicsClass[]
).flatMap((featureClass) => RAW_PYRADIOMICS[featureClass].map((raw) => ({ ...raw, featureClass })));

function joinNotes(...notes: readonly (string | undefined)[]): string | undefined {
  const present = notes.filter((n): n is string => n !== undefined);
  return present.length === 0 ? undefined : present.join(" ");
}

function pyradiomicsNote(raw: RawPyradiomics & { readonly featureClass: PyradiomicsClass }): string | undefined {
  return joinNotes(raw.note, raw.ibsi === undefined ? undefined : CLASS_NOTES[raw.featureClass]);
}

const PYRADIOMICS_BY_IBSI: ReadonlyMap<string, RawPyradiomics & { readonly featureClass: PyradiomicsClass }> = new Map(
  RAW_PYRADIOMICS_LIST.filter((raw) => raw.ibsi !== undefined).map((raw) => [raw.ibsi as string, raw]),
);

/**
 * Every feature of IBSI-1 chapter 3 (174), by tag stem, in the manual's order: its name, family,
 * family code, permanent IBSI code and, where one exists, the pyradiomics feature computing it.
 *
 * Codes are unique except where IBSI defines one parametrised feature that the reference table
 * reports at two parameters: `ivh_v10` and `ivh_v90` share BC2M, `ivh_i10` and `ivh_i90` share GBPN.
 *
 * @example
 * ```ts
 * import { IBSI_FEATURES } from "@radlab/kernel";
 * IBSI_FEATURES.length; // 174
 * IBSI_FEATURES.find((f) => f.tag === "morph_comp_1")?.code; // "SKGS"
 * ```
 */
export const IBSI_FEATURES: readonly FeatureInfo[] = Object.freeze(
  RAW_FEATURES.map((raw): FeatureInfo => {
    const fam = familyOf(raw.tag);
    const py = PYRADIOMICS_BY_IBSI.get(raw.tag);
    const note = joinNotes(raw.note, py === undefined ? undefined : pyradiomicsNote(py));
    return Object.freeze({
      tag: raw.tag,
      name: raw.name,
      family: fam.name,
      familyCode: fam.code,
      code: raw.code,
      ...(py === undefined ? {} : { pyradiomics: `${py.featureClass}_${py.name}` }),
      ...(note === undefined ? {} : { note }),
    });
  }),
);

const FEATURE_BY_STEM: ReadonlyMap<string, FeatureInfo> = new Map(IBSI_FEATURES.map((f) => [f.tag, f]));

/**
 * pyradiomics' features of a 3D extraction (classes shape, firstorder, glcm, glrlm, glszm, gldm,
 * ngtdm; 117 with the deprecated ones), in the order of pyradiomics' source, with the IBSI feature
 * each computes.
 *
 * @example
 * ```ts
 * import { PYRADIOMICS_FEATURES } from "@radlab/kernel";
 * PYRADIOMICS_FEATURES.find((f) => f.name === "glcm_JointEnergy")?.ibsiCode; // "8ZQL"
 * ```
 */
export const PYRADIOMICS_FEATURES: readonly PyradiomicsFeatureInfo[] = Object.freeze(
  RAW_PYRADIOMICS_LIST.map((raw): PyradiomicsFeatureInfo => {
    const ibsi = raw.ibsi === undefined ? undefined : FEATURE_BY_STEM.get(raw.ibsi);
    const note = pyradiomicsNote(raw);
    return Object.freeze({
      name: `${raw.featureClass}_${raw.name}`,
      featureClass: raw.featureClass,
      deprecated: raw.deprecated === true,
      ...(raw.ibsi === undefined ? {} : { ibsiTag: raw.ibsi }),
      ...(ibsi?.code === undefined ? {} : { ibsiCode: ibsi.code }),
      ...(note === undefined ? {} : { note }),
    });
  }),
);

/**
 * The 107 features pyradiomics computes when every feature class is enabled with no feature
 * named (`enableAllFeatures` skips the ones marked `@deprecated`): shape 14, firstorder 18,
 * glcm 24, glrlm 16, glszm 16, gldm 14, ngtdm 5.
 *
 * @example
 * ```ts
 * import { PYRADIOMICS_DEFAULT_FEATURES } from "@radlab/kernel";
 * PYRADIOMICS_DEFAULT_FEATURES.length; // 107
 * PYRADIOMICS_DEFAULT_FEATURES.includes("shape_Compactness1"); // false
 * ```
 */
export const PYRADIOMICS_DEFAULT_FEATURES: readonly string[] = Object.freeze(
  PYRADIOMICS_FEATURES.filter((f) => !f.deprecated).map((f) => f.name),
);

const PYRADIOMICS_BY_NAME: ReadonlyMap<string, PyradiomicsFeatureInfo> = new Map(
  PYRADIOMICS_FEATURES.map((f) => [f.name, f]),
);

// Longest first, so that `_2_5D_avg` is tried before `_2D`-like shorter endings.
const SUFFIXES: readonly AggregationSuffix[] = (Object.keys(AGGREGATION_CODES) as AggregationSuffix[]).sort(
  (a, b) => b.length - a.length,
);

/** The candidates nearest to `input` (case-insensitive edit distance, ties alphabetical; at most three). */
function closest(input: string, candidates: readonly string[]): string[] {
  const needle = input.toLowerCase();
  const limit = Math.max(2, Math.ceil(needle.length / 4));
  const scored = candidates
    .map((candidate) => ({ candidate, distance: editDistance(needle, candidate.toLowerCase(), limit) }))
    .filter((c) => c.distance <= limit);
  const best = Math.min(...scored.map((c) => c.distance));
  return scored
    .filter((c) => c.distance === best)
    .map((c) => c.candidate)
    .sort()
    .slice(0, 3);
}

const ALL_TAGS: readonly string[] = IBSI_FEATURES.flatMap((f) => [
  f.tag,
  ...familyOf(f.tag).aggregations.map((suffix) => `${f.tag}_${suffix}`),
]);

function suggestion(input: string, candidates: readonly string[]): string {
  const near = closest(input, candidates);
  return near.length === 0 ? "" : `Did you mean ${near.map((n) => `"${n}"`).join(" or ")}? `;
}

/**
 * Looks up an IBSI feature by tag: a stem (`morph_volume`, `cm_joint_max`) or a stem with the
 * aggregation suffix of the IBSI reference table (`cm_joint_max_3D_avg`, `szm_sze_2_5D`).
 *
 * @param tag - The tag, exactly as in the IBSI reference table (case-sensitive).
 * @returns The feature, with `aggregation` and `aggregationCode` when the tag has a suffix.
 * @throws {@link RadiomicsError} `settings` for an unknown tag (the hint names the closest tags),
 *   or for a suffix the feature's family does not take (for example `szm_sze_3D_avg`).
 *
 * @example
 * ```ts
 * import { ibsiFeatureInfo } from "@radlab/kernel";
 * const info = ibsiFeatureInfo("cm_joint_max_3D_avg");
 * info.code; // "GYBY"
 * info.aggregationCode; // "ITBB"
 * info.pyradiomics; // "glcm_MaximumProbability"
 * ```
 */
export function ibsiFeatureInfo(tag: string): FeatureDetails {
  const bare = FEATURE_BY_STEM.get(tag);
  if (bare !== undefined) return bare;
  for (const suffix of SUFFIXES) {
    if (!tag.endsWith(`_${suffix}`)) continue;
    const stem = tag.slice(0, -(suffix.length + 1));
    const feature = FEATURE_BY_STEM.get(stem);
    if (feature === undefined) continue;
    const fam = familyOf(stem);
    if (!fam.aggregations.includes(suffix)) {
      const allowed =
        fam.aggregations.length === 0
          ? `Use the bare tag "${stem}": ${fam.name.toLowerCase()} are computed once, on the 3D volume.`
          : `Use one of ${fam.aggregations.map((s) => `"${stem}_${s}"`).join(", ")}.`;
      throw new RadiomicsError(
        "settings",
        `IBSI feature tag "${tag}" has aggregation suffix "${suffix}", which ${fam.name.toLowerCase()} do not take`,
        { path: "tag", hint: allowed },
      );
    }
    const agg = AGGREGATION_CODES[suffix];
    return Object.freeze({ ...feature, aggregation: suffix, aggregationCode: agg.code });
  }
  throw new RadiomicsError("settings", `Unknown IBSI feature tag "${tag}"`, {
    path: "tag",
    hint: `${suggestion(tag, ALL_TAGS)}A tag is a stem from IBSI_FEATURES, with an aggregation suffix such as "_3D_avg" for texture features.`,
  });
}

/**
 * The IBSI feature a pyradiomics feature computes, with the IBSI aggregation that pyradiomics'
 * default 3D extraction corresponds to (`3D_avg` for glcm and glrlm, `3D` for glszm, gldm and
 * ngtdm; settings such as `force2D` or `weightingNorm` change it).
 *
 * @param name - A pyradiomics feature as `class_Feature`, for example `glcm_JointEnergy`, without
 *   the image type prefix (`original_`) of pyradiomics' output keys.
 * @returns The IBSI feature, or `undefined` for a pyradiomics feature IBSI does not define (for
 *   example `shape_Maximum2DDiameterSlice` or `glcm_MCC`).
 * @throws {@link RadiomicsError} `settings` for a name that is not one of {@link PYRADIOMICS_FEATURES};
 *   the hint names the closest ones.
 *
 * @example
 * ```ts
 * import { pyradiomicsToIbsi } from "@radlab/kernel";
 * pyradiomicsToIbsi("gldm_DependenceNonUniformity")?.tag; // "ngl_dcnu"
 * pyradiomicsToIbsi("glcm_JointEnergy")?.aggregationCode; // "ITBB"
 * pyradiomicsToIbsi("glcm_MCC"); // undefined
 * ```
 */
export function pyradiomicsToIbsi(name: string): FeatureDetails | undefined {
  const py = PYRADIOMICS_BY_NAME.get(name);
  if (py === undefined) {
    const prefixed = /^[A-Za-z0-9-]+_((?:shape|firstorder|glcm|glrlm|glszm|gldm|ngtdm)_\w+)$/.exec(name);
    const stripped = prefixed?.[1];
    const hint =
      stripped !== undefined && PYRADIOMICS_BY_NAME.has(stripped)
        ? `Pass "${stripped}": pyradiomics prefixes its output keys with the image type.`
        : `${suggestion(name, [...PYRADIOMICS_BY_NAME.keys()])}Names are "class_Feature" from PYRADIOMICS_FEATURES.`;
    throw new RadiomicsError("settings", `Unknown pyradiomics feature "${name}"`, { path: "name", hint });
  }
  if (py.ibsiTag === undefined) return undefined;
  const feature = ibsiFeatureInfo(py.ibsiTag);
  const suffix = CLASS_AGGREGATION[py.featureClass];
  return suffix === undefined
    ? feature
    : Object.freeze({ ...feature, aggregation: suffix, aggregationCode: AGGREGATION_CODES[suffix].code });
}
