import { describe, expect, it } from "vitest";
import {
  contributions,
  type PaymentModel,
  priorModel,
  SCORE_FEATURES,
  withEveryFeature,
} from "../../src/domain/payment-model.ts";

describe("a model stored before a feature existed", () => {
  it("scores with every feature, the new one weighing nothing until it is trained", () => {
    const current = priorModel();
    // as stored before messages_opened: the key is simply absent
    const { messages_opened: _c, ...coefficients } = current.coefficients;
    const { messages_opened: _m, ...means } = current.means;
    const { messages_opened: _s, ...scales } = current.scales;
    const stored = { ...current, coefficients, means, scales } as unknown as PaymentModel;
    const model = withEveryFeature(stored);
    expect(Object.keys(model.coefficients)).toEqual([...SCORE_FEATURES]);
    expect([
      model.coefficients.messages_opened,
      model.means.messages_opened,
      model.scales.messages_opened,
    ]).toEqual([0, 0, 1]);
    const features = SCORE_FEATURES.map((_, index) => index + 1);
    const parts = contributions(model, features);
    expect(parts.every(Number.isFinite)).toBe(true);
    expect(parts[SCORE_FEATURES.indexOf("messages_opened")]).toBe(0);
    // a complete model is left as it was
    expect(withEveryFeature(current)).toEqual(current);
  });
});
