export { RadlabError } from "./radlab-error";
export type { ErrorEvidence, RadlabErrorOptions } from "./radlab-error";
export { codeVersion, environmentInfo, runningTslabVersion } from "./environment";
export type { CodeVersion, EnvironmentInfo } from "./environment";
export { editDistance } from "./edit-distance";
