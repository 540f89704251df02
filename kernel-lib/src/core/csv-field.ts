/**
 * One CSV field (RFC 4180): quoted, with its quotes doubled, when it holds a comma, a quote or a
 * line break; as it is otherwise.
 *
 * @example
 * ```ts
 * csvField('say "hi", then go'); // '"say ""hi"", then go"'
 * ```
 */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
