import type { ReactNode } from "react";

/**
 * A table that may scroll sideways on a narrow screen, reachable by keyboard (axe's
 * scrollable-region-focusable, WCAG 2.1.1): focusable and named (as its table's caption), so arrow keys
 * scroll it and a screen reader says what it holds.
 */
export function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus to be scrolled by keyboard
    <section className="table-scroll" tabIndex={0} aria-label={label}>
      {children}
    </section>
  );
}
