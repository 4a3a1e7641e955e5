-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "callDepth" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "parentNodeId" TEXT,
ADD COLUMN     "parentRunId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Run_parentRunId_parentNodeId_key" ON "Run"("parentRunId", "parentNodeId");

-- AddForeignKey
ALTER TABLE "Run" ADD CONSTRAINT "Run_parentRunId_fkey" FOREIGN KEY ("parentRunId") REFERENCES "Run"("id") ON DELETE SET NULL ON UPDATE CASCADE;

