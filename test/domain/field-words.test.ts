import { describe, expect, it } from "vitest";
import { formatContact, formatPhone } from "../../src/domain/phones.ts";
import { fieldLabel } from "../../src/i18n/pt-BR/field-labels.ts";
import { templateTitle } from "../../src/i18n/pt-BR/template-names.ts";
import { fieldReason, humanFieldMessage } from "../../src/shared/field-messages.ts";

describe("field labels", () => {
  it("names a nested path by its list position and its own label", () => {
    expect(fieldLabel("steps.6.window")).toBe("Passo 7 — Janela de envio");
    expect(fieldLabel("steps.0.window.start")).toBe("Passo 1 — Início da janela de envio");
    expect(fieldLabel("contacts.2.value")).toBe("Contato 3 — Contato");
    expect(fieldLabel("limits.analyst.maxInstallments")).toBe("Máximo de parcelas (analista)");
    expect(fieldLabel("segment.kind")).toBe("Tipo de cliente do segmento");
    expect(fieldLabel("noSuchField")).toBeNull();
  });

  it("turns the internal path of a message into the label, once", () => {
    expect(humanFieldMessage("ttlDays", "ttlDays: ttlDays: de 1 a 30 dias")).toBe(
      "Validade do link (dias): de 1 a 30 dias",
    );
    expect(humanFieldMessage("password", 'O campo "password" é obrigatório.')).toBe(
      'O campo "Senha" é obrigatório.',
    );
    expect(humanFieldMessage("customerId", "id de cliente inválido")).toBe("Cliente: id de cliente inválido");
    expect(humanFieldMessage("until", "Pausar até: a data deve ser hoje")).toBe(
      "Pausar até: a data deve ser hoje",
    );
    expect(humanFieldMessage("mystery", "mystery: ruim")).toBe("mystery: ruim");
    expect(fieldReason("steps.6.window", "steps.6.window: início antes do fim")).toBe("início antes do fim");
    expect(fieldReason("password", 'O campo "password" é obrigatório.')).toBe("é obrigatório");
  });
});

describe("phones and templates in words", () => {
  it("formats Brazilian mobiles and landlines, and leaves the rest", () => {
    expect(formatPhone("+5551988068493")).toBe("(51) 98806-8493");
    expect(formatPhone("+551133334444")).toBe("(11) 3333-4444");
    expect(formatPhone("+14155550100")).toBe("+14155550100");
    expect(formatContact("ana@exemplo.com.br")).toBe("ana@exemplo.com.br");
  });

  it("names the régua's templates by channel and moment", () => {
    expect(templateTitle("email.d+12")).toBe("E-mail 12 dias após o vencimento");
    expect(templateTitle("sms.d-1")).toBe("SMS 1 dia antes do vencimento");
    expect(templateTitle("email.d0")).toBe("E-mail no dia do vencimento");
    expect(templateTitle("sms.agreement-d-3")).toBe("SMS 3 dias antes do vencimento da parcela do acordo");
    expect(templateTitle("task.negotiation")).toBe("Tarefa de negociação");
    expect(templateTitle("email.negotiation-offer")).toBe("E-mail: proposta de negociação");
    expect(templateTitle("cobranca-especial")).toBe("cobranca-especial");
  });
});
