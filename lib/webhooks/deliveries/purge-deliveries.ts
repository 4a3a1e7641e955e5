import type { Database } from "@/lib/db";
import { deleteInBatches } from "@/lib/db/delete-in-batches";

/** Deliveries are kept at least this long whatever the retention: dedupe keys must outlive Stripe's 3-day retries. */
export const MIN_DELIVERY_RETENTION_DAYS = 3;
/** Rows per DELETE. */
export const DELIVERY_PURGE_BATCH = 1000;

const DELETE_DELIVERIES = `WITH doomed AS (
    SELECT id FROM "WebhookDelivery"
     WHERE "workspaceId" = $1 AND "receivedAt" < (now() AT TIME ZONE 'UTC') - make_interval(days => GREATEST($2::int, $3::int))
     LIMIT $4
     FOR UPDATE SKIP LOCKED),
  gone AS (DELETE FROM "WebhookDelivery" WHERE id IN (SELECT id FROM doomed) RETURNING 1)
  SELECT count(*)::int AS n FROM gone`;

const DELETE_SENT_OUTBOX = `WITH doomed AS (
    SELECT id FROM "OutboxEvent" WHERE "sentAt" < (now() AT TIME ZONE 'UTC') - make_interval(days => $1::int) LIMIT $2 FOR UPDATE SKIP LOCKED),
  gone AS (DELETE FROM "OutboxEvent" WHERE id IN (SELECT id FROM doomed) RETURNING 1)
  SELECT count(*)::int AS n FROM gone`;

/**
 * Deletes deliveries older than their workspace's retentionDays (never younger than 3 days), and
 * sent outbox events older than 3 days, in batches.
 */
export async function purgeExpiredDeliveries(db: Database, batch = DELIVERY_PURGE_BATCH): Promise<{ deliveries: number; outboxEvents: number }> {
  const workspaces = await db.query<{ id: string; retentionDays: number }>(`SELECT id, "retentionDays" FROM "Workspace"`);
  let deliveries = 0;
  for (const workspace of workspaces) {
    deliveries += await deleteInBatches(db, DELETE_DELIVERIES, [workspace.id, workspace.retentionDays, MIN_DELIVERY_RETENTION_DAYS], batch);
  }
  const outboxEvents = await deleteInBatches(db, DELETE_SENT_OUTBOX, [MIN_DELIVERY_RETENTION_DAYS], batch);
  return { deliveries, outboxEvents };
}
