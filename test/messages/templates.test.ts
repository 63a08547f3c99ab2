import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { smsLength, toGsm7 } from "../../src/channels/sms-segments.ts";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { DEFAULT_POLICY } from "../../src/modules/policies/default-policy.ts";
import { savePolicy } from "../../src/modules/policies/policy.service.ts";
import { DEFAULT_TEMPLATES } from "../../src/modules/templates/default-templates.ts";
import {
  getTemplate,
  listTemplates,
  previewTemplate,
  resetTemplate,
  saveTemplate,
} from "../../src/modules/templates/template.service.ts";
import { checkTemplate } from "../../src/modules/templates/template-check.ts";
import { unknownTemplateNames } from "../../src/modules/templates/template-names.ts";
import { tenantFromRow } from "../../src/modules/tenants/tenant.service.ts";
import type { Tenant } from "../../src/modules/tenants/tenant.ts";
import { FixedClock } from "../../src/shared/clock.ts";
import { publicUrl } from "../../src/shared/config.ts";
import { AppError } from "../../src/shared/errors.ts";
import { insertTestTenant } from "../support/fixtures.ts";
import { openTestDatabase } from "../support/test-database.ts";

const CREDITOR_FOOTER = "{{ credor.nome }} — CNPJ {{ credor.cnpj }} — {{ credor.endereco }}";
const creditor = {
  name: "Credora Exemplo Ltda",
  document: "11222333000181",
  address: "Av. Paulista, 1000, Bela Vista, São Paulo/SP, 01310-100",
};
const options = { smsMaxSegments: 3, publicUrl: "https://regua.example.com.br" };

let handle: DatabaseHandle;
let tenant: Tenant;
const clock = new FixedClock("2026-11-23T12:00:00Z");

beforeAll(async () => {
  handle = await openTestDatabase();
  tenant = tenantFromRow(await insertTestTenant(handle.db));
});
afterAll(async () => {
  await handle?.close();
});

async function refusal(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).message;
  }
  throw new Error("expected the template to be refused");
}

describe("SMS length (3GPP TS 23.038)", () => {
  it("counts GSM-7 septets with the extension table, and UCS-2 units", () => {
    expect(smsLength("a".repeat(160))).toMatchObject({ encoding: "GSM-7", segments: 1 });
    expect(smsLength("a".repeat(161))).toMatchObject({ encoding: "GSM-7", segments: 2 });
    expect(smsLength("a".repeat(306))).toMatchObject({ segments: 2 });
    expect(smsLength("a".repeat(307))).toMatchObject({ segments: 3 });
    expect(smsLength("€".repeat(80))).toMatchObject({ encoding: "GSM-7", units: 160, segments: 1 });
    expect(smsLength("ã".repeat(70))).toMatchObject({ encoding: "UCS-2", segments: 1 });
    expect(smsLength("ã".repeat(71))).toMatchObject({ encoding: "UCS-2", segments: 2 });
    expect(smsLength("😀".repeat(34))).toMatchObject({ encoding: "UCS-2", units: 68, segments: 1 });
  });

  it("brings Portuguese text into GSM-7 keeping the letters GSM-7 has", () => {
    expect(toGsm7("Não esqueça: ação, você, João — é à")).toBe("Nao esqueca: acao, voce, Joao - é à");
    expect(smsLength(toGsm7("ã".repeat(150))).encoding).toBe("GSM-7");
  });
});

