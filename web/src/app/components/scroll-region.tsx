import { type ReactNode, useLayoutEffect, useRef, useState } from "react";

/**
 * A table that may scroll sideways on a narrow screen, reachable by keyboard (axe's
 * scrollable-region-focusable, WCAG 2.1.1). Named by `label`: always a focusable, named section, so
 * arrow keys scroll it and a screen reader says what it holds. Named by `labelledBy` (its table's
 * caption): a plain box while everything fits, and a focusable region only while it scrolls, so a
 * table that fits adds no stop to the tab order.
 */
export function ScrollRegion({
  label,
  labelledBy,
  children,
}: {
  label?: string;
  labelledBy?: string;
  children: ReactNode;
}) {
  const box = useRef<HTMLDivElement>(null);
  const scrolls = useScrolls(box, label === undefined);
  if (label !== undefined) {
    return (
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus to be scrolled by keyboard
      <section className="table-scroll" tabIndex={0} aria-label={label}>
        {children}
      </section>
    );
  }
  return (
    <div
      ref={box}
      className="table-scroll"
      {...(scrolls ? { role: "region", tabIndex: 0, "aria-labelledby": labelledBy } : {})}
    >
      {children}
    </div>
  );
}

/** Whether the box is narrower than its content, followed as the window or the content resizes. */
function useScrolls(box: React.RefObject<HTMLDivElement | null>, enabled: boolean): boolean {
  const [scrolls, setScrolls] = useState(false);
  useLayoutEffect(() => {
    const element = box.current;
    if (!enabled || !element) return;
    const measure = () => setScrolls(element.scrollWidth > element.clientWidth);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    if (element.firstElementChild) observer.observe(element.firstElementChild);
    return () => observer.disconnect();
  }, [box, enabled]);
  return scrolls;
}
