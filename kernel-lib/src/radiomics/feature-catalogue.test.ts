import path from "node:path";
import { describe, expect, it } from "vitest";
import { readCsvRecords } from "../core/csv-field";
import {
  AGGREGATION_CODES,
  IBSI_FAMILIES,
  IBSI_FEATURES,
  PYRADIOMICS_DEFAULT_FEATURES,
  PYRADIOMICS_FEATURES,
  ibsiFeatureInfo,
  pyradiomicsToIbsi,
} from "./feature-catalogue";
import { RADIOMICS_DATA } from "./test-support/reference-data";
import { thrown } from "./test-support/thrown";

/** Every row of the IBSI-1 reference table, with or without a reference value. */
function referenceRows(): { feature: string; tag: string }[] {
  return readCsvRecords(path.join(RADIOMICS_DATA, "ibsi1-digital-phantom/reference_values.csv")).map((row) => ({
    feature: row["feature"] ?? "",
    tag: row["tag"] ?? "",
  }));
}

describe("IBSI feature catalogue", () => {
  it("resolves every tag of the IBSI-1 reference table, with the table's feature name", () => {
    const rows = referenceRows();
    expect(rows).toHaveLength(487);
    for (const row of rows) {
      const info = ibsiFeatureInfo(row.tag);
      expect(info.name, row.tag).toBe(row.feature);
      expect(info.aggregation === undefined ? info.tag : `${info.tag}_${info.aggregation}`).toBe(row.tag);
      expect(info.code, row.tag).toMatch(/^[0-9A-Z]{4}$/);
      expect(info.familyCode, row.tag).toMatch(/^[0-9A-Z]{4}$/);
    }
  });

  it("lists the 174 features of IBSI-1 chapter 3, each stem used by the reference table", () => {
    const stems = new Set(referenceRows().map((row) => ibsiFeatureInfo(row.tag).tag));
    expect(IBSI_FEATURES).toHaveLength(174);
    expect(new Set(IBSI_FEATURES.map((f) => f.tag))).toEqual(stems);
    const perFamily = Object.fromEntries(
      IBSI_FAMILIES.map((fam) => [fam.prefix, IBSI_FEATURES.filter((f) => f.family === fam.name).length]),
    );
    // The manual's family table (IVH has 5 definitions, reported at 7 parameter choices).
    expect(perFamily).toEqual({
      morph: 29,
      loc: 2,
      stat: 18,
      ih: 23,
      ivh: 7,
      cm: 25,
      rlm: 16,
      szm: 16,
      dzm: 16,
      ngt: 5,
      ngl: 17,
    });
  });

  it("pins the codes the IBSI manual gives as examples", () => {
    expect(ibsiFeatureInfo("morph_volume")).toMatchObject({
      name: "Volume (mesh)",
      code: "RNU0",
      family: "Morphological features",
      familyCode: "HCUG",
      pyradiomics: "shape_MeshVolume",
    });
    expect(ibsiFeatureInfo("morph_vol_approx").code).toBe("YEKZ");
    expect(ibsiFeatureInfo("morph_area_mesh").code).toBe("C0JK");
    expect(ibsiFeatureInfo("morph_comp_1").code).toBe("SKGS");
    expect(ibsiFeatureInfo("cm_joint_max_3D_avg")).toEqual({
      tag: "cm_joint_max",
      name: "Joint maximum",
      family: "Grey level co-occurrence based features",
      familyCode: "LFYI",
      code: "GYBY",
      pyradiomics: "glcm_MaximumProbability",
      note: "pyradiomics averages the feature over the 13 3D directions, like IBSI 3D averaged (ITBB), but first deletes grey levels absent from the ROI from the matrices.",
      aggregation: "3D_avg",
      aggregationCode: "ITBB",
    });
  });

  it("has one code per feature, except the IVH features IBSI defines once with a parameter", () => {
    const byCode = new Map<string, string[]>();
    for (const f of IBSI_FEATURES) byCode.set(f.code ?? "", [...(byCode.get(f.code ?? "") ?? []), f.tag]);
    const shared = [...byCode].filter(([, tags]) => tags.length > 1);
    expect(shared).toEqual([
      ["BC2M", ["ivh_v10", "ivh_v90"]],
      ["GBPN", ["ivh_i10", "ivh_i90"]],
    ]);
    const familyCodes = IBSI_FAMILIES.map((f) => f.code);
    const aggregationCodes = Object.values(AGGREGATION_CODES).map((a) => a.code);
    const all = [...byCode.keys(), ...familyCodes, ...aggregationCodes];
    expect(new Set(all).size).toBe(all.length);
  });

  it("maps the aggregation suffixes to IBSI's aggregation codes", () => {
    expect(Object.fromEntries(Object.entries(AGGREGATION_CODES).map(([suffix, a]) => [suffix, a.code]))).toEqual({
      "2D_avg": "BTW3",
      "2D_comb": "SUJT",
      "2_5D_avg": "JJUI",
      "2_5D_comb": "ZW7Z",
      "3D_avg": "ITBB",
      "3D_comb": "IAZD",
      "2D": "8QNN",
      "2_5D": "62GR",
      "3D": "KOBO",
    });
    expect(ibsiFeatureInfo("szm_sze_2_5D")).toMatchObject({
      tag: "szm_sze",
      aggregation: "2_5D",
      aggregationCode: "62GR",
    });
    expect(ibsiFeatureInfo("rlm_sre_2_5D_avg")).toMatchObject({ aggregation: "2_5D_avg", aggregationCode: "JJUI" });
    expect(ibsiFeatureInfo("cm_joint_max").aggregation).toBeUndefined();
  });

  it("names close matches for an unknown tag", () => {
    const error = thrown(() => ibsiFeatureInfo("cm_joint_mx_3D_avg"));
    expect(error.code).toBe("settings");
    expect(error.evidence).toEqual({ path: "tag" });
    expect(error.message).toBe(
      'Unknown IBSI feature tag "cm_joint_mx_3D_avg"\nHow to fix: Did you mean "cm_joint_max_3D_avg"? A tag is a stem from IBSI_FEATURES, with an aggregation suffix such as "_3D_avg" for texture features.',
    );
    expect(thrown(() => ibsiFeatureInfo("CM_JOINT_MAX_3D_AVG")).hint).toMatch(/^Did you mean "cm_joint_max_3D_avg"\?/);
    expect(thrown(() => ibsiFeatureInfo("wavelet_energy")).hint).toBe(
      'A tag is a stem from IBSI_FEATURES, with an aggregation suffix such as "_3D_avg" for texture features.',
    );
  });

  it("rejects a suffix the feature's family does not take", () => {
    expect(thrown(() => ibsiFeatureInfo("szm_sze_3D_avg")).message).toBe(
      'IBSI feature tag "szm_sze_3D_avg" has aggregation suffix "3D_avg", which grey level size zone based features do not take\nHow to fix: Use one of "szm_sze_2D", "szm_sze_2_5D", "szm_sze_3D".',
    );
    expect(thrown(() => ibsiFeatureInfo("morph_volume_3D")).hint).toBe(
      'Use the bare tag "morph_volume": morphological features are computed once, on the 3D volume.',
    );
  });
});

