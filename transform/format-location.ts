/** `file:line` when the line is known, else `file` (the prefix of every definition problem). */
export function formatLocation(file: string, line: number | undefined): string {
  return line === undefined ? file : `${file}:${line}`;
}
