import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseMasterKey, SecretBox } from "./secret-box";

describe("SecretBox", () => {
  const box = new SecretBox(randomBytes(32));

  it("round-trips a secret and never stores the plaintext", () => {
    const sealed = box.encrypt("whsec_very-secret");
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain("very-secret");
    expect(box.decrypt(sealed)).toBe("whsec_very-secret");
    expect(box.encrypt("same")).not.toBe(box.encrypt("same"));
  });

  it("rejects a tampered ciphertext and a different key", () => {
    const sealed = box.encryptJson({ password: "hunter2" });
    const raw = Buffer.from(sealed.slice(3), "base64url");
    raw[raw.length - 1] ^= 1;
    expect(() => box.decrypt(`v1:${raw.toString("base64url")}`)).toThrow(/could not be decrypted/);
    expect(() => new SecretBox(randomBytes(32)).decrypt(sealed)).toThrow(/SWITCHYARD_SECRET_KEY differs/);
    expect(box.decryptJson(sealed)).toEqual({ password: "hunter2" });
  });

  it("derives distinct stable purpose keys", () => {
    expect(box.deriveKey("auth").equals(box.deriveKey("auth"))).toBe(true);
    expect(box.deriveKey("auth").equals(box.deriveKey("other"))).toBe(false);
  });
});

describe("parseMasterKey", () => {
  it("accepts hex, base64 and long passphrases and explains what else it needs", () => {
    const key = randomBytes(32);
    expect(parseMasterKey(key.toString("hex")).equals(key)).toBe(true);
    expect(parseMasterKey(key.toString("base64")).equals(key)).toBe(true);
    expect(parseMasterKey("a passphrase that is long enough to use!").length).toBe(32);
    expect(() => parseMasterKey("short")).toThrow(/openssl rand -hex 32/);
  });
});
