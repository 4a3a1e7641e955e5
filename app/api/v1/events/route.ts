// POST /api/v1/events – send an event to runs waiting in "Wait for event" nodes with the same correlation key
import { apiRoute, created, readJson } from "@/lib/api/route";
import { sendFlowEvent } from "@/lib/runs/control-runs";
import { sendEventInput } from "@/lib/runs/run-inputs";

export const POST = apiRoute("write", async ({ req, caller, db }) => {
  const body = await readJson(req, sendEventInput);
  return created(await sendFlowEvent(db.prisma, { workspaceId: caller.workspaceId, name: body.name, correlationKey: body.correlationKey, payload: body.payload, eventId: body.id }));
});
