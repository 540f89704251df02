import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import { RADLAB_MIME, tablePayloadSchema, type TablePayload } from "@radlab/kernel/contract";
import { PayloadRenderer } from "../payload-renderer";
import { formatCellText, nextSortState, rowCountText, sortedRowOrder, UNSORTED, type SortState } from "./table-model";

/** Renders {@link RADLAB_MIME}.table: a sortable table with sticky header and a row count. */
export class TableWidget extends PayloadRenderer<TablePayload> {
  private payload: TablePayload | null = null;
  private sort: SortState = UNSORTED;

  constructor() {
    super(tablePayloadSchema, "radlab-table-output");
  }

  protected override renderPayload(payload: TablePayload): void {
    this.payload = payload;
    this.sort = UNSORTED;
    this.draw();
  }

  protected override renderInvalid(): void {
    this.payload = null;
  }

  private onSort(column: number): void {
    this.sort = nextSortState(this.sort, column);
    this.draw();
    this.node.querySelector<HTMLButtonElement>(`button[data-column="${column}"]`)?.focus();
  }

  private draw(): void {
    const payload = this.payload;
    if (payload === null) return;
    const tableEl = document.createElement("table");
    tableEl.className = "radlab-table";
    if (payload.caption !== undefined) tableEl.createCaption().textContent = payload.caption;
    const headRow = tableEl.createTHead().insertRow();
    payload.columns.forEach((column, c) => {
      const th = document.createElement("th");
      th.scope = "col";
      const direction = this.sort.column === c ? this.sort.direction : "none";
      th.setAttribute("aria-sort", direction);
      const button = document.createElement("button");
      button.type = "button";
      button.dataset["column"] = String(c);
      button.title = `Sort by ${column.name}`;
      button.textContent = column.name;
      const marker = direction === "ascending" ? " ▲" : direction === "descending" ? " ▼" : "";
      if (marker !== "") button.append(marker);
      button.addEventListener("click", () => this.onSort(c));
      th.append(button);
      if (column.type === "number") th.classList.add("radlab-number");
      headRow.append(th);
    });
    const body = tableEl.createTBody();
    for (const r of sortedRowOrder(payload, this.sort)) {
      const tr = body.insertRow();
      payload.rows[r]?.forEach((cell, c) => {
        const td = tr.insertCell();
        td.textContent = formatCellText(cell);
        if (payload.columns[c]?.type === "number") td.classList.add("radlab-number");
        if (cell === null) td.classList.add("radlab-null");
      });
    }
    const scroller = document.createElement("div");
    scroller.className = "radlab-table-scroll";
    scroller.append(tableEl);
    const footer = document.createElement("div");
    footer.className = "radlab-table-footer";
    footer.textContent = `${rowCountText(payload)} · ${payload.columns.length} column${payload.columns.length === 1 ? "" : "s"}`;
    this.node.replaceChildren(scroller, footer);
  }
}

/** The renderer factory of table payloads. */
export const tableRendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [RADLAB_MIME.table],
  createRenderer: () => new TableWidget(),
};
