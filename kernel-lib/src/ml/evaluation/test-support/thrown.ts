import { EvaluationError } from "../evaluation-error";

/** The EvaluationError `f` throws (a test fails if it throws something else, or nothing). */
export function thrown(f: () => unknown): EvaluationError {
  try {
    f();
  } catch (error) {
    if (error instanceof EvaluationError) return error;
    throw error;
  }
  throw new Error("expected an EvaluationError");
}
