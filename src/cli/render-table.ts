/** How a column's cells are padded. */
export type ColumnAlignment = 'left' | 'right';

/**
 * Columns aligned by padding, two spaces apart, no trailing spaces; a header row when given. Widths
 * count code points, so a `≤` or a block character takes one column as on a terminal.
 */
export function renderTable(
  rows: readonly (readonly string[])[],
  header?: readonly string[],
  alignments: readonly ColumnAlignment[] = [],
): string {
  const all = header === undefined ? rows : [header, ...rows];
  const columns = Math.max(0, ...all.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, column) =>
    Math.max(0, ...all.map((row) => [...(row[column] ?? '')].length)),
  );
  const pad = (cell: string, column: number): string => {
    const padding = ' '.repeat((widths[column] ?? 0) - [...cell].length);
    return alignments[column] === 'right' ? padding + cell : cell + padding;
  };
  return all.map((row) => `${row.map(pad).join('  ').trimEnd()}\n`).join('');
}
