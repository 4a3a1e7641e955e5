-- Running jobs per concurrency key, counted before every limited claim (inngest/local/engine.ts,
-- COUNT_RUNNING_JOBS). The plain "leaseOwner" index does not serve that count once a burst has
-- outgrown the table's statistics: PostgreSQL then scanned every queued job (2.7 ms per claim with
-- 20,000 queued, 0.07 ms with this index). Partial, so Prisma's schema cannot express it.
CREATE INDEX "EngineJob_leased_concurrencyKey_idx" ON "EngineJob"("concurrencyKey") WHERE "leaseOwner" IS NOT NULL AND "concurrencyKey" IS NOT NULL;
