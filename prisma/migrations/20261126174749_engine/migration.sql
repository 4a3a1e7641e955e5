-- CreateTable
CREATE TABLE "EngineEvent" (
    "id" TEXT NOT NULL,
    "externalId" TEXT,
    "name" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "ts" BIGINT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EngineEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EngineEventDedupe" (
    "eventId" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EngineEventDedupe_pkey" PRIMARY KEY ("eventId")
);

-- CreateTable
CREATE TABLE "EngineRun" (
    "id" TEXT NOT NULL,
    "functionId" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "event" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "output" JSONB,
    "error" JSONB,
    "parallel" BOOLEAN NOT NULL DEFAULT false,
    "nextSeq" INTEGER NOT NULL DEFAULT 0,
    "concurrencyKey" TEXT,
    "parentRunId" TEXT,
    "parentStepId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "EngineRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EngineStep" (
    "runId" TEXT NOT NULL,
    "stepId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "name" TEXT,
    "data" JSONB,
    "error" JSONB,
    "completedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EngineStep_pkey" PRIMARY KEY ("runId","stepId")
);

-- CreateTable
CREATE TABLE "EngineJob" (
    "id" BIGSERIAL NOT NULL,
    "runId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "stepId" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "runAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" BIGINT,
    "rediscover" BOOLEAN NOT NULL DEFAULT false,
    "concurrencyKey" TEXT,
    "payload" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EngineJob_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EngineWait" (
    "id" BIGSERIAL NOT NULL,
    "runId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "stepId" TEXT,
    "eventName" TEXT NOT NULL,
    "expression" TEXT,
    "expiresAt" TIMESTAMP(3),

    CONSTRAINT "EngineWait_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EngineIdempotencyKey" (
    "key" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EngineIdempotencyKey_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "EngineEvent_name_receivedAt_idx" ON "EngineEvent"("name", "receivedAt");

-- CreateIndex
CREATE INDEX "EngineEventDedupe_expiresAt_idx" ON "EngineEventDedupe"("expiresAt");

-- CreateIndex
CREATE INDEX "EngineRun_functionId_createdAt_idx" ON "EngineRun"("functionId", "createdAt");

-- CreateIndex
CREATE INDEX "EngineRun_status_createdAt_idx" ON "EngineRun"("status", "createdAt");

-- CreateIndex
CREATE INDEX "EngineJob_runAt_idx" ON "EngineJob"("runAt");

-- CreateIndex
CREATE INDEX "EngineJob_leaseOwner_idx" ON "EngineJob"("leaseOwner");

-- CreateIndex
CREATE UNIQUE INDEX "EngineJob_runId_kind_stepId_key" ON "EngineJob"("runId", "kind", "stepId");

-- CreateIndex
CREATE INDEX "EngineWait_eventName_idx" ON "EngineWait"("eventName");

-- CreateIndex
CREATE INDEX "EngineWait_runId_idx" ON "EngineWait"("runId");

-- CreateIndex
CREATE INDEX "EngineIdempotencyKey_expiresAt_idx" ON "EngineIdempotencyKey"("expiresAt");

