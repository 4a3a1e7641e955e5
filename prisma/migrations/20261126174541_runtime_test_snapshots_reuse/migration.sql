-- AlterTable
ALTER TABLE "FlowVersion" ADD COLUMN     "isTestSnapshot" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "RunStep" ADD COLUMN     "reusedFromRunId" TEXT;

