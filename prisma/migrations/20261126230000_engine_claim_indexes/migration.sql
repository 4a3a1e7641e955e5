-- Partial indexes for the embedded engine's claims (inngest/local/engine.ts). Prisma's schema
-- language cannot express partial indexes, so they live only here (schema.prisma says so).
-- Without them every claim scanned the whole backlog of unleased jobs: after a burst of
-- 10,000 webhooks each claim cost ~10 ms on PGlite.

-- Due jobs without a concurrency limit, oldest first.
CREATE INDEX "EngineJob_unleased_unlimited_runAt_idx" ON "EngineJob"("runAt") WHERE "leaseOwner" IS NULL AND "concurrencyKey" IS NULL;

-- Due jobs per concurrency key (also walked key by key to find the keys with due work).
CREATE INDEX "EngineJob_unleased_concurrencyKey_runAt_idx" ON "EngineJob"("concurrencyKey", "runAt", "id") WHERE "leaseOwner" IS NULL AND "concurrencyKey" IS NOT NULL;
