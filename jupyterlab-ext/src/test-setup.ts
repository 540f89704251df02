// jsdom has no DragEvent, which @lumino/dragdrop (loaded by @lumino/widgets) subclasses at import.
if (typeof globalThis.DragEvent === "undefined") {
  class DragEventPolyfill extends MouseEvent {}
  (globalThis as { DragEvent?: unknown }).DragEvent = DragEventPolyfill;
}
