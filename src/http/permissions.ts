/**
 * The one permission table. A route names one permission; an operator holds it when their role is
 * listed, an API key when its scope is at least `apiKeyScope` (write includes read) — `null` means
 * no API key may do it (managing keys and operators, running the régua by hand, reading the audit log).
 */
export type Role = "admin" | "analyst" | "viewer";
export type ApiKeyScope = "read" | "write";

export const PERMISSIONS = {
  /** customers, contacts, contracts, invoices, payments, standing, second copy, webhooks' log */
  read: { roles: ["admin", "analyst", "viewer"], apiKeyScope: "read" },
  /** create and change customers, contacts, contracts, invoices; record payments; imports */
  write: { roles: ["admin", "analyst"], apiKeyScope: "write" },
  /** LGPD: export everything held on a customer, anonymise a customer */
  personalData: { roles: ["admin"], apiKeyScope: "write" },
  /** webhook endpoints and redelivery */
  webhooks: { roles: ["admin"], apiKeyScope: "write" },
  /** policies (réguas): create, change, delete */
  policies: { roles: ["admin"], apiKeyScope: "write" },
  /** POST /v1/runs: plan and dispatch a date by hand */
  runs: { roles: ["admin"], apiKeyScope: null },
  /** API keys, operators, payment gateways, the audit log */
  admin: { roles: ["admin"], apiKeyScope: null },
} as const satisfies Record<string, { roles: readonly Role[]; apiKeyScope: ApiKeyScope | null }>;

export type Permission = keyof typeof PERMISSIONS;

export type Principal =
  | { kind: "api_key"; tenantId: string; actorId: string; scope: ApiKeyScope }
  | {
      kind: "operator";
      tenantId: string;
      actorId: string;
      role: Role;
      sessionId: string;
      csrfToken: string;
    };

export function isAllowed(principal: Principal, permission: Permission): boolean {
  const rule = PERMISSIONS[permission];
  if (principal.kind === "operator") return (rule.roles as readonly Role[]).includes(principal.role);
  if (rule.apiKeyScope === null) return false;
  return rule.apiKeyScope === "read" || principal.scope === "write";
}
