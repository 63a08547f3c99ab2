import { readFileSync } from "node:fs";
import { z } from "zod";
import { ARCHETYPES, type BehaviourParameters, DEFAULT_BEHAVIOUR } from "../../domain/payer-behaviour.ts";
import { validationError } from "../../shared/errors.ts";

const ZShare = z
  .number()
  .min(0, { error: "use um número de 0 a 1" })
  .max(1, { error: "use um número de 0 a 1" });
const ZPositive = z.number().min(0, { error: "não pode ser negativo" });
const byArchetype = (value: z.ZodNumber) =>
  z.object(Object.fromEntries(ARCHETYPES.map((a) => [a, value.optional()]))).strict();
const byChannel = (value: z.ZodNumber) =>
  z
    .object({
      email: value.optional(),
      sms: value.optional(),
      whatsapp: value.optional(),
      letter: value.optional(),
    })
    .strict();

/** A behaviour file: any subset of the parameters, the rest from DEFAULT_BEHAVIOUR (docs/effectiveness.md). */
export const ZBehaviourFile = z
  .object({
    shares: byArchetype(ZShare).optional(),
    onTime: byArchetype(ZShare).optional(),
    responsiveness: byArchetype(ZShare).optional(),
    reminderEffect: byChannel(ZShare).optional(),
    dailyAfterDue: byArchetype(ZShare).optional(),
    nudge: byChannel(ZPositive).optional(),
    strategicLetterBoost: ZPositive.optional(),
    costCents: byChannel(z.number().int({ error: "use centavos inteiros" }).min(0)).optional(),
    contactShare: z
      .object({ email: ZShare.optional(), sms: ZShare.optional(), whatsapp: ZShare.optional() })
      .strict()
      .optional(),
    followDays: z.number().int().min(1).max(365).optional(),
  })
  .strict();

/** The parameters of a behaviour file merged over the defaults; the shares must sum to 1. */
export function behaviourFrom(input: unknown): BehaviourParameters {
  const parsed = ZBehaviourFile.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join(".");
    throw validationError(
      `behaviour.${field}`,
      `arquivo de comportamento, campo ${field || "(raiz)"}: ${issue.message}`,
    );
  }
  const file = parsed.data;
  const merge = <T extends object>(base: T, over: Partial<T> | undefined): T =>
    ({ ...base, ...(over ?? {}) }) as T;
  const parameters: BehaviourParameters = {
    shares: merge(DEFAULT_BEHAVIOUR.shares, file.shares),
    onTime: merge(DEFAULT_BEHAVIOUR.onTime, file.onTime),
    responsiveness: merge(DEFAULT_BEHAVIOUR.responsiveness, file.responsiveness),
    reminderEffect: merge(DEFAULT_BEHAVIOUR.reminderEffect, file.reminderEffect),
    dailyAfterDue: merge(DEFAULT_BEHAVIOUR.dailyAfterDue, file.dailyAfterDue),
    nudge: merge(DEFAULT_BEHAVIOUR.nudge, file.nudge),
    strategicLetterBoost: file.strategicLetterBoost ?? DEFAULT_BEHAVIOUR.strategicLetterBoost,
    costCents: merge(DEFAULT_BEHAVIOUR.costCents, file.costCents),
    contactShare: merge(DEFAULT_BEHAVIOUR.contactShare, file.contactShare),
    followDays: file.followDays ?? DEFAULT_BEHAVIOUR.followDays,
  };
  const total = ARCHETYPES.reduce((sum, archetype) => sum + parameters.shares[archetype], 0);
  if (Math.abs(total - 1) > 1e-6) {
    throw validationError(
      "behaviour.shares",
      `arquivo de comportamento: as participações (shares) somam ${total.toFixed(3)}; devem somar 1`,
    );
  }
  return parameters;
}

export function readBehaviourFile(path: string | undefined): BehaviourParameters {
  if (path === undefined) return DEFAULT_BEHAVIOUR;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw validationError("behaviour", `--behaviour: não foi possível ler o arquivo ${path}`);
  }
  try {
    return behaviourFrom(JSON.parse(text));
  } catch (error) {
    if (error instanceof SyntaxError)
      throw validationError("behaviour", `--behaviour: ${path} não é JSON válido`);
    throw error;
  }
}
