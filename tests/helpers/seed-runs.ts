// Seeds realistic run history with set-based SQL (fast enough for 100,000 runs × 5 steps):
// runs spread one per `spacingSeconds` back from now, statuses cycling, payloads that differ.
import type { Database } from "@/lib/db";

export const SEED_STATUSES = ["succeeded", "succeeded", "succeeded", "failed", "running", "waiting", "cancelled"] as const;

export interface SeededWorkspace {
  workspaceId: string;
  flowIds: [string, string];
  versionIds: [string, string];
}

export async function seedWorkspace(db: Database, prefix: string): Promise<SeededWorkspace> {
  const workspaceId = `${prefix}_ws`;
  const graph = JSON.stringify({
    nodes: ["trigger", "a", "b", "c", "d"].map((id, i) => ({ id, kind: i ? "http_request" : "webhook_trigger", name: id, config: {}, position: { x: i * 200, y: 0 } })),
    edges: [],
  });
  await db.query(`INSERT INTO "Workspace" (id, name, slug) VALUES ($1, $2, $3)`, [workspaceId, prefix, `${prefix}-slug`]);
  for (const n of [1, 2]) {
    await db.query(`INSERT INTO "Flow" (id, "workspaceId", name, "draftGraph", "updatedAt") VALUES ($1, $2, $3, $4::jsonb, now())`, [
      `${prefix}_flow${n}`,
      workspaceId,
      `${prefix} flow ${n}`,
      graph,
    ]);
    await db.query(`INSERT INTO "FlowVersion" (id, "flowId", "workspaceId", version, graph) VALUES ($1, $2, $3, 1, $4::jsonb)`, [
      `${prefix}_v${n}`,
      `${prefix}_flow${n}`,
      workspaceId,
      graph,
    ]);
  }
  return { workspaceId, flowIds: [`${prefix}_flow1`, `${prefix}_flow2`], versionIds: [`${prefix}_v1`, `${prefix}_v2`] };
}

/** Inserts `count` runs (every 10th on the second flow) with `stepsPerRun` steps each. */
export async function seedRuns(db: Database, ws: SeededWorkspace, prefix: string, count: number, options: { stepsPerRun?: number; spacingSeconds?: number; batch?: number } = {}) {
  const steps = options.stepsPerRun ?? 5;
  const spacing = options.spacingSeconds ?? 5;
  const batch = options.batch ?? 20_000;
  const statuses = `ARRAY[${SEED_STATUSES.map((s) => `'${s}'`).join(",")}]`;
  for (let start = 1; start <= count; start += batch) {
    const end = Math.min(count, start + batch - 1);
    await db.query(
      `INSERT INTO "Run" (id, "workspaceId", "flowId", "flowVersionId", status, "triggerPayload", "isTest", "createdAt", "startedAt", "finishedAt", "durationMs", error)
       SELECT $1 || '_run_' || lpad(g::text, 7, '0'), $2,
              CASE WHEN g % 10 = 0 THEN $4 ELSE $3 END,
              CASE WHEN g % 10 = 0 THEN $6 ELSE $5 END,
              (${statuses})[1 + g % ${SEED_STATUSES.length}]::"RunStatus",
              jsonb_build_object('method', 'POST', 'body', jsonb_build_object('email', 'customer' || g || '@example.com', 'amount', g % 500)),
              false,
              now() - make_interval(secs => g * ${spacing}),
              now() - make_interval(secs => g * ${spacing}),
              now() - make_interval(secs => g * ${spacing}) + make_interval(secs => (g % 50) / 10.0),
              (g % 50) * 100 + 20,
              CASE WHEN (${statuses})[1 + g % ${SEED_STATUSES.length}] = 'failed' THEN jsonb_build_object('message', 'HTTP 503 from target', 'nodeId', 'c') END
       FROM generate_series($7::int, $8::int) g`,
      [prefix, ws.workspaceId, ws.flowIds[0], ws.flowIds[1], ws.versionIds[0], ws.versionIds[1], start, end],
    );
    if (steps > 0) {
      await db.query(
        `INSERT INTO "RunStep" (id, "runId", "nodeId", "nodeKind", attempt, status, input, output, "startedAt", "finishedAt", "durationMs")
         SELECT r.id || '_s' || s, r.id, (ARRAY['trigger','a','b','c','d'])[1 + (s - 1) % 5], 'http_request', 1,
                CASE WHEN r.status = 'failed' AND s = ${steps} THEN 'failed'::"StepStatus" ELSE 'succeeded'::"StepStatus" END,
                jsonb_build_object('url', 'https://example.com/' || s), jsonb_build_object('status', 200),
                r."createdAt" + make_interval(secs => s / 10.0), r."createdAt" + make_interval(secs => s / 10.0 + 0.05), 50
         FROM "Run" r CROSS JOIN generate_series(1, ${steps}) s
         WHERE r."workspaceId" = $1 AND r.id >= $2 AND r.id <= $3`,
        [ws.workspaceId, `${prefix}_run_${String(start).padStart(7, "0")}`, `${prefix}_run_${String(end).padStart(7, "0")}`],
      );
    }
  }
}
