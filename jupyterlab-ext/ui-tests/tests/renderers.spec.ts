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

  // Plotly figures are drawn interactively by plotly.js (loaded on the first figure), not shown as
  // the static SVG that the same bundles carry.
  const figures = outputs.locator(".radlab-plotly-output");
  await expect(figures.locator(".js-plotly-plot")).toHaveCount(3);
  await expect(outputs.locator(".jp-RenderedSVG")).toHaveCount(0);
  await expect(figures.locator(".radlab-plotly-loading")).toHaveCount(0);

  const confusion = figures.filter({ hasText: "Effusion classifier: accuracy 83.3% (10 of 12)" });
  await expect(confusion.locator(".heatmaplayer .hm")).toHaveCount(1);
  await expect(confusion.locator(".xtitle")).toHaveText("Predicted class");
  await expect(confusion.locator(".ytitle")).toHaveText("True class");
  // The class names label both axes (in plotly's DOM order; the hover below checks the orientation).
  const tickLabels = async (axis: "x" | "y") =>
    (await confusion.locator(`.${axis}axislayer-above .${axis}tick`).allTextContents()).filter((t) => t !== "").sort();
  await expect.poll(() => tickLabels("x")).toEqual(["effusion", "normal"]);
  await expect.poll(() => tickLabels("y")).toEqual(["effusion", "normal"]);
  await expect(confusion.locator(".colorbar")).toContainText("% of each true class");
  await expect(confusion.locator(".modebar")).toHaveCount(1);
  await expect(confusion.locator(".plotlyjsicon")).toHaveCount(0);

  // Hovering a cell shows its label: the top-right cell is true normal, predicted effusion (y reversed).
  const plotArea = confusion.locator(".nsewdrag").first();
  await plotArea.scrollIntoViewIfNeeded();
  const area = await plotArea.boundingBox();
  expect(area).not.toBeNull();
  if (area !== null) await page.mouse.move(area.x + area.width * 0.75, area.y + area.height * 0.25);
  const hover = confusion.locator(".hoverlayer .hovertext");
  await expect(hover).toHaveCount(1);
  await expect(hover).toContainText("true normal");
  await expect(hover).toContainText("predicted effusion");
  await expect(hover).toContainText("1 (16.7%)");
  await confusion.screenshot({ path: path.join(screenshots, "renderers-confusion-matrix.png") });
  await page.mouse.move(0, 0);
  await expect(hover).toHaveCount(0);

  const roc = figures.filter({ hasText: "ROC curve" });
  await expect(roc.locator(".scatterlayer .trace")).toHaveCount(3);
  await expect(roc.locator(".legendtext")).toHaveText([
    "DenseNet-121: AUC 0.861",
    "Logistic regression: AUC 0.819",
    "Chance (AUC 0.500)",
  ]);
  await expect(roc.locator(".xtitle")).toHaveText("False-positive rate (1 − specificity)");
  await expect(roc.locator(".ytitle")).toHaveText("True-positive rate (sensitivity)");
  await roc.scrollIntoViewIfNeeded();
  await roc.screenshot({ path: path.join(screenshots, "renderers-roc.png") });

  // A figure sent as a JSON string, without a width, fills the output area and follows it when the
  // area changes size without the window changing (the left sidebar toggled): the renderer's resize.
  const perFinding = figures.filter({ hasText: "Images per finding" });
  await expect(perFinding.locator(".barlayer .point")).toHaveCount(4);
  const svgWidth = async () => Number(await perFinding.locator(".main-svg").first().getAttribute("width"));
  const outputWidth = async () => (await perFinding.boundingBox())?.width ?? 0;
  await expect.poll(async () => Math.abs((await svgWidth()) - (await outputWidth()))).toBeLessThan(2);
  const before = await svgWidth();
  await page.evaluate(() =>
    (
      window as unknown as { jupyterapp: { commands: { execute(id: string): Promise<unknown> } } }
    ).jupyterapp.commands.execute("application:toggle-left-area"),
  );
  await expect.poll(svgWidth).not.toBe(before);
  await expect.poll(async () => Math.abs((await svgWidth()) - (await outputWidth()))).toBeLessThan(2);

  // The figures follow the JupyterLab theme: text in the theme's font colour, redrawn on a change.
  const titleFill = () => roc.locator(".gtitle").evaluate((e) => getComputedStyle(e).fill);
  const themeFontColour = () =>
    page.evaluate(() => getComputedStyle(document.body).getPropertyValue("--jp-ui-font-color1").trim());
  expect(await themeFontColour()).toBe("rgba(0, 0, 0, 0.87)");
  await expect.poll(titleFill).toBe("rgb(0, 0, 0)");
  await page.evaluate(() =>
    (
      window as unknown as { jupyterapp: { commands: { execute(id: string, args: object): Promise<unknown> } } }
    ).jupyterapp.commands.execute("apputils:change-theme", { theme: "JupyterLab Dark" }),
  );
  await expect.poll(themeFontColour).toBe("rgba(255, 255, 255, 0.87)");
  await expect.poll(titleFill).toBe("rgb(255, 255, 255)");
  await roc.scrollIntoViewIfNeeded();
  await roc.screenshot({ path: path.join(screenshots, "renderers-roc-dark.png") });

  expect(consoleErrors.filter((e) => /radlab|plotly/i.test(e))).toEqual([]);
});
