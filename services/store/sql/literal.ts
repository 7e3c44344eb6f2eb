/**
 * SQL literals for PGlite's `execute name(…)`: EXECUTE takes no bind parameters, so a prepared
 * statement's values are written into its text. The statement texts are fixed
 * (prepared-statements.ts); only values pass through here.
 */

/**
 * A string as an SQL literal, exactly as pg's `escapeLiteral` writes it (quotes doubled; with a
 * backslash, backslashes doubled in an E'' string), without its walk character by character: the
 * values of a command's statements (snapshots, the held-back rows as JSON) are kilobytes long.
 */
export function quoteLiteral(text: string): string {
  const quoted = text.replace(/'/g, "''");
  return text.includes('\\') ? ` E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}

/** One value of a prepared statement as a literal. */
export function sqlLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return quoteLiteral(String(v));
}

/** `execute name(v1, v2, …)` of a statement prepared as `name`. */
export const executeText = (name: string, values: readonly unknown[]): string => `execute ${name}(${values.map(sqlLiteral).join(', ')})`;
