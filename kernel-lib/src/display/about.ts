import { environmentInfo } from "../core/environment";
import { table, type Table } from "./table";

/**
 * A table of the radlab version, git commit, Node, tslab and machine, for the top of a notebook
 * and for bug reports.
 *
 * @example
 * ```ts
 * import { about, display } from "@radlab/kernel";
 * display(about());
 * ```
 */
export function about(): Table {
  const info = environmentInfo();
  const rows = [
    { item: "radlab", value: info.packageVersion },
    {
      item: "git commit",
      value:
        info.gitCommit === null
          ? "(not a git checkout)"
          : `${info.gitCommit.slice(0, 12)}${info.gitDirty === true ? " (modified)" : ""}`,
    },
    { item: "Node.js", value: info.node },
    { item: "tslab", value: info.tslab ?? "(not running in tslab)" },
    { item: "platform", value: info.platform },
    { item: "CPU", value: `${info.cpus} x ${info.cpuModel}` },
    { item: "memory", value: `${info.memoryGiB} GiB` },
  ];
  return table(rows, { caption: "radlab environment" });
}
