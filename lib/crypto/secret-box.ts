import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { dataDir } from "@/lib/db/config";
import { processSlot } from "@/lib/process-singletons";

// Ciphertext format: "v1:" + base64url(iv[12] | tag[16] | ciphertext). The version prefix
// lets a later key or algorithm change coexist with stored values.
const VERSION = "v1";

/** Encrypts and decrypts secrets at rest with AES-256-GCM. */
export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error("SecretBox needs a 32-byte key");
    this.#key = key;
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64url")}`;
  }

  decrypt(sealed: string): string {
    const [version, payload] = sealed.split(":", 2);
    if (version !== VERSION || !payload) throw new Error("Not a Switchyard secret (unknown format)");
    const raw = Buffer.from(payload, "base64url");
    const decipher = createDecipheriv("aes-256-gcm", this.#key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    try {
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
    } catch {
      throw new Error("Secret could not be decrypted: SWITCHYARD_SECRET_KEY differs from the key it was stored with");
    }
  }

  encryptJson(value: unknown): string {
    return this.encrypt(JSON.stringify(value));
  }

  decryptJson<T = unknown>(sealed: string): T {
    return JSON.parse(this.decrypt(sealed)) as T;
  }

  /** A purpose-bound key derived from the master key (e.g. the session-signing secret). */
  deriveKey(purpose: string): Buffer {
    return Buffer.from(hkdfSync("sha256", this.#key, Buffer.alloc(0), `switchyard:${purpose}`, 32));
  }
}

/**
 * Parses SWITCHYARD_SECRET_KEY: 32 bytes as 64 hex characters or base64. Any other string of
 * at least 32 characters is accepted as a passphrase and hashed to 32 bytes.
 */
export function parseMasterKey(value: string): Buffer {
  const trimmed = value.trim();
  if (/^[0-9a-f]{64}$/i.test(trimmed)) return Buffer.from(trimmed, "hex");
  const b64 = Buffer.from(trimmed, "base64");
  if (b64.length === 32 && /^[A-Za-z0-9+/_-]+=*$/.test(trimmed)) return b64;
  if (trimmed.length >= 32) return createHash("sha256").update(trimmed).digest();
  throw new Error(
    "SWITCHYARD_SECRET_KEY must be 32 bytes as hex (64 characters) or base64, or a passphrase of at least 32 characters. " +
      "Generate one with: openssl rand -hex 32",
  );
}

const processBox = processSlot<SecretBox>("secretBox");

/** The process's SecretBox: key from SWITCHYARD_SECRET_KEY, else generated once into DATA_DIR. */
export function secretBox(): SecretBox {
  processBox.value ??= new SecretBox(loadMasterKey());
  return processBox.value;
}

function loadMasterKey(): Buffer {
  const fromEnv = process.env.SWITCHYARD_SECRET_KEY;
  if (fromEnv) return parseMasterKey(fromEnv);
  const file = path.join(dataDir(), "secret.key");
  if (existsSync(file)) return parseMasterKey(readFileSync(file, "utf8"));
  mkdirSync(path.dirname(file), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString("hex") + "\n", { mode: 0o600, flag: "wx" });
  console.log(
    `[crypto] SWITCHYARD_SECRET_KEY is not set: generated a new key in ${file}. ` +
      "Back it up; stored secrets cannot be read without it.",
  );
  return key;
}