describe("default templates", () => {
  it("exist for every step and channel of the default régua and pass their own checks", async () => {
    const names = new Set(DEFAULT_TEMPLATES.map((template) => template.name));
    for (const step of DEFAULT_POLICY.steps) {
      for (const channel of step.channels) expect(names).toContain(step.templates?.[channel]);
    }
    for (const template of DEFAULT_TEMPLATES) {
      expect(checkTemplate(template, creditor, options)).toEqual([]);
    }
    expect(
      await unknownTemplateNames(
        handle.db,
        tenant.id,
        DEFAULT_TEMPLATES.map((t) => t.name),
      ),
    ).toEqual([]);
  });

  it("render the seeds' subject lines and the creditor block", async () => {
    const d5 = await previewTemplate(handle.db, tenant, "email.d-5");
    expect(d5.rendered.subject).toBe("LEMBRETE: sua fatura vence em 5 dias");
    expect(d5.rendered.text).toContain("Olá, Maria!");
    expect(d5.rendered.text).toContain("Mensalidade novembro/2026: vencimento 10/11/2026, R$ 133,06");
    expect(d5.rendered.text).toContain("Credora Exemplo Ltda — CNPJ 11.222.333/0001-81");
    expect(d5.html).toContain('<html lang="pt-BR">');
    expect(d5.html).toContain("<li");
    expect((await previewTemplate(handle.db, tenant, "email.d0")).rendered.subject).toBe(
      "NÃO ESQUEÇA: vence hoje",
    );
    expect((await previewTemplate(handle.db, tenant, "email.d+6")).rendered.subject).toMatch(
      /^Opa, atrasou!/,
    );
    const sms = await previewTemplate(handle.db, tenant, "sms.d+6");
    expect(sms.sms?.encoding).toBe("GSM-7");
    expect(sms.sms!.segments).toBeLessThanOrEqual(3);
    expect(sms.rendered.text).not.toContain("\n");
  });
});

