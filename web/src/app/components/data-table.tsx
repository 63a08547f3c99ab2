import { type ReactNode, useId } from "react";
import { ScrollRegion } from "./scroll-region.tsx";

/** A column heading; amounts and counts are `numeric`, so they align right like the cells below. */
export interface Column {
  label: ReactNode;
  numeric?: boolean;
}

/**
 * A captioned table of rows, or the page's "nothing here" line when there are none: every list
 * of the dashboard reads the same way to a screen reader (caption, column headings, one row each).
 * A table wider than the screen scrolls inside its own box, never the whole page, and that box
 * then takes keyboard focus (ScrollRegion).
 */
export function DataTable<Row>({
  caption,
  columns,
  rows,
  rowKey,
  cells,
  empty,
  captionHidden = false,
  scrollLabel,
}: {
  caption: ReactNode;
  columns: readonly Column[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  cells: (row: Row, index: number) => ReactNode;
  empty: ReactNode;
  /** For a table under a heading that already says what it is: the caption is for screen readers only. */
  captionHidden?: boolean;
  /**
   * For a table wide enough to scroll on a phone: the box becomes a focusable region with this name
   * (ScrollRegion), so the keyboard can scroll it too.
   */
  scrollLabel?: string;
}) {
  const captionId = useId();
  if (rows.length === 0) return <p>{empty}</p>;
  const table = (
    <table>
      <caption id={captionId} className={captionHidden ? "visually-hidden" : undefined}>
        {caption}
      </caption>
      <thead>
        <tr>
          {columns.map((column, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed for the table's life
            <th key={index} scope="col" className={column.numeric ? "number" : undefined}>
              {column.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, index) => (
          <tr key={rowKey(row)}>{cells(row, index)}</tr>
        ))}
      </tbody>
    </table>
  );
  if (scrollLabel) return <ScrollRegion label={scrollLabel}>{table}</ScrollRegion>;
  return <ScrollRegion labelledBy={captionId}>{table}</ScrollRegion>;
}
