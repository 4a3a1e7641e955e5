// The fast path's endpoint cache: one query per token however many requests wait for it, and an
// expired entry answers at once while one reload runs (no request waits on the reload).
import { afterEach, expect, it, vi } from "vitest";
import type { Database } from "@/lib/db";
import { invalidateEndpointCache, lookupToken, type ResolvedEndpoint } from "@/lib/webhooks/ingress/endpoint-cache";
import { describeEachDatabase } from "../helpers/databases";
import { until } from "../helpers/until";
import { createFixture } from "./hook-fixtures";

/** The database with its endpoint reads counted (the cache is per Database object). */
function countingReads(db: Database) {
  const counter = { reads: 0 };
  const endpoint = { findUnique: (args: never) => (counter.reads++, db.prisma.endpoint.findUnique(args)) };
  const prisma = { endpoint, endpointRetiredToken: db.prisma.endpointRetiredToken };
  return { db: { ...db, prisma } as unknown as Database, counter };
}

describeEachDatabase("endpoint cache", (getDb) => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("reads a token once for many concurrent requests", async () => {
    const f = await createFixture(getDb());
    const { db, counter } = countingReads(getDb());
    const lookups = await Promise.all(Array.from({ length: 20 }, () => lookupToken(db, f.token)));
    expect(counter.reads).toBe(1);
    expect(new Set(lookups.map((l) => (l as ResolvedEndpoint).id))).toEqual(new Set([f.endpointId]));
  });

  it("answers from an expired entry at once while one reload runs, and waits once it is too old", async () => {
    const f = await createFixture(getDb(), "webhook_trigger", { rateLimitPerMinute: 100 });
    const { db, counter } = countingReads(getDb());
    vi.useFakeTimers({ toFake: ["Date"] });
    const rateLimit = async () => ((await lookupToken(db, f.token)) as ResolvedEndpoint).rateLimitPerMinute;
    expect(await rateLimit()).toBe(100);
    // Changed behind the cache's back (as another process would).
    await getDb().prisma.endpoint.update({ where: { id: f.endpointId }, data: { rateLimitPerMinute: 200 } });

    vi.setSystemTime(Date.now() + 1500); // expired, within the stale window
    expect(await rateLimit()).toBe(100);
    await until(() => counter.reads === 2, "the background reload");
    await until(async () => (await rateLimit()) === 200, "the reloaded value");
    expect(counter.reads).toBe(2);

    await getDb().prisma.endpoint.update({ where: { id: f.endpointId }, data: { rateLimitPerMinute: 300 } });
    vi.setSystemTime(Date.now() + 2500); // past the stale window: the request waits for the database
    expect(await rateLimit()).toBe(300);
    expect(counter.reads).toBe(3);

    await getDb().prisma.endpoint.update({ where: { id: f.endpointId }, data: { rateLimitPerMinute: 400 } });
    invalidateEndpointCache(); // a change made through lib/webhooks is seen by the very next request
    expect(await rateLimit()).toBe(400);
  });
});
