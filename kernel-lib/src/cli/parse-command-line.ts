import { parseArgs } from "node:util";
import type { CommandSpec, OptionValues } from "./command-spec";
import { UsageError } from "./usage-error";

/** A parsed command line: the arguments in order and the value of every option. */
export interface ParsedCommandLine<S extends CommandSpec> {
  /** `--help` was given: show the command's help and ignore the rest. */
  readonly help: boolean;
  /** One value per positional of the spec, in order. */
  readonly positionals: readonly string[];
  readonly options: OptionValues<S>;
}

/**
 * Parses the arguments of one command against its spec (with `node:util`'s `parseArgs` for the
 * tokens; the checks are ours, so that every message names the option at fault): an unknown
 * option, a string option without a value (`--profile` last, or followed by another option), a
 * value given to a flag, an option given twice, a missing or extra argument. `--help` anywhere wins.
 *
 * @throws {@link UsageError} naming the option or argument at fault.
 * @example
 * ```ts
 * const parsed = parseCommandLine(KEYGEN_COMMAND, ["--out", "/secure/deid.key"]);
 * parsed.options.out; // "/secure/deid.key"
 * ```
 */
export function parseCommandLine<S extends CommandSpec>(spec: S, args: readonly string[]): ParsedCommandLine<S> {
  const fail = (message: string): never => {
    throw new UsageError(spec.name, `radlab ${spec.name}: ${message}`);
  };
  // Without `strict`, parseArgs reports every token instead of stopping at the first problem with
  // its own wording; the types below let it know which options take a value.
  const { tokens } = parseArgs({
    args: [...args],
    options: Object.fromEntries(Object.entries(spec.options).map(([name, o]) => [name, { type: o.type }])),
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  if (tokens.some((t) => t.kind === "option" && t.name === "help" && t.rawName === "--help")) {
    return { help: true, positionals: [], options: defaults(spec) };
  }
  const values = new Map<string, string | boolean>();
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === "positional") {
      positionals.push(token.value);
      continue;
    }
    if (token.kind !== "option") continue;
    const option = Object.hasOwn(spec.options, token.name) ? spec.options[token.name] : undefined;
    if (option === undefined || token.rawName.length === 2) fail(`unknown option ${token.rawName}`);
    if (values.has(token.name)) fail(`option --${token.name} is given twice`);
    if (option?.type === "boolean") {
      if (token.value !== undefined) fail(`option --${token.name} takes no value`);
      values.set(token.name, true);
    } else {
      const value = token.value;
      if (value === undefined || value === "" || (token.inlineValue !== true && value.startsWith("-"))) {
        fail(`option --${token.name} needs a value: --${token.name} <${option?.value ?? "value"}>`);
      }
      values.set(token.name, value ?? "");
    }
  }
  const wanted = spec.positionals;
  if (positionals.length < wanted.length) {
    const missing = wanted[positionals.length];
    fail(`missing <${missing?.name ?? ""}> (${missing?.description ?? ""})`);
  }
  if (positionals.length > wanted.length && spec.variadic !== true)
    fail(`unexpected argument ${positionals[wanted.length] ?? ""}`);
  const options: Record<string, string | boolean | undefined> = { ...defaults(spec) };
  for (const [name, value] of values) options[name] = value;
  return { help: false, positionals, options: options as OptionValues<S> };
}

function defaults<S extends CommandSpec>(spec: S): OptionValues<S> {
  return Object.fromEntries(
    Object.entries(spec.options).map(([name, o]) => [name, o.type === "boolean" ? false : undefined]),
  ) as OptionValues<S>;
}
