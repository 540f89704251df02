import type * as dcmjs from "dcmjs";
import type { DicomDataset } from "../../dicom/dataset";
import { formatTag } from "../../dicom/tag";
import { concat, effectiveVr, latin1, stringValues } from "./element-values";
import { phiMatchers, type PhiKind, type PhiValue } from "./phi-values";

/** One place where an original identifying value was found again. The value itself is not repeated. */
export interface PhiFinding {
  /** Where: `(0040,A730)[2]/(0040,A160)`; the File Meta Information starts with `meta/`. */
  readonly path: string;
  /** The element, `(0010,0010) Patient's Name`. */
  readonly tag: string;
  readonly kind: PhiKind;
  /** The attribute of the original the value came from. */
  readonly source: string;
}

/** Binary elements up to this size are also searched, as Latin-1 text (private blobs hold names). */
const MAX_BINARY_SCAN = 65_536;

/**
 * The verification gate's header check: walks every element of `dataset` (File Meta Information,
 * sequences at any depth, private attributes, text in elements with VR UN and small binary values)
 * and reports each element that still contains one of `phiValues` (see {@link PhiValue} for how
 * values match). An empty result is required before an instance may enter the store.
 *
 * @example
 * ```ts
 * import { deidentifyHeader, scanForPhi, BASIC_PROFILE, ReidentificationKey } from "@radlab/kernel";
 * const { dataset, phiValues } = deidentifyHeader(ds, BASIC_PROFILE, { key: ReidentificationKey.create() });
 * scanForPhi(dataset, phiValues); // []
 * ```
 */
export function scanForPhi(dataset: DicomDataset, phiValues: readonly PhiValue[]): PhiFinding[] {
  const matchers = phiMatchers(phiValues);
  const findings: PhiFinding[] = [];
  if (matchers.length === 0) return findings;
  const walk = (dict: dcmjs.DcmjsDict, prefix: string) => {
    for (const [hex, element] of Object.entries(dict)) {
      const tag = parseInt(hex, 16) >>> 0;
      const path = `${prefix}(${hex.slice(0, 4)},${hex.slice(4)})`;
      if (element.vr === "SQ") {
        (element.Value ?? []).forEach((item, i) => walk((item ?? {}) as dcmjs.DcmjsDict, `${path}[${i}]/`));
        continue;
      }
      if (tag === 0x7fe00010 || tag === 0x7fe00008 || tag === 0x7fe00009) continue; // pixel data
      const vr = effectiveVr(tag, element) ?? "UN";
      let texts = stringValues(element, vr);
      if (texts.length === 0 && (vr === "UN" || vr === "OB" || element.vr === "UN")) {
        const bytes = concat(element.Value ?? []);
        if (bytes.byteLength > 0 && bytes.byteLength <= MAX_BINARY_SCAN) texts = [latin1(bytes)];
      }
      if (texts.length === 0) continue;
      const text = texts.join("\\");
      const reported = new Set<string>();
      for (const m of matchers) {
        if (reported.has(m.phi.source + m.phi.kind) || !m.test(text)) continue;
        reported.add(m.phi.source + m.phi.kind);
        findings.push({ path, tag: formatTag(tag), kind: m.phi.kind, source: m.phi.source });
      }
    }
  };
  walk(dataset.meta, "meta/");
  walk(dataset.dict, "");
  return findings;
}