describe("saving a template", () => {
  it("stores the tenant's version, which replaces the default until reset", async () => {
    const saved = await saveTemplate(
      handle.db,
      tenant,
      {
        name: "email.d-5",
        subject: "Sua fatura de {{ fatura.valor_original }} vence em {{ fatura.vencimento }}",
        body: `Oi {{ cliente.primeiro_nome }}, pague em {{ fatura.segunda_via }}.\n\n${CREDITOR_FOOTER}\n{{ link_descadastro }}`,
      },
      clock,
    );
    expect(saved.custom).toBe(true);
    expect((await getTemplate(handle.db, tenant.id, "email.d-5")).subject).toContain("vence em");
    const preview = await previewTemplate(handle.db, tenant, "email.d-5");
    expect(preview.rendered.subject).toBe("Sua fatura de R$ 129,90 vence em 10/11/2026");
    expect((await listTemplates(handle.db, tenant.id)).filter((t) => t.name === "email.d-5")).toHaveLength(1);
    await resetTemplate(handle.db, tenant.id, "email.d-5");
    expect((await getTemplate(handle.db, tenant.id, "email.d-5")).custom).toBe(false);
  });

  it("registers a new name so that policies may use it", async () => {
    await saveTemplate(
      handle.db,
      tenant,
      {
        name: "sms.d+2",
        body: `{{ cliente.primeiro_nome }}, regularize: {{ fatura.segunda_via }} ${CREDITOR_FOOTER}`,
      },
      clock,
    );
    expect(await unknownTemplateNames(handle.db, tenant.id, ["sms.d+2", "sms.d+4"])).toEqual(["sms.d+4"]);
  });

  it("a name one creditor saved does not make another creditor's régua valid", async () => {
    const other = tenantFromRow(await insertTestTenant(handle.db));
    await saveTemplate(
      handle.db,
      tenant,
      {
        name: "sms.d+8",
        body: `{{ cliente.primeiro_nome }}, regularize: {{ fatura.segunda_via }} ${CREDITOR_FOOTER}`,
      },
      clock,
    );
    const regua = {
      name: "Régua curta",
      steps: [{ name: "D+8", offsetDays: 8, channels: ["sms" as const], templates: { sms: "sms.d+8" } }],
    };
    expect((await savePolicy(handle.db, tenant.id, regua)).steps).toHaveLength(1);
    const refused = await savePolicy(handle.db, other.id, regua).catch((error: unknown) => error as AppError);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).field).toBe("steps.0.templates.sms");
    expect((refused as AppError).message).toContain(
      'passo "D+8": modelo "sms.d+8" desconhecido (ex.: sms.d+8)',
    );
    expect(await unknownTemplateNames(handle.db, other.id, ["sms.d+8"])).toEqual(["sms.d+8"]);
  });

  it("refuses unknown variables, naming the template and suggesting the right one", async () => {
    const message = await refusal(
      saveTemplate(
        handle.db,
        tenant,
        { name: "email.d-5", subject: "Oi", body: `Olá {{ cliente.primeironome }}\n${CREDITOR_FOOTER}` },
        clock,
      ),
    );
    expect(message).toContain("modelo email.d-5");
    expect(message).toContain('variável desconhecida "cliente.primeironome"');
    expect(message).toContain("você quis dizer cliente.primeiro_nome?");
  });

  it("refuses an unknown field of the invoice loop variable", async () => {
    const message = await refusal(
      saveTemplate(
        handle.db,
        tenant,
        {
          name: "email.d-5",
          subject: "Oi",
          body: `{% for f in faturas %}{{ f.valor }}{% endfor %}\n${CREDITOR_FOOTER}`,
        },
        clock,
      ),
    );
    expect(message).toContain('variável desconhecida "f.valor"');
  });

  it("refuses a template without the creditor's name, CNPJ and address (CDC art. 42-A)", async () => {
    const message = await refusal(
      saveTemplate(
        handle.db,
        tenant,
        {
          name: "email.d0",
          subject: "Vence hoje",
          body: "Pague hoje, {{ cliente.nome }}. {{ credor.nome }}",
        },
        clock,
      ),
    );
    expect(message).toContain("modelo email.d0: falta identificar o credor");
    expect(message).toContain("CNPJ (credor.cnpj)");
    expect(message).toContain("endereço (credor.endereco)");
    expect(message).not.toContain("nome (credor.nome)");
    // hidden behind a condition that never holds is as good as missing
    const hidden = await refusal(
      saveTemplate(
        handle.db,
        tenant,
        {
          name: "email.d0",
          subject: "Vence hoje",
          body: `Pague. {% if dias_atraso > 9999 %}${CREDITOR_FOOTER}{% endif %}`,
        },
        clock,
      ),
    );
    expect(hidden).toContain("falta identificar o credor");
  });

  it("refuses an SMS over the configured number of parts, saying how many it takes", async () => {
    await handle.db
      .insertInto("messaging_settings")
      .values({ tenant_id: tenant.id, sms_max_segments: 1 })
      .execute();
    const message = await refusal(
      saveTemplate(
        handle.db,
        tenant,
        { name: "sms.d-1", body: `{{ cliente.nome }}, sua fatura vence amanhã. ${CREDITOR_FOOTER}` },
        clock,
      ),
    );
    expect(message).toMatch(
      /modelo sms.d-1: o SMS ocupa 2 partes \(\d+ caracteres GSM-7\).*o limite configurado é 1/,
    );
    await handle.db.deleteFrom("messaging_settings").where("tenant_id", "=", tenant.id).execute();
  });

  it("refuses syntax errors and bad names with a pt-BR message", async () => {
    expect(
      await refusal(saveTemplate(handle.db, tenant, { name: "sms.d-1", body: "{{ cliente.nome " }, clock)),
    ).toContain("modelo sms.d-1: erro de sintaxe no corpo");
    expect(await refusal(saveTemplate(handle.db, tenant, { name: "fax.d-1", body: "x" }, clock))).toContain(
      'use "canal.passo"',
    );
    expect(
      await refusal(saveTemplate(handle.db, tenant, { name: "email.d-9", body: CREDITOR_FOOTER }, clock)),
    ).toContain("informe o assunto");
  });

  it("checks WhatsApp parameters for the creditor block", async () => {
    const message = await refusal(
      saveTemplate(
        handle.db,
        tenant,
        {
          name: "whatsapp.d+3",
          body: "Olá {{1}}",
          whatsappTemplate: "cobranca_atraso",
          whatsappLanguage: "pt_BR",
          whatsappParameters: ["{{ cliente.primeiro_nome }}"],
        },
        clock,
      ),
    );
    expect(message).toContain("nos parâmetros do modelo");
  });
});

describe("the links in messages and portal links", () => {
  it("open on the port the server listens on when REGUA_PUBLIC_URL is not set", () => {
    expect(publicUrl({ PORT: "3999" })).toBe("http://localhost:3999");
    expect(publicUrl({})).toBe("http://localhost:3000");
    expect(publicUrl({ PORT: "0" })).toBe("http://localhost:3000");
    expect(publicUrl({ PORT: "3999", REGUA_PUBLIC_URL: "https://pagar.exemplo.com.br/" })).toBe(
      "https://pagar.exemplo.com.br",
    );
  });
});
