import { expect, it } from "vitest";
import { replicaLagNotice } from "../../web/src/app/replica-lag.ts";

/** The panel and reports pages say how old their figures are once a replica is a second behind. */
const notice = (replicaLagSeconds: number | null) => replicaLagNotice({ replicaLagSeconds });

it("says 'dados de há N s' from one second behind, in whole seconds", () => {
  expect(notice(3.7)).toMatch(/^Dados de há 3 s/);
  expect(notice(1)).toMatch(/^Dados de há 1 s/);
});

it("says nothing when caught up, under a second behind, or read from the primary", () => {
  expect(notice(0)).toBeNull();
  expect(notice(0.6)).toBeNull();
  expect(notice(null)).toBeNull();
});
