import { existsSync, readdirSync, statSync } from "node:fs";
import * as path from "node:path";
import { RadlabError } from "./radlab-error";

/**
 * Every regular file under a folder, recursively, sorted; symbolic links are not followed.
 *
 * @throws {@link RadlabError} `not-a-folder` when `folder` is not a folder.
 */
export function listFiles(folder: string): string[] {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new RadlabError("not-a-folder", `${folder} is not a folder.`, {
      file: folder,
      hint: "Give the folder that holds the files to ingest.",
    });
  }
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) out.push(full);
    }
  };
  walk(folder);
  return out.sort();
}
