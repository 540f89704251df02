import { describe, expect, it } from "vitest";
import { mimeModel } from "../test-support/mime-model";
import { TableWidget } from "./table-widget";

const MIME = "application/vnd.radlab.table+json";

const model = (data: unknown) => mimeModel(MIME, data);

const payload = {
  version: 1,
  columns: [
    { name: "finding", type: "string" },
    { name: "images", type: "number" },
  ],
  rows: [
    ["No Finding", 402],
    ["Effusion", 61],
    ["Pneumothorax", null],
  ],
  totalRows: 3,
  caption: "Findings",
};

const texts = (nodes: NodeListOf<Element>) => [...nodes].map((n) => n.textContent);

describe("TableWidget", () => {
  it("renders a payload given as an object or as tslab's JSON string", async () => {
    for (const data of [payload, JSON.stringify(payload)]) {
      const widget = new TableWidget();
      await widget.renderModel(model(data));
      const node = widget.node;
      expect(node.querySelector("caption")?.textContent).toBe("Findings");
      expect(texts(node.querySelectorAll("thead th"))).toEqual(["finding", "images"]);
      expect(texts(node.querySelectorAll("tbody tr td:first-child"))).toEqual([
        "No Finding",
        "Effusion",
        "Pneumothorax",
      ]);
      expect(node.querySelectorAll("td.radlab-null").length).toBe(1);
      expect(node.querySelector(".radlab-table-footer")?.textContent).toBe("3 rows · 2 columns");
    }
  });

  it("sorts when a header is clicked and says so to assistive technology", async () => {
    const widget = new TableWidget();
    await widget.renderModel(model(payload));
    const header = () => widget.node.querySelector<HTMLButtonElement>('button[data-column="1"]');
    header()?.click();
    expect(texts(widget.node.querySelectorAll("tbody tr td:first-child"))).toEqual([
      "Effusion",
      "No Finding",
      "Pneumothorax",
    ]);
    expect(widget.node.querySelectorAll("th")[1]?.getAttribute("aria-sort")).toBe("ascending");
    expect(header()?.textContent).toBe("images ▲");
    header()?.click();
    expect(texts(widget.node.querySelectorAll("tbody tr td:first-child"))).toEqual([
      "No Finding",
      "Effusion",
      "Pneumothorax",
    ]);
    expect(widget.node.querySelectorAll("th")[1]?.getAttribute("aria-sort")).toBe("descending");
  });

  it("shows every issue of an invalid payload instead of a blank output", async () => {
    const widget = new TableWidget();
    await widget.renderModel(model({ version: 1, columns: [], rows: "x" }));
    expect(widget.node.getAttribute("role")).toBe("alert");
    expect(widget.node.querySelector("strong")?.textContent).toBe(
      "radlab cannot show this output: the application/vnd.radlab.table+json payload is invalid.",
    );
    expect(texts(widget.node.querySelectorAll("li"))).toEqual(['rows: expected an array, got a string ("x")']);
  });

  it("recovers when a display is updated from an invalid payload to a valid one", async () => {
    const widget = new TableWidget();
    await widget.renderModel(model("{"));
    expect(widget.node.classList.contains("radlab-payload-error")).toBe(true);
    await widget.renderModel(model(payload));
    expect(widget.node.classList.contains("radlab-payload-error")).toBe(false);
    expect(widget.node.hasAttribute("role")).toBe(false);
    expect(widget.node.querySelectorAll("tbody tr").length).toBe(3);
  });
});
