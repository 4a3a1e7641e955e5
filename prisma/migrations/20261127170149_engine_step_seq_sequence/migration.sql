-- Checkpoints stop updating the run row once per step (EngineRun."nextSeq", which copied the whole
-- row with its event each time and cost most of the checkpoint statement's time): a step's place
-- comes from one sequence shared by all runs, which orders each run's steps as they were stored.
-- Prisma would write "SET DATA TYPE BIGSERIAL", which PostgreSQL does not accept; hence by hand.
ALTER TABLE "EngineRun" DROP COLUMN "nextSeq";

ALTER TABLE "EngineStep" ALTER COLUMN "seq" SET DATA TYPE BIGINT;
CREATE SEQUENCE enginestep_seq_seq OWNED BY "EngineStep"."seq";
-- Steps of runs in progress during the upgrade were numbered 0, 1, … per run: continue above them.
SELECT setval('enginestep_seq_seq', COALESCE((SELECT max(seq) FROM "EngineStep"), 0) + 1, false);
ALTER TABLE "EngineStep" ALTER COLUMN "seq" SET DEFAULT nextval('enginestep_seq_seq');
