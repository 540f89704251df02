/** An option of a command: `--name <value>` (string) or `--name` (boolean). */
export interface OptionSpec {
  readonly type: "string" | "boolean";
  /** For string options: what the value is, shown in the usage line (`file`, `folder`, `url`). */
  readonly value?: string;
  readonly description: string;
}

/** A command of `radlab`: its arguments (all required, in order), options and help text. */
export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly positionals: readonly { readonly name: string; readonly description: string }[];
  /** The last positional takes one or more values (`<paths>...`). */
  readonly variadic?: boolean;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Paragraphs shown after the options by `radlab help <command>`. */
  readonly notes: readonly string[];
}

/** The values a command line gave for the options of `S`: strings for string options, booleans for flags. */
export type OptionValues<S extends CommandSpec> = {
  readonly [K in keyof S["options"]]: S["options"][K]["type"] extends "boolean" ? boolean : string | undefined;
};

/** The one-line usage of a command: `radlab deid <input> <output> [--profile <file>] ...`. */
export function usageLine(spec: CommandSpec): string {
  const options = Object.entries(spec.options).map(([name, o]) =>
    o.type === "boolean" ? `[--${name}]` : `[--${name} <${o.value ?? "value"}>]`,
  );
  const positionals = spec.positionals.map((p, i) =>
    spec.variadic === true && i === spec.positionals.length - 1 ? `<${p.name}>...` : `<${p.name}>`,
  );
  return ["usage: radlab", spec.name, ...positionals, ...options].join(" ");
}

/** The full help of a command, as `radlab help <command>` prints it. */
export function commandHelp(spec: CommandSpec): string {
  const rows = [
    ...spec.positionals.map((p) => [`<${p.name}>`, p.description] as const),
    ...Object.entries(spec.options).map(
      ([name, o]) => [o.type === "boolean" ? `--${name}` : `--${name} <${o.value ?? "value"}>`, o.description] as const,
    ),
    ["--help", "show this help"] as const,
  ];
  const width = Math.max(...rows.map(([left]) => left.length));
  return [
    usageLine(spec),
    "",
    ...wrap(spec.summary),
    "",
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`),
    ...spec.notes.flatMap((note) => ["", ...wrap(note)]),
    "",
  ].join("\n");
}

/** Breaks a paragraph into lines of at most `width` characters, at spaces. */
function wrap(paragraph: string, width = 100): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of paragraph.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines;
}
