// POST /api/v1/events – send an event to runs waiting in "Wait for event" nodes with the same correlation key
import { z } from "zod";
import { apiRoute, created, readJson } from "@/lib/api/route";
import { sendFlowEvent } from "@/lib/runs/control-runs";

const input = z.object({
  name: z.string().min(1).max(100),
  correlationKey: z.string().min(1).max(500),
  payload: z.unknown().optional(),
  /** Your id for the event: sending the same id twice delivers it once. */
  id: z.string().min(1).max(200).optional(),
});

export const POST = apiRoute("write", async ({ req, caller, db }) => {
  const body = await readJson(req, input);
  return created(await sendFlowEvent(db.prisma, { workspaceId: caller.workspaceId, name: body.name, correlationKey: body.correlationKey, payload: body.payload, eventId: body.id }));
});
