import { lookup as dnsLookup } from "node:dns/promises";
import http, { type IncomingHttpHeaders } from "node:http";
import https from "node:https";
import { BlockList, isIP } from "node:net";
import { validationError } from "./errors.ts";

/**
 * Glossary: an outbound URL is one the product calls on a tenant's behalf (a webhook endpoint, an
 * SMS or WhatsApp provider's base URL, an SMTP server). A tenant must not be able to aim it at the
 * machine or network Régua runs in (loopback, private, link-local, CGNAT, multicast, cloud
 * metadata), so every outbound URL is resolved and checked when it is saved and again when it is
 * called, and the connection goes to the very address that was checked: a name that resolved to a
 * public address at save time may resolve to 127.0.0.1 tomorrow (DNS rebinding).
 *
 * `REGUA_OUTBOUND_ALLOW` (comma-separated CIDRs, addresses or host names; empty by default) opens
 * exceptions for local development and tests, e.g. `127.0.0.1/32,::1/128`.
 */

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has; injectable so tests control DNS. */
export type OutboundResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface OutboundOptions {
  resolver?: OutboundResolver;
  /** The allow-list as written in REGUA_OUTBOUND_ALLOW; read from the environment when absent. */
  allow?: string;
}

/** Why an address is refused, in the words an operator reads (pt-BR). */
const BLOCKED_RANGES: { cidr: string; reason: string }[] = [
  { cidr: "0.0.0.0/8", reason: "endereço não especificado" },
  { cidr: "10.0.0.0/8", reason: "rede privada" },
  { cidr: "100.64.0.0/10", reason: "rede CGNAT" },
  { cidr: "127.0.0.0/8", reason: "loopback (a própria máquina)" },
  { cidr: "169.254.0.0/16", reason: "link-local ou metadados da nuvem" },
  { cidr: "172.16.0.0/12", reason: "rede privada" },
  { cidr: "192.0.0.0/24", reason: "faixa reservada (metadados)" },
  { cidr: "192.168.0.0/16", reason: "rede privada" },
  { cidr: "198.18.0.0/15", reason: "faixa reservada" },
  { cidr: "224.0.0.0/4", reason: "multicast" },
  { cidr: "240.0.0.0/4", reason: "faixa reservada" },
  { cidr: "::/127", reason: "loopback ou endereço não especificado" },
  { cidr: "::/96", reason: "faixa reservada" },
  { cidr: "fc00::/7", reason: "rede privada (ULA)" },
  { cidr: "fe80::/10", reason: "link-local" },
  { cidr: "fec0::/10", reason: "rede privada (site-local)" },
  { cidr: "ff00::/8", reason: "multicast" },
];

const blockedRanges = BLOCKED_RANGES.map(({ cidr, reason }) => {
  const list = new BlockList();
  addCidr(list, cidr);
  return { list, reason };
});

function addCidr(list: BlockList, cidr: string): boolean {
  const [address, bits] = cidr.split("/");
  const family = isIP(address ?? "");
  if (family === 0) return false;
  const type = family === 4 ? "ipv4" : "ipv6";
  const prefix = bits === undefined ? (family === 4 ? 32 : 128) : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) return false;
  list.addSubnet(address!, prefix, type);
  return true;
}

/** The IPv4 address inside NAT64 (64:ff9b::/96) or 6to4 (2002::/16) addresses, checked as IPv4. */
function embeddedIpv4(address: string): string | null {
  const groups = expandIpv6(address);
  if (!groups) return null;
  const isNat64 = groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0);
  const pair = isNat64 ? groups.slice(6, 8) : groups[0] === 0x2002 ? groups.slice(1, 3) : null;
  if (!pair) return null;
  const [high, low] = pair as [number, number];
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");
}

/** An IPv6 address as its eight 16-bit groups (accepts `::` and a trailing dotted IPv4). */
function expandIpv6(address: string): number[] | null {
  let text = address.toLowerCase().split("%")[0]!;
  const dotted = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const bytes = dotted[1]!.split(".").map(Number);
    text = `${text.slice(0, -dotted[1]!.length)}${((bytes[0]! << 8) | bytes[1]!).toString(16)}:${((bytes[2]! << 8) | bytes[3]!).toString(16)}`;
  }
  const [head, tail] = text.split("::");
  const parse = (part: string | undefined) =>
    part ? part.split(":").map((group) => Number.parseInt(group, 16)) : [];
  const left = parse(head);
  const right = parse(tail);
  if (tail === undefined && left.length !== 8) return null;
  const groups = [...left, ...Array(8 - left.length - right.length).fill(0), ...right];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff)
    ? groups
    : null;
}

/** Why `address` must not be called, or null when it is a public address. */
export function blockedReason(address: string): string | null {
  const family = isIP(address);
  if (family === 0) return "endereço inválido";
  const type = family === 4 ? "ipv4" : "ipv6";
  for (const range of blockedRanges) if (range.list.check(address, type)) return range.reason;
  if (family === 6) {
    const inner = embeddedIpv4(address);
    if (inner) return blockedReason(inner);
  }
  return null;
}

