import { formatIssuePath, type ValidationIssue } from "@radlab/kernel/contract";

/**
 * Fills `node` with a visible explanation of an invalid payload, so that a bad payload shows a
 * clear message in the output area rather than a blank.
 */
export function renderPayloadError(node: HTMLElement, mimeType: string, issues: readonly ValidationIssue[]): void {
  node.replaceChildren();
  node.classList.add("radlab-payload-error");
  node.setAttribute("role", "alert");
  const title = document.createElement("strong");
  title.textContent = `radlab cannot show this output: the ${mimeType} payload is invalid.`;
  const list = document.createElement("ul");
  for (const issue of issues.slice(0, 20)) {
    const item = document.createElement("li");
    item.textContent = `${formatIssuePath(issue.path)}: ${issue.message}`;
    list.append(item);
  }
  const advice = document.createElement("p");
  advice.textContent =
    "The kernel library and the JupyterLab extension may be of different versions; reinstall both from the same radlab release.";
  node.append(title, list, advice);
}
