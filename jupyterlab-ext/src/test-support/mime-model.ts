import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";

/** A minimal MIME model carrying `data` under `mimeType`, as JupyterLab hands it to a renderer. */
export function mimeModel(mimeType: string, data: unknown): IRenderMime.IMimeModel {
  return {
    data: { [mimeType]: data },
    metadata: {},
    trusted: true,
    setData: () => undefined,
  } as unknown as IRenderMime.IMimeModel;
}
