import { RadiomicsError } from "../radiomics-error";

/** The RadiomicsError `f` throws (the test fails if it throws something else, or nothing). */
export function thrown(f: () => unknown): RadiomicsError {
  try {
    f();
  } catch (error) {
    if (error instanceof RadiomicsError) return error;
    throw error;
  }
  throw new Error("expected a RadiomicsError");
}

/** The RadiomicsError the promise `f` returns rejects with. */
export async function rejected(f: () => Promise<unknown>): Promise<RadiomicsError> {
  try {
    await f();
  } catch (error) {
    if (error instanceof RadiomicsError) return error;
    throw error;
  }
  throw new Error("expected a RadiomicsError");
}
