import { Readable } from "node:stream";
import busboy from "busboy";

/** A media type without parameters, lower-cased ("application/json"), or null when absent. */
export function mediaType(contentType: string | undefined): string | null {
  const type = contentType?.split(";")[0].trim().toLowerCase();
  return type ? type : null;
}

/** Whether `type` matches one of the accepted media ranges ("application/json", "text/*", "application/*+json", "*\/*"). */
export function isAcceptedMediaType(type: string, accepted: string[]): boolean {
  const [main, sub] = type.split("/");
  return accepted.some((range) => {
    const [rMain, rSub] = range.split("/");
    if (rMain !== "*" && rMain !== main) return false;
    if (rSub === "*") return true;
    if (rSub.startsWith("*+")) return sub?.endsWith(rSub.slice(1)) ?? false;
    return rSub === sub;
  });
}

export function isJsonType(type: string): boolean {
  return type === "application/json" || type.endsWith("+json");
}

export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  size: number;
  /** Where the bytes are: the multipart body stored with the delivery, file number `index`. */
  ref: { deliveryId: string; index: number };
}

export type ParsedBody =
  | { ok: true; body: unknown }
  | { ok: false; status: 400 | 413; code: string; message: string };

/**
 * Turns the raw bytes into the `body` flows see: JSON values, form fields (repeated fields become
 * arrays), text, or (for other accepted types) the text of the bytes.
 */
export async function parseBody(
  raw: Buffer,
  contentType: string | undefined,
  options: { deliveryId: string; maxFileBytes: number },
): Promise<ParsedBody> {
  const type = mediaType(contentType);
  if (raw.length === 0) return { ok: true, body: null };
  if (type && isJsonType(type)) {
    let body: unknown;
    try {
      body = JSON.parse(raw.toString("utf8"));
    } catch (error) {
      return { ok: false, status: 400, code: "malformed_json", message: `The body is not valid JSON: ${(error as Error).message}` };
    }
    if (nestingDepth(body) > MAX_JSON_DEPTH) {
      return { ok: false, status: 400, code: "body_too_deep", message: `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels of objects and arrays.` };
    }
    return { ok: true, body };
  }
  if (type === "application/x-www-form-urlencoded") {
    return { ok: true, body: collectFields(new URLSearchParams(raw.toString("utf8"))) };
  }
  if (type === "multipart/form-data") return parseMultipart(raw, contentType!, options);
  return { ok: true, body: raw.toString("utf8") };
}

/**
 * Deepest nesting of objects and arrays a JSON body may have (documented in the README). Deeper
 * payloads are refused up front: every later pass over the payload (storing, expressions, the run log)
 * walks it, and a few thousand levels overflow the stack there.
 */
export const MAX_JSON_DEPTH = 128;

/** Nesting depth of a parsed JSON value (a scalar is 0), without recursion. */
function nestingDepth(value: unknown): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length) {
    const [item, depth] = pending.pop()!;
    if (item === null || typeof item !== "object") continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_JSON_DEPTH) return deepest;
    for (const child of Array.isArray(item) ? item : Object.values(item)) pending.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * Form fields and query parameters as an object: plain strings, arrays only for repeated keys. Every
 * key is kept as an own property, names like `constructor` or `__proto__` included, and nothing is
 * read from Object.prototype.
 */
export function collectFields(entries: Iterable<[string, string]>, valueOf: (key: string, value: string) => string = (_key, value) => value): Record<string, string | string[]> {
  const fields = new Map<string, string | string[]>();
  for (const [key, raw] of entries) {
    const value = valueOf(key, raw);
    const prev = fields.get(key);
    fields.set(key, prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value]);
  }
  return Object.fromEntries(fields);
}

function parseMultipart(raw: Buffer, contentType: string, options: { deliveryId: string; maxFileBytes: number }): Promise<ParsedBody> {
  return new Promise((resolve) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: { "content-type": contentType }, limits: { fileSize: options.maxFileBytes, fields: 1000, files: 50 } });
    } catch (error) {
      return resolve({ ok: false, status: 400, code: "malformed_multipart", message: `The multipart body cannot be read: ${(error as Error).message}` });
    }
    const fields: [string, string][] = [];
    const files: UploadedFile[] = [];
    let failure: ParsedBody | null = null;
    parser.on("field", (name, value) => fields.push([name, value]));
    parser.on("file", (field, stream, info) => {
      const index = files.length;
      const file: UploadedFile = { field, filename: info.filename ?? "", contentType: info.mimeType, size: 0, ref: { deliveryId: options.deliveryId, index } };
      files.push(file);
      stream.on("data", (chunk: Buffer) => (file.size += chunk.length));
      stream.on("limit", () => {
        failure ??= { ok: false, status: 413, code: "file_too_large", message: `The file "${file.filename}" is larger than ${options.maxFileBytes} bytes.` };
      });
    });
    parser.on("error", (error: Error) => {
      failure ??= { ok: false, status: 400, code: "malformed_multipart", message: `The multipart body cannot be read: ${error.message}` };
      resolve(failure);
    });
    parser.on("close", () => resolve(failure ?? { ok: true, body: Object.assign(collectFields(fields), files.length ? { files } : {}) }));
    Readable.from([raw]).pipe(parser);
  });
}
