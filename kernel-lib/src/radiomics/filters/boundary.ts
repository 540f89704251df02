import { RadiomicsError } from "../radiomics-error";

/**
 * How a filter reads the image beyond its edge (IBSI-2's boundary conditions, arXiv 2006.05470),
 * shown for the row `a b c d`:
 * - `zero`: IBSI-2's constant-value padding with 0 (`0 0 | a b c d | 0 0`);
 * - `nearest`: the edge voxel repeated (`a a | a b c d | d d`);
 * - `periodic`: the image repeated (`c d | a b c d | a b`);
 * - `mirror`: the image mirrored about its edge, the edge voxel included (`b a | a b c d | d c`),
 *   which numpy and PyWavelets call `symmetric` and scipy.ndimage calls `reflect`.
 */
export type BoundaryMode = "zero" | "nearest" | "periodic" | "mirror";

/** Every {@link BoundaryMode}, in IBSI-2's order. */
export const BOUNDARY_MODES: readonly BoundaryMode[] = Object.freeze(["zero", "nearest", "periodic", "mirror"]);

/** Software whose padding names {@link boundaryModeFromTool} translates. */
export type PaddingTool = "numpy" | "scipy" | "pywavelets" | "simpleitk" | "matlab";

/**
 * Each tool's name for each {@link BoundaryMode}: numpy's `np.pad` modes, scipy.ndimage's `mode`,
 * PyWavelets' signal-extension modes, SimpleITK's boundary-condition classes and MATLAB's
 * `padarray`/`imfilter` options. Modes a tool spells in several ways list every spelling.
 *
 * Beware the false friends: numpy's and PyWavelets' `reflect` and scipy's `mirror` leave the edge
 * voxel out (`c b | a b c d | c b`), which is none of IBSI-2's modes, and PyWavelets' `constant`
 * is the edge value repeated (`nearest`), not zero.
 */
export const TOOL_BOUNDARY_NAMES: Readonly<Record<PaddingTool, Readonly<Record<BoundaryMode, readonly string[]>>>> =
  Object.freeze({
    numpy: { zero: ["constant"], nearest: ["edge"], periodic: ["wrap"], mirror: ["symmetric"] },
    scipy: { zero: ["constant"], nearest: ["nearest"], periodic: ["wrap", "grid-wrap"], mirror: ["reflect"] },
    pywavelets: { zero: ["zero"], nearest: ["constant"], periodic: ["periodic"], mirror: ["symmetric"] },
    simpleitk: {
      zero: ["ConstantBoundaryCondition"],
      nearest: ["ZeroFluxNeumannBoundaryCondition"],
      periodic: ["PeriodicBoundaryCondition"],
      mirror: [],
    },
    matlab: { zero: ["0"], nearest: ["replicate"], periodic: ["circular"], mirror: ["symmetric"] },
  });

/**
 * The {@link BoundaryMode} a tool's padding name stands for.
 *
 * @param tool - The software that names the mode.
 * @param name - Its name there, case as the tool writes it (for example scipy's `reflect`).
 * @throws {@link RadiomicsError} `settings` for a name the tool does not have, or one (such as
 *   scipy's `mirror`) that is none of IBSI-2's modes.
 *
 * @example
 * ```ts
 * import { boundaryModeFromTool } from "@radlab/kernel";
 * boundaryModeFromTool("scipy", "reflect"); // "mirror"
 * boundaryModeFromTool("pywavelets", "periodization"); // throws: not a padding of the same-size output
 * ```
 */
export function boundaryModeFromTool(tool: PaddingTool, name: string): BoundaryMode {
  const names = TOOL_BOUNDARY_NAMES[tool];
  if (names === undefined) {
    throw new RadiomicsError("settings", `Unknown padding tool ${JSON.stringify(tool)}`, {
      path: "tool",
      hint: `Choose from ${Object.keys(TOOL_BOUNDARY_NAMES).join(", ")}.`,
    });
  }
  const mode = BOUNDARY_MODES.find((m) => names[m].includes(name));
  if (mode !== undefined) return mode;
  const known = BOUNDARY_MODES.flatMap((m) => names[m].map((n) => `${n} (${m})`));
  throw new RadiomicsError("settings", `${tool} padding ${JSON.stringify(name)} is none of IBSI-2's boundary modes`, {
    path: "boundary",
    hint: `${tool}'s names for IBSI-2's modes are ${known.join(", ")}.`,
  });
}

/**
 * Checks that a value is a {@link BoundaryMode}, so that a misspelt mode fails instead of
 * silently padding another way.
 *
 * @throws {@link RadiomicsError} `settings` with `path` and the modes accepted.
 */
export function checkBoundaryMode(value: unknown, path = "boundary"): asserts value is BoundaryMode {
  if (!BOUNDARY_MODES.includes(value as BoundaryMode)) {
    throw new RadiomicsError(
      "settings",
      `${path} must be one of ${BOUNDARY_MODES.join(", ")}, not ${JSON.stringify(value)}`,
      {
        path,
        hint: "IBSI-2 names four paddings: zero, nearest, periodic and mirror (numpy's symmetric).",
      },
    );
  }
}

/**
 * The index inside `[0, length)` that position `index` of the padded row reads under `mode`, or
 * -1 where zero padding reads 0.
 *
 * @example
 * ```ts
 * import { boundaryIndex } from "./boundary";
 * [-2, -1, 4, 5].map((i) => boundaryIndex("mirror", i, 4)); // [1, 0, 3, 2]
 * ```
 */
export function boundaryIndex(mode: BoundaryMode, index: number, length: number): number {
  if (index >= 0 && index < length) return index;
  switch (mode) {
    case "zero":
      return -1;
    case "nearest":
      return index < 0 ? 0 : length - 1;
    case "periodic":
      return ((index % length) + length) % length;
    case "mirror": {
      const period = 2 * length;
      const m = ((index % period) + period) % period;
      return m < length ? m : period - 1 - m;
    }
  }
}
