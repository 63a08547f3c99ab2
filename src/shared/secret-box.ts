import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "./errors.ts";

/**
 * Provider credentials (SMTP passwords, SMS and WhatsApp tokens, webhook and gateway secrets) are
 * stored sealed: AES-256-GCM under one key per installation, `enc:v1:` + base64url(iv ‖ tag ‖
 * ciphertext). The key comes from REGUA_SECRET_KEY (base64 of 32 bytes); the embedded setup
 * without it generates one once into its data folder (`secret.key`, mode 0600). PostgreSQL without
 * REGUA_SECRET_KEY is refused: several servers share that database, and a key file on one of them
 * would leave the others unable to read the secrets.
 */
const SEALED_PREFIX = "enc:v1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const SECRET_KEY_ENV = "REGUA_SECRET_KEY";
export const SECRET_KEY_FILE = "secret.key";

function decodeKey(text: string, source: string): Buffer {
  const key = Buffer.from(text.trim(), "base64");
  if (key.length !== 32) {
    throw new AppError(
      "internal",
      `${source}: a chave deve ser 32 bytes em base64 (gere uma com: openssl rand -base64 32)`,
    );
  }
  return key;
}

/** The installation's key, from the environment or (embedded database only) the data folder. */
export function loadSecretKey(env: NodeJS.ProcessEnv = process.env): Buffer {
  const fromEnv = env[SECRET_KEY_ENV];
  if (fromEnv) return decodeKey(fromEnv, SECRET_KEY_ENV);
  if (env.DATABASE_URL) {
    throw new AppError(
      "internal",
      `${SECRET_KEY_ENV} é obrigatória com PostgreSQL (DATABASE_URL): defina a mesma chave em todos os ` +
        "processos (gere uma com: openssl rand -base64 32); sem ela os segredos dos provedores não podem ser lidos",
    );
  }
  const folder = env.REGUA_DATA_DIR ?? ".regua";
  const file = join(folder, SECRET_KEY_FILE);
  mkdirSync(folder, { recursive: true });
  try {
    // 'wx': two processes starting at once cannot both write a key; the loser reads the winner's
    writeFileSync(file, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  if ((statSync(file).mode & 0o077) !== 0) {
    throw new AppError(
      "internal",
      `${file}: a chave não pode ser legível por outros usuários; rode chmod 600 ${file}`,
    );
  }
  return decodeKey(readFileSync(file, "utf8"), file);
}

let processKey: Buffer | null = null;

/** The key of this process, resolved once (call at start to fail early on a missing key). */
export function secretKey(): Buffer {
  processKey ??= loadSecretKey();
  return processKey;
}

export function isSealed(stored: string): boolean {
  return stored.startsWith(SEALED_PREFIX);
}

export function sealSecret(plain: string, key: Buffer = secretKey()): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return SEALED_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64url");
}

/**
 * The one way to read a stored secret. A value written before secrets were sealed (no prefix) is
 * returned as it is; `sealPlaintextSecrets` seals those at start.
 */
export function openSecret(stored: string, key: Buffer = secretKey()): string {
  if (!isSealed(stored)) return stored;
  const packed = Buffer.from(stored.slice(SEALED_PREFIX.length), "base64url");
  const decipher = createDecipheriv("aes-256-gcm", key, packed.subarray(0, IV_BYTES));
  decipher.setAuthTag(packed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(packed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    // never the value itself in the message
    throw new AppError(
      "internal",
      `um segredo guardado não pôde ser decifrado: ${SECRET_KEY_ENV} não é a chave com que ele foi cifrado`,
    );
  }
}

export function openSecretOrNull(stored: string | null | undefined): string | null {
  return stored ? openSecret(stored) : null;
}

export function sealSecretOrNull(plain: string | null | undefined): string | null {
  return plain ? sealSecret(plain) : null;
}

/** How a secret is shown back: "••••" and its last 4 characters, never more. */
export function maskSecret(plain: string | null): string | null {
  if (!plain) return null;
  return `••••${plain.length > 8 ? plain.slice(-4) : ""}`;
}
