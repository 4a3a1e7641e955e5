-- AlterTable
ALTER TABLE "RunStep" ADD COLUMN     "logs" JSONB;

