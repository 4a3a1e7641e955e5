-- AlterTable
ALTER TABLE "RunStep" ADD COLUMN     "warnings" JSONB;

