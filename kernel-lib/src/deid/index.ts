export { admit } from "./admission";
export type { Admission, AdmissionDeclaration } from "./admission";
