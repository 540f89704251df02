import { expect, test, type Page } from "@playwright/test";
import * as fs from "node:fs";
import * as path from "node:path";

const screenshots = path.resolve(__dirname, "..", "..", "..", "build", "screenshots");

/** Opens a notebook in the real JupyterLab, waits for its tslab kernel and runs every cell. */
async function openAndRunAll(page: Page, notebook: string): Promise<void> {
  await page.goto(`/lab/tree/${notebook}`);
  await expect(page.locator(".jp-NotebookPanel .jp-Notebook")).toBeVisible();
  // The kernel indicator reads "TypeScript | Idle" once tslab has started.
  await expect(page.locator(".jp-NotebookPanel-toolbar")).toContainText("TypeScript", { timeout: 60_000 });
  await page.waitForFunction(
    () => {
      const app = (window as unknown as { jupyterapp?: { shell: { currentWidget: unknown } } }).jupyterapp;
      const panel = app?.shell.currentWidget as
        { sessionContext?: { session?: { kernel?: { status: string } } } } | undefined;
      return panel?.sessionContext?.session?.kernel?.status === "idle";
    },
    undefined,
    { timeout: 60_000 },
  );
  await page.evaluate(() =>
    (
      window as unknown as { jupyterapp: { commands: { execute(id: string): Promise<unknown> } } }
    ).jupyterapp.commands.execute("notebook:run-all-cells"),
  );
}

test("radlab outputs render in a real JupyterLab with the tslab kernel", async ({ page }) => {
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(String(error)));

  await openAndRunAll(page, "renderers.ipynb");

  const outputs = page.locator(".jp-NotebookPanel .jp-OutputArea");
  const findings = outputs.locator(".radlab-table-output").filter({ hasText: "Findings in the teaching set" });
  await expect(findings.locator("tbody tr")).toHaveCount(4);
  await expect(findings.locator("thead th")).toHaveText(["finding", "images", "mean_age"]);
  await expect(findings.locator("tbody tr").first().locator("td")).toHaveText(["No Finding", "402", "46.2"]);
  await expect(findings.locator(".radlab-table-footer")).toHaveText("4 rows · 3 columns");

  // Sorting by a numeric column: ascending, then descending; the missing value stays last.
  await findings.locator("thead button", { hasText: "images" }).click();
  await expect(findings.locator("tbody tr td:first-child")).toHaveText([
    "Pneumothorax",
    "Effusion",
    "Atelectasis",
    "No Finding",
  ]);
  await findings.locator("thead button", { hasText: "mean_age" }).click();
  await findings.locator("thead button", { hasText: "mean_age" }).click();
  await expect(findings.locator("tbody tr td:first-child")).toHaveText([
    "Effusion",
    "Atelectasis",
    "No Finding",
    "Pneumothorax",
  ]);
  await expect(findings.locator("thead th").nth(2)).toHaveAttribute("aria-sort", "descending");

  // The progress bar was updated in place to its final state: one output, not 40.
  const bars = outputs.locator(".radlab-progress-output");
  await expect(bars).toHaveCount(1);
  await expect(bars.locator(".radlab-progress-text")).toHaveText(
    "Decoding: 40/40 files in 0:00, succeeded (40 files decoded)",
  );
  await expect(bars.locator(".radlab-progress-bar")).toHaveClass(/radlab-progress-succeeded/);

  // A payload sent as a JSON string by tslab's own API renders the same way.
  await expect(
    outputs.locator(".radlab-table-output").filter({ hasText: "a JSON string" }).locator("tbody tr"),
  ).toHaveCount(1);

  // A bad payload shows a clear message, not a blank.
  const invalid = outputs.locator(".radlab-payload-error");
  await expect(invalid).toContainText("the application/vnd.radlab.table+json payload is invalid");
  await expect(invalid.locator("li")).toHaveText([
    "version: expected one of 1, got the number 2",
    'columns: expected an array, got a string ("none")',
    "rows: expected an array, got nothing",
  ]);

  fs.mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: path.join(screenshots, "renderers.png"), fullPage: true });
  expect(consoleErrors.filter((e) => /radlab/i.test(e))).toEqual([]);
});
