export { brushToMask, decodeLabelStudioRle, encodeLabelStudioRle, maskToBrush } from "./label-studio-rle";
export type { LabelStudioRleOptions } from "./label-studio-rle";
