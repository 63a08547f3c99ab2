import { z } from "zod";
import type { Api } from "../../http/api.ts";
import { ZIdParams } from "../../http/schemas.ts";
import { AppError } from "../../shared/errors.ts";
import { createBankAccount, listBankAccounts } from "./bank-account.service.ts";
import { ZCreateBankAccount } from "./bank-account.ts";

/** The creditor's collection accounts (docs/bank-files.md). */
export function registerBankAccountRoutes(api: Api): void {
  api.route({
    method: "POST",
    url: "/v1/bank-accounts",
    tag: "Contas bancárias",
    summary: "Cadastra uma conta de cobrança (banco, agência, conta, carteira, convênio, layout CNAB)",
    description:
      "A primeira conta do credor (ou a que vier com isDefault=true) passa a emitir os boletos das faturas novas.",
    permission: "admin",
    body: ZCreateBankAccount,
    status: 201,
    handler: async ({ tenantId, body, request }) => {
      const account = await createBankAccount(api.db, tenantId, body);
      request.auditResource = { type: "bank_account", id: account.id };
      return account;
    },
  });

  api.route({
    method: "GET",
    url: "/v1/bank-accounts",
    tag: "Contas bancárias",
    summary: "As contas de cobrança do credor",
    permission: "read",
    response: z.object({ data: z.array(z.object({ id: z.string() }).passthrough()) }),
    handler: async ({ tenantId }) => ({ data: await listBankAccounts(api.db, tenantId) }),
  });

  api.route({
    method: "GET",
    url: "/v1/invoices/:id/boleto",
    tag: "Contas bancárias",
    summary: "O boleto da fatura no banco: conta emissora, nosso número e o que o banco disse dele",
    permission: "read",
    params: ZIdParams,
    handler: async ({ tenantId, params }) => {
      const row = await api.db
        .selectFrom("invoices")
        .select([
          "id",
          "bank_account_id",
          "bank_our_number",
          "boleto_status",
          "boleto_status_reason",
          "boleto_sent_due_date",
          "boleto_write_off_sent",
          "boleto_protest_sent",
        ])
        .where("tenant_id", "=", tenantId)
        .where("id", "=", params.id)
        .executeTakeFirst();
      if (!row) throw notFoundInvoice(params.id);
      return {
        invoiceId: row.id,
        bankAccountId: row.bank_account_id,
        ourNumber: row.bank_our_number,
        status: row.boleto_status,
        reason: row.boleto_status_reason,
        sentDueDate: row.boleto_sent_due_date,
        writeOffSent: row.boleto_write_off_sent,
        protestSent: row.boleto_protest_sent,
      };
    },
  });
}

function notFoundInvoice(id: string) {
  return new AppError("not_found", `Fatura ${id} não encontrada`);
}
