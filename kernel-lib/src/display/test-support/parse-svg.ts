import { createRequire } from "node:module";
import { expect } from "vitest";

/** The small part of jsdom's API the SVG tests use (jsdom ships no type declarations here). */
export interface XmlElement {
  readonly nodeName: string;
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
  getElementsByTagName(name: string): ArrayLike<XmlElement>;
  querySelectorAll(selector: string): ArrayLike<XmlElement>;
}
interface JsdomModule {
  JSDOM: new (html: string) => {
    window: { DOMParser: new () => { parseFromString(text: string, type: string): { documentElement: XmlElement } } };
  };
}
const { JSDOM } = createRequire(__filename)("jsdom") as JsdomModule;
const parser = new new JSDOM("").window.DOMParser();

/**
 * Parses an SVG with jsdom's strict XML parser; fails the test with the parser's message when it
 * is not a string or not well-formed, or its root is not `<svg>`.
 */
export function parseSvg(svg: unknown): XmlElement {
  expect(typeof svg).toBe("string");
  const root = parser.parseFromString(svg as string, "image/svg+xml").documentElement;
  expect(root.nodeName === "parsererror" ? root.textContent : "well-formed").toBe("well-formed");
  expect(root.nodeName).toBe("svg");
  return root;
}

/** Every element under `root` that matches a CSS selector. */
export const all = (root: XmlElement, selector: string): XmlElement[] => Array.from(root.querySelectorAll(selector));
