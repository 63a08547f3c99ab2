import { PDFParse } from "pdf-parse";
import type { DatabaseHandle } from "../../src/db/connect.ts";
import { apiTenant } from "../support/api-fixtures.ts";
import { apiKeyFor, type CallResult, client, type TestServer } from "../support/http.ts";

/**
 * A creditor with boleto and Pix settings, and a debtor (CPF 529.982.247-25) with an e-mail, a
 * mobile and two invoices created through the API: one overdue since 2026-10-23, one due later.
 */
export async function portalWorld(handle: DatabaseHandle, server: TestServer) {
  const tenant = await apiTenant(handle);
  const key = await apiKeyFor(handle, tenant.id);
  const call = client(server);
  const customer = await call(key, "POST", "/v1/customers", {
    body: {
      externalId: "cli-portal-1",
      name: "Mariana Costa Lima",
      document: "529.982.247-25",
      address: {
        street: "Rua Augusta",
        number: "500",
        city: "São Paulo",
        state: "SP",
        postalCode: "01305-000",
      },
      contacts: [
        { channel: "email", value: "mariana@example.com" },
        { channel: "sms", value: "(11) 98765-4321", verifiedOwner: true },
      ],
    },
  });
  if (customer.status !== 201) throw new Error(customer.text);
  const invoice = async (externalId: string, dueDate: string, amountCents: number, customerId: string) => {
    const created = await call(key, "POST", "/v1/invoices", {
      body: {
        externalId,
        customerId,
        description: `Mensalidade ${externalId}`,
        amountCents,
        issueDate: "2026-09-01",
        dueDate,
      },
    });
    if (created.status !== 201) throw new Error(created.text);
    return created.body.id as string;
  };
  const overdue = await invoice("NF-1001", "2026-10-23", 199_90, customer.body.id);
  const upcoming = await invoice("NF-1002", "2026-12-10", 99_90, customer.body.id);
  return { tenant, key, call, customerId: customer.body.id as string, overdue, upcoming, invoice };
}

/** Mints a portal link through the API and returns its path (`/portal/entrar?t=…`). */
export async function mintLinkPath(
  call: ReturnType<typeof client>,
  key: { key: string },
  customerId: string,
  body: Record<string, unknown> = {},
): Promise<string> {
  const minted = await call(key, "POST", `/v1/customers/${customerId}/portal-link`, { body });
  if (minted.status !== 201) throw new Error(minted.text);
  const url = new URL(minted.body.url as string);
  return `${url.pathname}${url.search}`;
}

/** The text of a PDF. */
export async function pdfText(pdf: Buffer | Uint8Array): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  const result = await parser.getText();
  await parser.destroy();
  return result.text;
}

/**
 * A browser without a browser, for the HTTP tests: keeps cookies, follows no redirects, and
 * submits forms with the hidden fields of the page it came from.
 */
export class Visitor {
  private readonly cookies = new Map<string, string>();
  private readonly server: TestServer;
  private readonly ip: string | undefined;
  constructor(server: TestServer, options: { ip?: string } = {}) {
    this.server = server;
    this.ip = options.ip;
  }

  private async request(method: string, path: string, form?: Record<string, string>): Promise<CallResult> {
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0)
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    if (form) headers["content-type"] = "application/x-www-form-urlencoded";
    const response = await fetch(`${this.server.url}${path}`, {
      method,
      headers,
      body: form ? new URLSearchParams(form).toString() : undefined,
      redirect: "manual",
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ""] = cookie.split(";");
      const index = pair.indexOf("=");
      const name = pair.slice(0, index);
      const value = pair.slice(index + 1);
      if (/Max-Age=0/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text, text };
  }

  get(path: string): Promise<CallResult> {
    return this.request("GET", path);
  }

  post(path: string, form: Record<string, string>): Promise<CallResult> {
    return this.request("POST", path, form);
  }

  /** Opens a link and answers the identity question; returns the answer's response. */
  async enter(path: string, answer: string): Promise<CallResult> {
    const page = await this.get(path);
    return this.post("/portal/entrar", { ...hiddenFields(page.text), resposta: answer });
  }
}

/** The hidden inputs of the first form of a page. */
export function hiddenFields(page: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[match[1]!] ??= match[2]!.replaceAll("&amp;", "&");
  }
  return fields;
}
