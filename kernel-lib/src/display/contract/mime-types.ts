/**
 * The MIME types radlab emits and its JupyterLab extension renders. This is the one place they are
 * defined; `@radlab/jupyterlab` imports them from `@radlab/kernel/contract`.
 */
export const RADLAB_MIME = Object.freeze({
  /** A table of rows (a query result, a dataframe, an environment report). */
  table: "application/vnd.radlab.table+json",
  /** A progress bar for long work, updated in place through a display id. */
  progress: "application/vnd.radlab.progress+json",
} as const);

/** One of the MIME types in {@link RADLAB_MIME}. */
export type RadlabMimeType = (typeof RADLAB_MIME)[keyof typeof RADLAB_MIME];
