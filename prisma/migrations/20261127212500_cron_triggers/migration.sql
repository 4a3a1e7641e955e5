-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "scheduledFor" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "EngineCronTick" (
    "functionId" TEXT NOT NULL,
    "cron" TEXT NOT NULL,
    "scheduledAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EngineCronTick_pkey" PRIMARY KEY ("functionId","cron","scheduledAt")
);

-- CreateIndex
CREATE INDEX "EngineCronTick_createdAt_idx" ON "EngineCronTick"("createdAt");

-- CreateIndex (partial: only runs a schedule started carry scheduledFor)
CREATE UNIQUE INDEX "Run_flowId_scheduledFor_key" ON "Run"("flowId", "scheduledFor") WHERE "scheduledFor" IS NOT NULL;

