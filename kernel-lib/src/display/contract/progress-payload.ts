import { RADLAB_MIME } from "./mime-types";
import { definePayloadSchema, type IssueCollector } from "./validation";

/** The state of a unit of long work. */
export type ProgressStatus = "running" | "succeeded" | "failed";

/** Payload of {@link RADLAB_MIME}.progress, version 1. */
export interface ProgressPayload {
  readonly version: 1;
  /** What is being done, for example `Ingesting nih1000`. */
  readonly label: string;
  /** What is counted, for example `files`. */
  readonly unit: string;
  readonly done: number;
  /** How many there are in all, or `null` when unknown. */
  readonly total: number | null;
  readonly elapsedSeconds: number;
  /** Estimated seconds left, or `null` when it cannot be estimated yet. */
  readonly etaSeconds: number | null;
  readonly status: ProgressStatus;
  /** A last message, such as the reason of a failure. */
  readonly message?: string;
}

const STATUSES: readonly ProgressStatus[] = ["running", "succeeded", "failed"];

function checkProgress(value: unknown, issues: IssueCollector): value is ProgressPayload {
  if (!issues.record(value, [])) return false;
  const before = issues.issues.length;
  issues.oneOf(value.version, [1], ["version"]);
  issues.string(value.label, ["label"]);
  issues.string(value.unit, ["unit"]);
  issues.number(value.done, ["done"], { min: 0 });
  if (value.total !== null) issues.number(value.total, ["total"], { min: 0 });
  issues.number(value.elapsedSeconds, ["elapsedSeconds"], { min: 0 });
  if (value.etaSeconds !== null) issues.number(value.etaSeconds, ["etaSeconds"], { min: 0 });
  issues.oneOf(value.status, STATUSES, ["status"]);
  if (value.message !== undefined) issues.string(value.message, ["message"]);
  return issues.issues.length === before;
}

/**
 * The schema of {@link RADLAB_MIME}.progress payloads.
 *
 * @example
 * ```ts
 * import { progressPayloadSchema } from "@radlab/kernel/contract";
 * progressPayloadSchema.safeParse({ version: 1 }).ok; // false
 * ```
 */
export const progressPayloadSchema = definePayloadSchema(RADLAB_MIME.progress, checkProgress);
