-- AlterTable
ALTER TABLE "Endpoint" ADD COLUMN     "disabledReason" TEXT;

