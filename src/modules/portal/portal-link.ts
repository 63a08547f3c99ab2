import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from "node:crypto";

/**
 * Glossary: a portal link is `/portal/entrar?t=<token>`; the token says which tenant and customer
 * it is for, what it opens (its purpose) and until when, signed with the tenant's key
 * (HMAC-SHA256, truncated to 128 bits). It is opaque (binary, base64url) and carries no personal
 * data; holding it only lets one *try* to enter: the identity check comes next.
 *
 * Layout (bytes): version (1) · tenant uuid (16) · customer uuid (16) · expiry, Unix seconds (4)
 * · purpose (1) · invoice uuid (16, purpose "invoice"; the campaign's for "offer") · MAC (16).
 */
export type LinkPurpose =
  | { kind: "home" }
  | { kind: "invoice"; invoiceId: string }
  | { kind: "preferences" }
  /** a campaign's offer to this customer (src/modules/campaigns) */
  | { kind: "offer"; campaignId: string };

export interface PortalLinkClaims {
  tenantId: string;
  customerId: string;
  purpose: LinkPurpose;
  expiresAt: Date;
}

const VERSION = 1;
const MAC_BYTES = 16;
const PURPOSE_CODE = { home: 1, invoice: 2, preferences: 3, offer: 4 } as const;

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ""), "hex");
}

function uuidOf(bytes: Buffer): string {
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// One key object per tenant key: importing the raw bytes on every MAC costs five times the MAC
// itself, and the dispatcher signs three links per message.
const keyObjects = new Map<string, KeyObject>();

function mac(secret: string, body: Buffer): Buffer {
  let key = keyObjects.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, "base64url"));
    keyObjects.set(secret, key);
  }
  return createHmac("sha256", key).update(body).digest().subarray(0, MAC_BYTES);
}

/** The token for these claims under the tenant's key. */
export function signPortalLink(secret: string, claims: PortalLinkClaims): string {
  const parts = [
    Buffer.from([VERSION]),
    uuidBytes(claims.tenantId),
    uuidBytes(claims.customerId),
    Buffer.alloc(4),
    Buffer.from([PURPOSE_CODE[claims.purpose.kind]]),
  ];
  parts[3]!.writeUInt32BE(Math.floor(claims.expiresAt.getTime() / 1000));
  if (claims.purpose.kind === "invoice") parts.push(uuidBytes(claims.purpose.invoiceId));
  if (claims.purpose.kind === "offer") parts.push(uuidBytes(claims.purpose.campaignId));
  const body = Buffer.concat(parts);
  return Buffer.concat([body, mac(secret, body)]).toString("base64url");
}

/**
 * Reads a token's claims without trusting them (to find whose key checks it); null when it is not
 * a token at all.
 */
export function readPortalLink(
  token: string,
): { claims: PortalLinkClaims; body: Buffer; mac: Buffer } | null {
  if (!/^[A-Za-z0-9_-]{20,200}$/.test(token)) return null;
  const bytes = Buffer.from(token, "base64url");
  if (bytes.length < 38 + MAC_BYTES || bytes[0] !== VERSION) return null;
  const body = bytes.subarray(0, bytes.length - MAC_BYTES);
  const code = body[37];
  let purpose: LinkPurpose;
  if (code === PURPOSE_CODE.home && body.length === 38) purpose = { kind: "home" };
  else if (code === PURPOSE_CODE.preferences && body.length === 38) purpose = { kind: "preferences" };
  else if (code === PURPOSE_CODE.invoice && body.length === 54)
    purpose = { kind: "invoice", invoiceId: uuidOf(body.subarray(38, 54)) };
  else if (code === PURPOSE_CODE.offer && body.length === 54)
    purpose = { kind: "offer", campaignId: uuidOf(body.subarray(38, 54)) };
  else return null;
  return {
    claims: {
      tenantId: uuidOf(body.subarray(1, 17)),
      customerId: uuidOf(body.subarray(17, 33)),
      expiresAt: new Date(body.readUInt32BE(33) * 1000),
      purpose,
    },
    body,
    mac: bytes.subarray(bytes.length - MAC_BYTES),
  };
}

/** True when the token's MAC is the tenant key's (compared in constant time). */
export function hasValidSignature(secret: string, read: { body: Buffer; mac: Buffer }): boolean {
  const expected = mac(secret, read.body);
  return expected.length === read.mac.length && timingSafeEqual(expected, read.mac);
}