describe("pyradiomics features", () => {
  it("lists the 107 default features with pyradiomics' counts per class", () => {
    expect(PYRADIOMICS_DEFAULT_FEATURES).toHaveLength(107);
    expect(new Set(PYRADIOMICS_DEFAULT_FEATURES).size).toBe(107);
    const perClass: Record<string, number> = {};
    for (const name of PYRADIOMICS_DEFAULT_FEATURES) {
      const cls = name.slice(0, name.indexOf("_"));
      perClass[cls] = (perClass[cls] ?? 0) + 1;
    }
    expect(perClass).toEqual({ shape: 14, firstorder: 18, glcm: 24, glrlm: 16, glszm: 16, gldm: 14, ngtdm: 5 });
  });

  it("leaves the deprecated features out of the default set", () => {
    expect(PYRADIOMICS_FEATURES.filter((f) => f.deprecated).map((f) => f.name)).toEqual([
      "shape_Compactness1",
      "shape_Compactness2",
      "shape_SphericalDisproportion",
      "firstorder_StandardDeviation",
      "glcm_Dissimilarity",
      "glcm_Homogeneity1",
      "glcm_Homogeneity2",
      "glcm_SumVariance",
      "gldm_GrayLevelNonUniformityNormalized",
      "gldm_DependencePercentage",
    ]);
  });

  it("gives the IBSI code of every default feature that maps, and lists the ones that do not", () => {
    const unmapped = PYRADIOMICS_FEATURES.filter((f) => !f.deprecated && f.ibsiTag === undefined).map((f) => f.name);
    expect(unmapped).toEqual([
      "shape_Maximum2DDiameterSlice",
      "shape_Maximum2DDiameterColumn",
      "shape_Maximum2DDiameterRow",
      "firstorder_TotalEnergy",
      "glcm_MCC",
    ]);
    for (const f of PYRADIOMICS_FEATURES.filter((p) => p.ibsiTag !== undefined)) {
      expect(f.ibsiCode, f.name).toBe(ibsiFeatureInfo(f.ibsiTag ?? "").code);
      expect(ibsiFeatureInfo(f.ibsiTag ?? "").pyradiomics, f.name).toBe(f.name);
    }
    const pyNames = IBSI_FEATURES.flatMap((f) => (f.pyradiomics === undefined ? [] : [f.pyradiomics]));
    expect(new Set(pyNames).size).toBe(pyNames.length);
  });

  it("maps pyradiomics names to IBSI features, with the notes on their differences", () => {
    expect(pyradiomicsToIbsi("gldm_DependenceNonUniformity")).toMatchObject({
      tag: "ngl_dcnu",
      code: "Z87G",
      aggregation: "3D",
      aggregationCode: "KOBO",
    });
    expect(pyradiomicsToIbsi("glcm_JointEnergy")).toMatchObject({
      tag: "cm_energy",
      code: "8ZQL",
      aggregation: "3D_avg",
    });
    expect(pyradiomicsToIbsi("glcm_Idn")?.tag).toBe("cm_inv_diff_norm");
    expect(pyradiomicsToIbsi("glcm_Idmn")?.tag).toBe("cm_inv_diff_mom_norm");
    expect(pyradiomicsToIbsi("shape_Sphericity")).toMatchObject({ tag: "morph_sphericity", code: "QCFX" });
    expect(pyradiomicsToIbsi("shape_Sphericity")?.aggregation).toBeUndefined();
    expect(pyradiomicsToIbsi("firstorder_Mean")).toMatchObject({ tag: "stat_mean", code: "Q4LE" });
    expect(pyradiomicsToIbsi("firstorder_Kurtosis")?.note).toBe(
      "pyradiomics' Kurtosis is not excess kurtosis: it is IBSI's value plus 3.",
    );
    expect(pyradiomicsToIbsi("firstorder_Energy")?.note).toMatch(/voxelArrayShift/);
    expect(pyradiomicsToIbsi("shape_Compactness1")?.note).toMatch(/^Deprecated in pyradiomics/);
    expect(pyradiomicsToIbsi("glcm_MCC")).toBeUndefined();
  });

  it("rejects an unknown pyradiomics name, naming close matches or the prefix to strip", () => {
    const misspelt = thrown(() => pyradiomicsToIbsi("glcm_JointEnergie"));
    expect(misspelt.code).toBe("settings");
    expect(misspelt.message).toBe(
      'Unknown pyradiomics feature "glcm_JointEnergie"\nHow to fix: Did you mean "glcm_JointEnergy"? Names are "class_Feature" from PYRADIOMICS_FEATURES.',
    );
    expect(thrown(() => pyradiomicsToIbsi("original_glcm_JointEnergy")).hint).toBe(
      'Pass "glcm_JointEnergy": pyradiomics prefixes its output keys with the image type.',
    );
  });
});
