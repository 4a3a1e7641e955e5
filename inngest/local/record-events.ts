// Stores events and acts on them: dedupe by id (24 h), start the runs their triggers match,
// resume runs waiting for them (step.waitForEvent) and cancel runs whose cancelOn matches.
// Ending a run emits events (function.finished) and events can end runs (cancelOn), so finishRun
// lives here, above run-store.ts, which only returns the events a run's end emits.
import type { SqlQuery } from "@/lib/db/client";
import { compileExpression, type Expression } from "./compile-expression";
import type { Effects, EngineContext, IncomingEvent } from "./engine-context";
import { sqlTime } from "./engine-context";
import { createEngineId } from "@/lib/db/ids";
import { createRuns, endRun, enqueueDiscovery, insertStep, type RunEnd, type RunRequest } from "./run-store";

/** Ends a running run (run-store's endRun) and records the events its end emits; false when it was no longer running. */
export async function finishRun(q: SqlQuery, ctx: EngineContext, runId: string, end: RunEnd, fx: Effects): Promise<boolean> {
  const emitted = await endRun(q, ctx, runId, end, fx);
  if (!emitted) return false;
  if (emitted.length) await recordEvents(q, ctx, emitted, fx);
  return true;
}

/** Returns the engine's id of each event, in order (duplicates are stored but start nothing). */
export async function recordEvents(q: SqlQuery, ctx: EngineContext, events: IncomingEvent[], fx: Effects): Promise<string[]> {
  const now = Date.now();
  const rows = events.map((e) => ({
    id: createEngineId(now),
    externalId: e.id ?? null,
    name: e.name,
    data: e.data ?? {},
    ts: e.ts ?? now,
    v: e.v,
    user: e.user,
  }));
  const externalIds = [...new Set(rows.flatMap((r) => (r.externalId ? [r.externalId] : [])))];
  const fresh = new Set<string>();
  if (externalIds.length) {
    const inserted = await q<{ eventId: string }>(
      `INSERT INTO "EngineEventDedupe" ("eventId", "expiresAt")
       SELECT x, $2::timestamp FROM jsonb_array_elements_text($1::jsonb) AS x
       ON CONFLICT ("eventId") DO UPDATE SET "expiresAt" = EXCLUDED."expiresAt"
       WHERE "EngineEventDedupe"."expiresAt" < $3::timestamp RETURNING "eventId"`,
      [JSON.stringify(externalIds), sqlTime(now + 86_400_000), sqlTime(now)],
    );
    for (const row of inserted) fresh.add(row.eventId);
  }
  await q(
    `INSERT INTO "EngineEvent" (id, "externalId", name, data, ts)
     SELECT id, "externalId", name, data, ts FROM jsonb_to_recordset($1::jsonb) AS x(id text, "externalId" text, name text, data jsonb, ts bigint)`,
    [JSON.stringify(rows.map(({ id, externalId, name, data, ts }) => ({ id, externalId, name, data, ts })))],
  );
  const acting = rows.filter((row) => {
    if (!row.externalId) return true;
    if (!fresh.has(row.externalId)) return false;
    fresh.delete(row.externalId); // a repeat inside the same batch is a duplicate too
    return true;
  });
  // Inside a function event.id is the sender's id when it gave one (as on Inngest), else the engine's.
  const payloads = acting.map((row) => ({
    storedId: row.id,
    name: row.name,
    data: row.data,
    id: row.externalId ?? row.id,
    ts: row.ts,
    ...(row.v ? { v: row.v } : {}),
    ...(row.user ? { user: row.user } : {}),
  }));
  const requests: RunRequest[] = [];
  const acted = payloads.map(({ storedId, ...event }) => ({ storedId, event }));
  for (const { storedId, event } of acted) {
    for (const fn of ctx.functions.values()) {
      if (fn.triggers.some((t) => t.matches(event.name) && (!t.expression || t.expression({ event })))) requests.push({ fn, event, storedEventId: storedId });
    }
  }
  await createRuns(q, ctx, requests, fx);
  if (acted.length) await resumeWaitingRuns(q, ctx, acted.map((a) => a.event), fx);
  return rows.map((r) => r.id);
}

const compiled = new Map<string, Expression>();
function expressionOf(source: string): Expression {
  let expression = compiled.get(source);
  if (!expression) {
    expression = compileExpression(source);
    compiled.set(source, expression);
  }
  return expression;
}

async function resumeWaitingRuns(q: SqlQuery, ctx: EngineContext, events: Record<string, unknown>[], fx: Effects) {
  const names = [...new Set(events.map((e) => e.name as string))];
  const waits = await q<{ id: string; runId: string; kind: string; stepId: string | null; eventName: string; expression: string | null; event: Record<string, unknown> }>(
    `SELECT w.id::text AS id, w."runId", w.kind, w."stepId", w."eventName", w.expression, r.event
     FROM "EngineWait" w JOIN "EngineRun" r ON r.id = w."runId"
     WHERE w."eventName" IN (SELECT jsonb_array_elements_text($1::jsonb)) AND r.status = 'running'
       AND (w."expiresAt" IS NULL OR w."expiresAt" > $2::timestamp)
     ORDER BY w.id`,
    [JSON.stringify(names), sqlTime(Date.now())],
  );
  if (!waits.length) return;
  for (const incoming of events) {
    for (const wait of waits) {
      if (wait.eventName !== incoming.name || wait.event.id === incoming.id) continue;
      let matches = true;
      try {
        matches = !wait.expression || expressionOf(wait.expression)({ event: wait.event, async: incoming });
      } catch {
        matches = false; // checked at sync time; an expression that cannot compile never matches
      }
      if (!matches) continue;
      if (wait.kind === "cancel") {
        await finishRun(q, ctx, wait.runId, { status: "cancelled" }, fx);
        continue;
      }
      const consumed = await q(`DELETE FROM "EngineWait" WHERE id = $1::bigint RETURNING id`, [wait.id]);
      if (!consumed.length || !wait.stepId) continue;
      if (await insertStep(q, wait.runId, wait.stepId, { data: incoming }, null)) {
        await q(`DELETE FROM "EngineJob" WHERE "runId" = $1 AND kind = 'timer' AND "stepId" = $2`, [wait.runId, wait.stepId]);
        await enqueueDiscovery(q, ctx, wait.runId, fx);
      }
    }
  }
}
