-- CreateTable
CREATE TABLE "FlowAlertState" (
    "flowId" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "alertedStreak" TEXT,
    "suppressedStreak" TEXT,
    "lastAlertAt" TIMESTAMP(3),

    CONSTRAINT "FlowAlertState_pkey" PRIMARY KEY ("flowId")
);

-- AddForeignKey
ALTER TABLE "FlowAlertState" ADD CONSTRAINT "FlowAlertState_flowId_fkey" FOREIGN KEY ("flowId") REFERENCES "Flow"("id") ON DELETE CASCADE ON UPDATE CASCADE;

