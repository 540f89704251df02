import { RadlabError } from "../core/radlab-error";

/** One problem with a pipeline, found by {@link safeParsePipeline}. */
export interface TransformIssue {
  /**
   * What is wrong: `not-object`, `missing` (a required field), `unknown-key` (a field no step
   * has, often a misspelling), `unknown-kind`, `type` (wrong JSON type), `range` (a number
   * outside its allowed values), `enum` (a string outside its allowed values), `format` (a name
   * with characters it cannot have) or `order` (a step where it cannot work).
   */
  readonly code:
    "not-object" | "missing" | "unknown-key" | "unknown-kind" | "type" | "range" | "enum" | "format" | "order";
  /** Where, for example `steps[2].size` or `steps[0].kind`; the empty string is the pipeline itself. */
  readonly path: string;
  readonly message: string;
}

/**
 * Thrown when a preprocessing pipeline is malformed (code `transform-spec`). Every problem found
 * is in {@link TransformSpecError.issues}; `evidence.path` is the first one's path.
 *
 * @example
 * ```ts
 * import { parsePipeline, TransformSpecError } from "@radlab/kernel";
 * try {
 *   parsePipeline({ kind: "pipeline", name: "cxr", steps: [{ kind: "blur" }] });
 * } catch (error) {
 *   if (error instanceof TransformSpecError) error.issues; // [{ code: "unknown-kind", path: "steps[0].kind", ... }]
 * }
 * ```
 */
export class TransformSpecError extends RadlabError {
  declare readonly code: "transform-spec";
  readonly issues: readonly TransformIssue[];

  constructor(issues: readonly TransformIssue[]) {
    super(
      "transform-spec",
      `Invalid preprocessing pipeline (${issues.length} issue(s)):\n${issues.map((i) => `  ${i.path || "(pipeline)"}: ${i.message}`).join("\n")}`,
      {
        ...(issues[0] === undefined ? {} : { path: issues[0].path }),
        hint: 'Write the pipeline as { kind: "pipeline", name, steps: [...] } with every parameter of every step spelled out (see the step types, for example ResizeStep).',
      },
    );
    this.issues = Object.freeze(issues.map((issue) => Object.freeze({ ...issue })));
  }
}
