-- for_each: one RunStep row per item and attempt. NULLS NOT DISTINCT (PostgreSQL 15+) keeps a row
-- outside any loop (itemIndex NULL) unique per (run, node, attempt), so the recorders' upserts
-- still find it; Prisma's schema language cannot say this, hence written by hand.

-- DropIndex
DROP INDEX "RunStep_runId_nodeId_attempt_key";

-- AlterTable
ALTER TABLE "RunStep" ADD COLUMN     "itemIndex" INTEGER;

-- CreateIndex
CREATE UNIQUE INDEX "RunStep_runId_nodeId_itemIndex_attempt_key" ON "RunStep"("runId", "nodeId", "itemIndex", "attempt") NULLS NOT DISTINCT;
