import { createHash, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../../db/database.ts";
import type { Role } from "../../http/permissions.ts";
import { signIn } from "../../i18n/pt-BR/sign-in.ts";
import { AppError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/validation.ts";
import { findTenantBySlug } from "../tenants/tenant.repository.ts";
import { routedTenantId, routeOfToken, routePrefixOf } from "../tenants/token-route.ts";
import {
  findLiveSession,
  findOperatorByEmail,
  findOperators,
  insertOperator,
  insertSession,
  revokeSession,
} from "./operator.repository.ts";
import type { OperatorRow } from "./operator.table.ts";
import { type Operator, type TCreateOperator, type TLogin, ZCreateOperator, ZLogin } from "./operator.ts";
import { decoyHash, hashPassword, verifyPassword } from "./password.ts";
import { openSignInGate, recordSignInFailure, recordSignInSuccess } from "./sign-in-throttle.ts";

/** A dashboard session lasts a working day; signing in again is cheap, a stolen cookie ages out. */
export const SESSION_HOURS = 12;

function operatorFromRow(row: OperatorRow): Operator {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    email: row.email,
    name: row.name,
    role: row.role,
    disabledAt: row.disabled_at,
    createdAt: row.created_at,
  };
}

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function createOperator(
  db: Kysely<Database>,
  tenantId: string,
  input: TCreateOperator,
): Promise<Operator> {
  const data = parseInput(ZCreateOperator, input);
  if (await findOperatorByEmail(db, tenantId, data.email)) {
    throw new AppError("conflict", `Já existe um operador com o e-mail ${data.email} neste credor`, "email");
  }
  const row = await insertOperator(db, {
    tenant_id: tenantId,
    email: data.email,
    name: data.name,
    role: data.role,
    password_hash: await hashPassword(data.password),
  });
  return operatorFromRow(row);
}

export async function listOperators(db: Kysely<Database>, tenantId: string): Promise<Operator[]> {
  return (await findOperators(db, tenantId)).map(operatorFromRow);
}

export interface StartedSession {
  operator: Operator;
  sessionId: string;
  /** The cookie value: shown once, only its hash is stored. */
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

/** Signs an operator in; any wrong part (credor, e-mail, password) gets the same answer. */
/**
 * Signs an operator in. Wrong passwords are counted per account and per client IP
 * (sign-in-throttle.ts); a locked key refuses every attempt, right or wrong, with 429 until it opens.
 */
export async function login(
  db: Kysely<Database>,
  input: TLogin,
  now: Date,
  client: { ip: string | null } = { ip: null },
): Promise<StartedSession> {
  const data = parseInput(ZLogin, input);
  const email = data.email.toLowerCase();
  const tenant = await findTenantBySlug(db, data.tenant);
  if (!tenant) {
    await verifyPassword(data.password, await decoyHash()); // the same time as a wrong password
    throw new AppError("unauthorized", signIn.wrong);
  }
  const attempt = { email, ip: client.ip };
  // the gate and the count are two short transactions: the password check (scrypt, slow on
  // purpose) runs between them holding no lock nor connection
  const gate = await db.transaction().execute((trx) => openSignInGate(trx, tenant.id, attempt, now));
  let outcome: { kind: "locked"; until: Date } | { kind: "wrong" } | { kind: "ok"; row: OperatorRow };
  if (!gate.open) outcome = { kind: "locked", until: gate.until };
  else {
    const row = await findOperatorByEmail(db, tenant.id, email);
    const valid = await verifyPassword(data.password, row?.password_hash ?? (await decoyHash()));
    outcome = await db.transaction().execute(async (trx) => {
      const current = await openSignInGate(trx, tenant.id, attempt, now);
      if (!current.open) return { kind: "locked" as const, until: current.until };
      if (!row || !valid || row.disabled_at) {
        const lockedUntil = await recordSignInFailure(trx, current.rows, now);
        return lockedUntil ? { kind: "locked" as const, until: lockedUntil } : { kind: "wrong" as const };
      }
      await recordSignInSuccess(trx, current.rows, now);
      return { kind: "ok" as const, row };
    });
  }
  if (outcome.kind === "locked") {
    const minutes = Math.max(1, Math.ceil((outcome.until.getTime() - now.getTime()) / 60_000));
    throw new AppError("rate_limited", signIn.locked(minutes));
  }
  if (outcome.kind === "wrong") throw new AppError("unauthorized", signIn.wrong);
  const row = outcome.row;
  // the cookie names its tenant (tenants/token-route.ts): found by (tenant, hash)
  const token = `${await routePrefixOf(db, row.tenant_id)}${randomBytes(32).toString("base64url")}`;
  const csrfToken = randomBytes(24).toString("base64url");
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000);
  const session = await insertSession(db, {
    tenant_id: row.tenant_id,
    operator_id: row.id,
    token_hash: hashToken(token),
    csrf_token: csrfToken,
    expires_at: expiresAt,
  });
  return { operator: operatorFromRow(row), sessionId: session.id, token, csrfToken, expiresAt };
}

export interface SessionIdentity {
  tenantId: string;
  sessionId: string;
  operatorId: string;
  role: Role;
  email: string;
  name: string;
  csrfToken: string;
}

export async function authenticateSession(
  db: Kysely<Database>,
  token: string,
  now: Date,
): Promise<SessionIdentity | null> {
  const route = await routeOfToken(db, token);
  if (!route) return null;
  const row = await findLiveSession(db, routedTenantId(route), hashToken(token), now);
  if (!row) return null;
  return {
    tenantId: row.tenant_id,
    sessionId: row.session_id,
    operatorId: row.operator_id,
    role: row.role,
    email: row.email,
    name: row.name,
    csrfToken: row.csrf_token,
  };
}

export async function logout(
  db: Kysely<Database>,
  tenantId: string,
  sessionId: string,
  now: Date,
): Promise<void> {
  await revokeSession(db, tenantId, sessionId, now);
}
