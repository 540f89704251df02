import { describe, expect, it } from "vitest";
import { commandHelp, usageLine } from "./command-spec";
import { DEID_COMMAND } from "./deid-command";
import { KEYGEN_COMMAND } from "./keygen-command";
import { parseCommandLine } from "./parse-command-line";
import { UsageError } from "./usage-error";

function failure(args: readonly string[]): string {
  try {
    parseCommandLine(DEID_COMMAND, args);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).command).toBe("deid");
    expect((error as UsageError).code).toBe("cli-usage");
    return (error as UsageError).message;
  }
  throw new Error(`parseCommandLine accepted ${args.join(" ")}`);
}

describe("parseCommandLine", () => {
  it("reads arguments, string options (separate or inline) and flags, with defaults for the rest", () => {
    const parsed = parseCommandLine(DEID_COMMAND, ["in", "--profile", "p.json", "out", "--key=k", "--scan-all-pixels"]);
    expect(parsed).toEqual({
      help: false,
      positionals: ["in", "out"],
      options: {
        profile: "p.json",
        enrollment: undefined,
        key: "k",
        vault: undefined,
        reports: undefined,
        mapping: undefined,
        "scan-all-pixels": true,
        json: false,
      },
    });
  });

  it("takes what follows -- as arguments, even when it starts with a dash", () => {
    expect(parseCommandLine(DEID_COMMAND, ["in", "--", "-out"]).positionals).toEqual(["in", "-out"]);
  });

  it("names the option or argument at fault", () => {
    expect(failure(["in", "out", "--profil", "p.json"])).toBe("radlab deid: unknown option --profil");
    expect(failure(["-p", "x", "in", "out"])).toBe("radlab deid: unknown option -p");
    expect(failure(["in", "out", "--profile"])).toBe("radlab deid: option --profile needs a value: --profile <file>");
    expect(failure(["in", "out", "--profile", "--key", "k"])).toBe(
      "radlab deid: option --profile needs a value: --profile <file>",
    );
    expect(failure(["in", "out", "--key="])).toBe("radlab deid: option --key needs a value: --key <file>");
    expect(failure(["in", "out", "--json=yes"])).toBe("radlab deid: option --json takes no value");
    expect(failure(["in", "out", "--key", "a", "--key", "b"])).toBe("radlab deid: option --key is given twice");
    expect(failure([])).toBe("radlab deid: missing <input> (the folder of DICOM files to de-identify (read only))");
    expect(failure(["in"])).toBe(
      "radlab deid: missing <output> (the folder for de-identified files (outside <input>))",
    );
    expect(failure(["in", "out", "extra"])).toBe("radlab deid: unexpected argument extra");
  });

  it("gives --help precedence over everything else on the line", () => {
    expect(parseCommandLine(DEID_COMMAND, ["--bogus", "--help"]).help).toBe(true);
    expect(parseCommandLine(KEYGEN_COMMAND, ["--help"])).toEqual({
      help: true,
      positionals: [],
      options: { out: undefined },
    });
  });
});

describe("usage and help", () => {
  it("lists every argument and option", () => {
    expect(usageLine(KEYGEN_COMMAND)).toBe("usage: radlab keygen [--out <file>]");
    expect(usageLine(DEID_COMMAND)).toBe(
      "usage: radlab deid <input> <output> [--profile <file>] [--enrollment <csv>] [--key <file>] [--vault <file>] " +
        "[--reports <folder>] [--mapping <folder>] [--scan-all-pixels] [--json]",
    );
    const help = commandHelp(KEYGEN_COMMAND).split("\n");
    expect(help.slice(0, 7)).toEqual([
      "usage: radlab keygen [--out <file>]",
      "",
      "Make a new random encryption key (32 bytes as 64 hex digits) for the re-identification key: give it",
      "to `radlab deid --key <file>` or put it in RADLAB_DEID_KEY.",
      "",
      "  --out <file>  write the key to this new file (mode 0600); without it the key is printed on stdout",
      "  --help        show this help",
    ]);
    expect(commandHelp(DEID_COMMAND)).toContain("  --scan-all-pixels   OCR every image for burned-in text");
  });
});
