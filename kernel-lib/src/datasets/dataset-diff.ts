import { DisplayableValue, type MimeBundle } from "../display/mime-bundle";
import { table } from "../display/table";
import type { DatasetMember } from "./dataset-manifest";

/** A member whose labels, regions or split differ between two versions. */
export interface MemberChange {
  readonly sha256: string;
  readonly patientId: string;
  readonly before: DatasetMember;
  readonly after: DatasetMember;
}

/**
 * What changed from one version to another: members added and removed, members relabelled
 * (classification values or regions differ) and members moved to another split.
 */
export class DatasetDiff extends DisplayableValue {
  constructor(
    readonly from: string,
    readonly to: string,
    readonly added: readonly DatasetMember[],
    readonly removed: readonly DatasetMember[],
    readonly relabelled: readonly MemberChange[],
    readonly resplit: readonly MemberChange[],
  ) {
    super();
  }

  /** True when the two versions hold the same members with the same labels and splits. */
  get empty(): boolean {
    return this.added.length + this.removed.length + this.relabelled.length + this.resplit.length === 0;
  }

  /** One row per change: kind, member, patient, and the labels and split before and after. */
  changes(): Record<string, string>[] {
    const labels = (m: DatasetMember | undefined) =>
      m === undefined
        ? ""
        : Object.entries(m.labels)
            .map(([set, values]) => `${set}=${values.join("|")}`)
            .concat(m.annotations.length > 0 ? [`regions=${m.annotations.length}`] : [])
            .join("; ");
    const row = (change: string, before: DatasetMember | undefined, after: DatasetMember | undefined) => {
      const m = (after ?? before) as DatasetMember;
      return {
        change,
        sha256: m.sha256.slice(0, 12),
        patient_id: m.patientId,
        split_before: before?.split ?? "",
        split_after: after?.split ?? "",
        labels_before: labels(before),
        labels_after: labels(after),
      };
    };
    // A member both relabelled and moved is listed once, as relabelled (its row shows both splits).
    const relabelled = new Set(this.relabelled.map((c) => c.sha256));
    return [
      ...this.added.map((m) => row("added", undefined, m)),
      ...this.removed.map((m) => row("removed", m, undefined)),
      ...this.relabelled.map((c) => row("relabelled", c.before, c.after)),
      ...this.resplit.filter((c) => !relabelled.has(c.sha256)).map((c) => row("resplit", c.before, c.after)),
    ];
  }

  toMimeBundle(): MimeBundle {
    const caption =
      `${this.from.slice(0, 12)} → ${this.to.slice(0, 12)}: ${this.added.length} added, ${this.removed.length} removed, ` +
      `${this.relabelled.length} relabelled, ${this.resplit.length} moved to another split`;
    return table(this.changes(), { caption }).toMimeBundle();
  }
}

/** Compares two versions' members (each sorted by content hash, as `members()` returns them). */
export function diffMembers(
  from: string,
  to: string,
  before: readonly DatasetMember[],
  after: readonly DatasetMember[],
): DatasetDiff {
  const old = new Map(before.map((m) => [m.sha256, m]));
  const added: DatasetMember[] = [];
  const relabelled: MemberChange[] = [];
  const resplit: MemberChange[] = [];
  for (const m of after) {
    const previous = old.get(m.sha256);
    if (previous === undefined) {
      added.push(m);
      continue;
    }
    old.delete(m.sha256);
    const change = { sha256: m.sha256, patientId: m.patientId, before: previous, after: m };
    if (JSON.stringify([previous.labels, previous.annotations]) !== JSON.stringify([m.labels, m.annotations]))
      relabelled.push(change);
    if (previous.split !== m.split) resplit.push(change);
  }
  return new DatasetDiff(from, to, added, [...old.values()], relabelled, resplit);
}
