import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { DEFAULT_POLICY } from "../../src/modules/policies/default-policy.ts";
import {
  ensureDefaultPolicy,
  exportPoliciesYaml,
  getPolicy,
  importPoliciesYaml,
  listPolicies,
  savePolicy,
} from "../../src/modules/policies/policy.service.ts";
import type { TPolicy } from "../../src/modules/policies/policy.ts";
import { saveTemplate } from "../../src/modules/templates/template.service.ts";
import { getTenant } from "../../src/modules/tenants/tenant.service.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { AppError } from "../../src/shared/errors.ts";
import { insertTestTenant } from "../support/fixtures.ts";
import { openTestDatabase } from "../support/test-database.ts";

let handle: DatabaseHandle;
let tenantId: string;

beforeAll(async () => {
  handle = await openTestDatabase();
  tenantId = (await insertTestTenant(handle.db)).id;
});
afterAll(async () => {
  await handle.close();
});

async function refusal(policy: TPolicy): Promise<AppError> {
  const error = await savePolicy(handle.db, tenantId, policy).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const base = { name: "Régua B2B", priority: 10 };

describe("a policy is refused when saved with", () => {
  it("two steps on the same day and channel", async () => {
    const error = await refusal({
      ...base,
      steps: [
        { name: "lembrete", offsetDays: -3, channels: ["email"], templates: { email: "email.d-3" } },
        {
          name: "reforço",
          offsetDays: -3,
          channels: ["sms", "email"],
          templates: { sms: "sms.d-3", email: "email.d-3" },
        },
      ],
    });
    expect(error.message).toBe(
      'steps.1.channels: passo "reforço": mesmo dia (D-3) e canal email do passo "lembrete"',
    );
    expect(error.field).toBe("steps.1.channels");
  });

  it("an offset beyond ±365 days", async () => {
    const error = await refusal({
      ...base,
      steps: [{ name: "D+400", offsetDays: 400, channels: ["email"], templates: { email: "email.d+30" } }],
    });
    expect(error.message).toContain(
      'passo "D+400": deslocamento de 400 dias fora do limite; use de -365 a 365',
    );
  });

  it("an unknown template", async () => {
    const error = await refusal({
      ...base,
      steps: [{ name: "D+6", offsetDays: 6, channels: ["sms"], templates: { sms: "sms.cobranca-furiosa" } }],
    });
    expect(error.message).toContain('passo "D+6": modelo "sms.cobranca-furiosa" desconhecido (ex.: sms.d+6)');
    expect(error.field).toBe("steps.0.templates.sms");
  });

  it("an empty channel list", async () => {
    const error = await refusal({
      ...base,
      steps: [{ name: "D0", offsetDays: 0, channels: [], templates: {} }],
    });
    expect(error.message).toContain('passo "D0": lista de canais vazia; informe ao menos um canal');
  });

  it("nothing is written when refused", async () => {
    expect((await listPolicies(handle.db, tenantId)).map((policy) => policy.name)).not.toContain("Régua B2B");
  });
});

describe("policies as YAML", () => {
  it("the default régua is given once and round-trips through export and import", async () => {
    await ensureDefaultPolicy(handle.db, tenantId);
    await ensureDefaultPolicy(handle.db, tenantId);
    const policies = await listPolicies(handle.db, tenantId);
    expect(policies).toHaveLength(1);
    const regua = policies[0]!;
    expect(regua.steps.map((step) => `${step.name}:${step.channels.join("+")}`)).toEqual([
      "D-5:email",
      "D-1:sms",
      "D0:email",
      "D+6:email+sms",
      "D+12:email",
      "D+15:letter",
      "D+30:email+task",
    ]);
    expect(regua.standing).toMatchObject({ warningDays: 5, suspendedDays: 20, cancelledDays: 60 });
    const yaml = await exportPoliciesYaml(handle.db, tenantId, DEFAULT_POLICY.name);
    const edited = yaml
      .replace("warningDays: 5", "warningDays: 3")
      .replace("name: D+12", "name: D+10")
      .replace("offsetDays: 12", "offsetDays: 10")
      .replace("email.d+12", "email.d+10");
    const stepIds = new Map(regua.steps.map((step) => [step.name, step.id]));
    // D+10 has no default template: the import names one the creditor saves first
    const refused = await importPoliciesYaml(handle.db, tenantId, edited).catch(
      (error: unknown) => error as AppError,
    );
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).message).toContain('modelo "email.d+10" desconhecido');
    await saveTemplate(
      handle.db,
      await getTenant(handle.db, tenantId),
      {
        name: "email.d+10",
        subject: "Sua fatura está em atraso",
        body: "Oi {{ cliente.primeiro_nome }}, pague em {{ fatura.segunda_via }}.\n\n{{ credor.nome }} — CNPJ {{ credor.cnpj }} — {{ credor.endereco }}\n{{ link_descadastro }}",
      },
      new FixedClock("2026-11-23T12:00:00Z"),
    );
    await importPoliciesYaml(handle.db, tenantId, edited);
    const reread = await getPolicy(handle.db, tenantId, DEFAULT_POLICY.name);
    expect(reread.standing.warningDays).toBe(3);
    expect(reread.steps.find((step) => step.name === "D+10")?.templates).toEqual({ email: "email.d+10" });
    // unchanged steps keep their identity, so actions already planned for them are not planned again
    expect(reread.steps.find((step) => step.name === "D+6")?.id).toBe(stepIds.get("D+6"));
  });

  it("an import with one bad policy saves none and names it", async () => {
    const yaml = `policies:
  - name: Boa
    steps:
      - { name: D0, offsetDays: 0, channels: [email], templates: { email: email.d0 } }
  - name: Ruim
    steps:
      - { name: D+1, offsetDays: 1, channels: [fax], templates: {} }
`;
    const error = await importPoliciesYaml(handle.db, tenantId, yaml).catch(
      (caught: unknown) => caught as AppError,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toMatch(
      /^régua 2 \("Ruim"\): steps\.0\.channels\.0: canal desconhecido/,
    );
    expect((await listPolicies(handle.db, tenantId)).map((policy) => policy.name)).not.toContain("Boa");
  });
});
