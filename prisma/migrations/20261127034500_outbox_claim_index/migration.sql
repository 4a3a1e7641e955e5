-- Partial index for the outbox relay's claim (lib/outbox/relay.ts), which Prisma's schema
-- language cannot express (schema.prisma says so). Without it every claim read and sorted all
-- unsent events: with 50,000 waiting after a burst, 18 ms on PostgreSQL and 47-93 ms on PGlite,
-- every relay pass; with it, 0.02-0.3 ms.

-- Unsent events in the order they are due.
CREATE INDEX "OutboxEvent_unsent_nextAttemptAt_idx" ON "OutboxEvent"("nextAttemptAt") WHERE "sentAt" IS NULL;
