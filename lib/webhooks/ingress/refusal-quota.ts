// Refused requests (bad signature, disabled endpoint, rate limited, …) can come from anyone who knows
// a webhook URL, so what they put on disk is bounded: each keeps only the start of its body and
// headers, and each endpoint stores a fixed number per minute. The rest are counted in memory and
// added to the endpoint's counter every few seconds — one statement per flush, none per request.
import type { Database } from "@/lib/db";
import type { DeliveryRow } from "./ingest-writer";
import { REFUSALS_STORED_PER_MINUTE, REFUSED_BODY_KEPT_BYTES, REFUSED_FIELDS_KEPT_CHARS } from "../endpoints/limits";
const FLUSH_AFTER_MS = 2000;

/** The row as stored for a refused request: the start of its body, headers and query. */
export function capRefusedDelivery(row: DeliveryRow): DeliveryRow {
  const bodyTruncated = !!row.rawBody && row.rawBody.length > REFUSED_BODY_KEPT_BYTES;
  return {
    ...row,
    rawBody: bodyTruncated ? row.rawBody!.subarray(0, utf8Boundary(row.rawBody!, REFUSED_BODY_KEPT_BYTES)) : row.rawBody,
    bodyTruncated,
    headers: capFields(row.headers),
    query: row.query && capFields(row.query),
  };
}

/** Where to cut `bytes` at or before `at` without splitting a UTF-8 character (text stays text). */
function utf8Boundary(bytes: Buffer, at: number): number {
  let cut = at;
  while (cut > at - 4 && cut > 0 && (bytes[cut] & 0xc0) === 0x80) cut--;
  return cut;
}

function capFields<V>(fields: Record<string, V>): Record<string, V | string> {
  const out: Record<string, V | string> = Object.create(null);
  let left = REFUSED_FIELDS_KEPT_CHARS;
  let dropped = 0;
  for (const [name, value] of Object.entries(fields)) {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    left -= name.length;
    if (left <= 0) {
      dropped++;
      continue;
    }
    out[name] = text.length <= left ? value : `${text.slice(0, left)}…[truncated]`;
    left -= text.length;
  }
  if (dropped > 0) out["…"] = `${dropped} more not stored`;
  return out;
}

export class RefusalQuota {
  readonly #db: Database;
  #minute = -1;
  #stored = new Map<string, number>();
  #notStored = new Map<string, { count: number; lastAt: Date }>();
  #timer: NodeJS.Timeout | null = null;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Whether a refused request to `endpointId` may be stored; if not, it is counted instead. */
  admit(endpointId: string, at: Date): boolean {
    const minute = Math.floor(at.getTime() / 60_000);
    if (minute !== this.#minute) {
      this.#minute = minute;
      this.#stored.clear();
    }
    const stored = this.#stored.get(endpointId) ?? 0;
    if (stored < REFUSALS_STORED_PER_MINUTE) {
      this.#stored.set(endpointId, stored + 1);
      return true;
    }
    const counted = this.#notStored.get(endpointId);
    if (counted) {
      counted.count++;
      if (at > counted.lastAt) counted.lastAt = at;
    } else {
      this.#notStored.set(endpointId, { count: 1, lastAt: at });
    }
    this.#timer ??= setTimeout(() => void this.flush(), FLUSH_AFTER_MS).unref();
    return false;
  }

  /** Adds what was counted to the endpoints' counters (also on shutdown). */
  async flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#notStored.size === 0) return;
    const counted = [...this.#notStored];
    this.#notStored = new Map();
    try {
      await this.#db.query(
        `UPDATE "Endpoint" e SET "refusalsNotStored" = e."refusalsNotStored" + x.n,
           "lastRefusalNotStoredAt" = GREATEST(e."lastRefusalNotStoredAt", x.at AT TIME ZONE 'UTC')
          FROM unnest($1::text[], $2::int[], $3::timestamptz[]) AS x(id, n, at) WHERE e.id = x.id`,
        [counted.map(([id]) => id), counted.map(([, c]) => c.count), counted.map(([, c]) => c.lastAt.toISOString())],
      );
    } catch (error) {
      console.error(`[hooks] could not count refused requests that were not stored (retrying): ${(error as Error).message}`);
      for (const [id, c] of counted) {
        const now = this.#notStored.get(id);
        this.#notStored.set(id, now ? { count: now.count + c.count, lastAt: now.lastAt > c.lastAt ? now.lastAt : c.lastAt } : c);
      }
      this.#timer ??= setTimeout(() => void this.flush(), FLUSH_AFTER_MS).unref();
    }
  }
}

const quotas = new WeakMap<Database, RefusalQuota>();

/** The quota of stored refusals for this database's endpoints (one per database). */
export function refusalQuotaFor(db: Database): RefusalQuota {
  let quota = quotas.get(db);
  if (!quota) quotas.set(db, (quota = new RefusalQuota(db)));
  return quota;
}
