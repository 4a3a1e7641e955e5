-- Deleting a run sets "replayOfId" of its replays to NULL (ON DELETE SET NULL). Without an index
-- PostgreSQL scans every run for each run the retention purge deletes (lib/runs/purge-runs.ts).
-- Partial: only replays carry the column, so ordinary runs add nothing to it. Prisma's schema
-- cannot express a partial index.
CREATE INDEX "Run_replayOfId_idx" ON "Run"("replayOfId") WHERE "replayOfId" IS NOT NULL;