interface AllowList {
  addresses: BlockList;
  hosts: Set<string>;
}

function parseAllowList(text: string): AllowList {
  const addresses = new BlockList();
  const hosts = new Set<string>();
  for (const entry of text.split(",").map((part) => part.trim().toLowerCase())) {
    if (!entry) continue;
    if (!addCidr(addresses, entry.replace(/^\[|\]$/g, ""))) hosts.add(entry.replace(/\.$/, ""));
  }
  return { addresses, hosts };
}

function isAllowedAddress(allow: AllowList, address: string): boolean {
  return allow.addresses.check(address, isIP(address) === 4 ? "ipv4" : "ipv6");
}

const systemResolver: OutboundResolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((entry) => ({
    address: entry.address,
    family: entry.family === 6 ? 6 : 4,
  }));

/** An outbound URL refused: the message says which address and why, in pt-BR. */
export class OutboundRefused extends Error {
  override name = "OutboundRefused";
}

/** A URL checked and the address its connection must use. */
export interface CheckedTarget {
  url: URL;
  address: ResolvedAddress;
}

/**
 * Resolves `url`'s host and returns the address to connect to, or throws OutboundRefused when the
 * host is (or resolves to, even in one of its addresses) a blocked range that the allow-list does
 * not open. Numeric tricks (`http://2130706433/`, `http://0x7f.1/`, `[::ffff:127.0.0.1]`) are
 * already normalised to dotted or bracketed form by the WHATWG URL parser.
 */
export async function checkOutbound(
  rawUrl: string | URL,
  options: OutboundOptions = {},
): Promise<CheckedTarget> {
  const url = typeof rawUrl === "string" ? new URL(rawUrl) : rawUrl;
  const host = url.hostname
    .replace(/^\[|\]$/g, "")
    .toLowerCase()
    .replace(/\.$/, "");
  const allow = parseAllowList(options.allow ?? process.env.REGUA_OUTBOUND_ALLOW ?? "");
  let addresses: ResolvedAddress[];
  if (isIP(host) !== 0) addresses = [{ address: host, family: isIP(host) === 6 ? 6 : 4 }];
  else {
    try {
      addresses = await (options.resolver ?? systemResolver)(host);
    } catch {
      throw new OutboundRefused(`o nome ${host} não foi encontrado no DNS`);
    }
    if (addresses.length === 0) throw new OutboundRefused(`o nome ${host} não foi encontrado no DNS`);
  }
  if (allow.hosts.has(host)) return { url, address: addresses[0]! };
  for (const { address } of addresses) {
    if (isAllowedAddress(allow, address)) continue;
    const reason = blockedReason(address);
    if (reason) {
      const shown = address === host ? host : `${host} (${address})`;
      throw new OutboundRefused(`${shown} é um endereço interno: ${reason}; use um endereço público`);
    }
  }
  return { url, address: addresses[0]! };
}

/**
 * The save-time check of a URL field: refused addresses become a 400 naming the field. A name that
 * does not resolve today is accepted (it may be registered later); the call-time check still holds.
 */
export async function assertOutboundUrl(
  field: string,
  url: string | null | undefined,
  options: OutboundOptions = {},
): Promise<void> {
  if (!url) return;
  try {
    await checkOutbound(url, options);
  } catch (error) {
    if (!(error instanceof OutboundRefused) || error.message.includes("não foi encontrado no DNS")) return;
    throw validationError(field, `${field}: ${error.message}`);
  }
}

/**
 * Options for `http.request` that connect to the checked address while keeping the URL's host
 * name for the Host header, TLS SNI and certificate check.
 */
export function pinnedRequestOptions(target: CheckedTarget): Pick<http.RequestOptions, "lookup"> {
  const { address, family } = target.address;
  return {
    lookup: ((
      _hostname: string,
      lookupOptions: { all?: boolean },
      callback: (...args: unknown[]) => void,
    ) => {
      if (lookupOptions?.all) callback(null, [{ address, family }]);
      else callback(null, address, family);
    }) as unknown as http.RequestOptions["lookup"],
  };
}

export interface OutboundResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * One HTTP request to an outbound URL, checked and pinned (see checkOutbound). Redirects are not
 * followed: a redirect could point anywhere.
 */
export async function requestOutbound(
  rawUrl: string,
  init: {
    method: string;
    headers: Record<string, string>;
    body: string;
    timeoutMs: number;
    agent?: http.Agent;
  },
  options: OutboundOptions = {},
): Promise<OutboundResponse> {
  const target = await checkOutbound(rawUrl, options);
  const client = target.url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const outgoing = client.request(
      target.url,
      {
        method: init.method,
        headers: { ...init.headers, "content-length": Buffer.byteLength(init.body) },
        timeout: init.timeoutMs,
        ...(init.agent ? { agent: init.agent } : {}),
        ...pinnedRequestOptions(target),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      },
    );
    outgoing.on("timeout", () => outgoing.destroy(new OutboundTimeout("tempo esgotado")));
    outgoing.on("error", reject);
    outgoing.end(init.body);
  });
}

export class OutboundTimeout extends Error {
  override name = "TimeoutError";
}
