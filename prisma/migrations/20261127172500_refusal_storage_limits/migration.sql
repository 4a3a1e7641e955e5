-- AlterTable
ALTER TABLE "Endpoint" ADD COLUMN     "lastRefusalNotStoredAt" TIMESTAMP(3),
ADD COLUMN     "refusalsNotStored" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN     "bodyTruncated" BOOLEAN NOT NULL DEFAULT false;

