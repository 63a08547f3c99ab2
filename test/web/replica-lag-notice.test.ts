import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { expect, it } from "vitest";
import { ReplicaLagNotice } from "../../web/src/app/components/replica-lag.tsx";

/** The panel and reports pages say how old their figures are once a replica is a second behind. */
const notice = (replicaLagSeconds: number | null) =>
  renderToStaticMarkup(createElement(ReplicaLagNotice, { lag: { replicaLagSeconds } }));

it("says 'dados de há N s' from one second behind, in whole seconds", () => {
  expect(notice(3.7)).toContain("Dados de há 3 s");
  expect(notice(1)).toContain('role="status"');
});

it("says nothing when caught up, under a second behind, or read from the primary", () => {
  expect(notice(0)).toBe("");
  expect(notice(0.6)).toBe("");
  expect(notice(null)).toBe("");
});
