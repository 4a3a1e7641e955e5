// Credentials, startRun (draft test runs and manual runs), replay, cancel, approvals, flow
// events, sync responses and failure alerts, on PostgreSQL.
import { afterAll, beforeAll, expect, it } from "vitest";
import { secretBox } from "@/lib/crypto/secret-box";
import { createCredential, deleteCredential, listCredentials, updateCredential } from "@/lib/credentials/manage-credentials";
import { resolveCredential } from "@/lib/credentials/resolve-credential";
import { cancelRun, decideApproval, sendFlowEvent } from "@/lib/runs/control-runs";
import { getSyncResponse } from "@/lib/runs/get-sync-response";
import { replayRun } from "@/lib/runs/replay-run";
import { APPROVAL_DECIDED, FLOW_EVENT, RUN_CANCEL_REQUESTED, RUN_REQUESTED } from "@/lib/runs/run-events";
import { sendFailureAlert } from "@/lib/runs/send-failure-alert";
import { startRun } from "@/lib/runs/start-run";
import { describeEachDatabase } from "../helpers/databases";
import { edge, node, seedPublishedFlow, seedWorkspace, startTestServer, triggerNode, type TestServer } from "../helpers/flows-and-receivers";

const simpleGraph = { nodes: [triggerNode(), node("t", "transform", { fields: [{ path: "a", value: "1" }] })], edges: [edge("trigger", "t")] };

describeEachDatabase("starting and controlling runs", (getDb) => {
  let alertTarget: TestServer;
  beforeAll(async () => {
    alertTarget = await startTestServer();
  });
  afterAll(() => alertTarget.close());

  it("stores credentials encrypted and never lists their secrets", async () => {
    const { prisma } = getDb();
    const ws = await seedWorkspace(prisma);
    const other = await seedWorkspace(prisma);
    const created = await createCredential(prisma, { workspaceId: ws.id, name: "Sales Slack", type: "slack_webhook", data: { url: "https://hooks.slack.com/services/T/B/secret" } });
    expect(created).not.toHaveProperty("dataEncrypted");
    const row = await prisma.credential.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.dataEncrypted).not.toContain("secret");
    expect(secretBox().decryptJson(row.dataEncrypted)).toEqual({ url: "https://hooks.slack.com/services/T/B/secret" });
    const listed = await listCredentials(prisma, ws.id);
    expect(listed).toEqual([{ id: created.id, name: "Sales Slack", type: "slack_webhook", createdAt: expect.any(Date), updatedAt: expect.any(Date) }]);
    expect(await listCredentials(prisma, other.id)).toEqual([]);
    await expect(resolveCredential(prisma, { workspaceId: other.id, id: created.id, types: ["slack_webhook"] })).rejects.toThrow(/does not exist in this workspace/);
    await expect(createCredential(prisma, { workspaceId: ws.id, name: "Sales Slack", type: "slack_webhook", data: { url: "https://x.test" } })).rejects.toThrow('A credential named "Sales Slack" already exists in this workspace');
    await expect(createCredential(prisma, { workspaceId: ws.id, name: "Bad", type: "smtp", data: { host: "h" } })).rejects.toThrow(/Invalid smtp credential: from: /);
    await expect(createCredential(prisma, { workspaceId: ws.id, name: "Bad", type: "carrier_pigeon", data: {} })).rejects.toThrow('Unknown credential type "carrier_pigeon"');
    await updateCredential(prisma, { workspaceId: ws.id, id: created.id, data: { url: "https://hooks.slack.com/services/T/B/rotated" } });
    expect((await resolveCredential(prisma, { workspaceId: ws.id, id: created.id, types: ["slack_webhook"] })).data).toEqual({ url: "https://hooks.slack.com/services/T/B/rotated" });
    expect(await deleteCredential(prisma, { workspaceId: other.id, id: created.id })).toBe(false);
    expect(await deleteCredential(prisma, { workspaceId: ws.id, id: created.id })).toBe(true);
  });

  it("starts a manual run of the active version: Run queued + outbox event in one go", async () => {
    const { prisma } = getDb();
    const ws = await seedWorkspace(prisma);
    const { flow, version } = await seedPublishedFlow(prisma, ws.id, simpleGraph);
    const started = await startRun(prisma, { workspaceId: ws.id, flowId: flow.id, source: { type: "version" }, trigger: { email: "a@b.c" } });
    const run = await prisma.run.findUniqueOrThrow({ where: { id: started.runId } });
    expect(run).toMatchObject({ status: "queued", flowVersionId: version.id, isTest: false, triggerPayload: { body: { email: "a@b.c" }, method: "POST" } });
    const outbox = await prisma.outboxEvent.findUniqueOrThrow({ where: { eventId: run.id } });
    expect(outbox).toMatchObject({ eventName: RUN_REQUESTED, data: { runId: run.id, flowId: flow.id, flowVersionId: version.id, deliveryId: null }, sentAt: null });
    await expect(startRun(prisma, { workspaceId: "someone-else", flowId: flow.id, source: { type: "version" } })).rejects.toThrow(/not found in this workspace/);
  });

  it("test-runs the draft on a snapshot version hidden from history, and refuses an invalid draft", async () => {
    const { prisma } = getDb();
    const ws = await seedWorkspace(prisma);
    const flow = await prisma.flow.create({ data: { workspaceId: ws.id, name: "Draft only", draftGraph: simpleGraph, samplePayload: { body: { sample: true }, headers: {}, method: "POST" } } });
    const first = await startRun(prisma, { workspaceId: ws.id, flowId: flow.id, source: { type: "draft" } });
    const second = await startRun(prisma, { workspaceId: ws.id, flowId: flow.id, source: { type: "draft" } });
    expect(first.isTest).toBe(true);
    const snapshots = await prisma.flowVersion.findMany({ where: { flowId: flow.id }, orderBy: { version: "desc" } });
    expect(snapshots.map((v) => [v.version, v.isTestSnapshot])).toEqual([[-1, true], [-2, true]]);
    expect(snapshots.find((v) => v.id === second.flowVersionId)?.version).toBe(-2);
    const run = await prisma.run.findUniqueOrThrow({ where: { id: first.runId } });
    expect(run).toMatchObject({ isTest: true, triggerPayload: { body: { sample: true } } });

    await prisma.flow.update({ where: { id: flow.id }, data: { draftGraph: { nodes: [node("x", "transform", {})], edges: [] } as never } });
    await expect(startRun(prisma, { workspaceId: ws.id, flowId: flow.id, source: { type: "draft" } })).rejects.toThrow(/The draft has \d+ problem\(s\); fix them before a test run/);
    await expect(startRun(prisma, { workspaceId: ws.id, flowId: flow.id, source: { type: "version" } })).rejects.toThrow(/has no published version yet/);
  });

  it("replays from the start or the failed part, on the original or the current version", async () => {
    const { prisma } = getDb();
    const ws = await seedWorkspace(prisma);
    const { flow, version } = await seedPublishedFlow(prisma, ws.id, simpleGraph);
    const original = await startRun(prisma, { workspaceId: ws.id, flowId: flow.id, source: { type: "version" }, trigger: { n: 1 } });
    await expect(replayRun(prisma, { workspaceId: ws.id, runId: original.runId, mode: "failed-only", version: "original" })).rejects.toThrow(/Only failed or cancelled runs can retry their failed part; run .* is queued/);
    await prisma.run.update({ where: { id: original.runId }, data: { status: "failed" } });
    const retry = await replayRun(prisma, { workspaceId: ws.id, runId: original.runId, mode: "failed-only", version: "original" });
    expect(await prisma.run.findUniqueOrThrow({ where: { id: retry.runId } })).toMatchObject({ replayOfId: original.runId, replayMode: "failed-only", flowVersionId: version.id, triggerPayload: { body: { n: 1 } } });

    const v2 = await prisma.flowVersion.create({ data: { flowId: flow.id, workspaceId: ws.id, version: 2, graph: simpleGraph } });
    await prisma.flow.update({ where: { id: flow.id }, data: { activeVersionId: v2.id } });
    const onCurrent = await replayRun(prisma, { workspaceId: ws.id, runId: original.runId, mode: "full", version: "current" });
    expect(onCurrent.flowVersionId).toBe(v2.id);
    await expect(replayRun(prisma, { workspaceId: ws.id, runId: original.runId, mode: "failed-only", version: "current" })).rejects.toThrow(/needs the original version/);
  });

  it("cancels an unfinished run once, approves a waiting approval once, and queues flow events", async () => {
    const { prisma } = getDb();
    const ws = await seedWorkspace(prisma);
    const { flow } = await seedPublishedFlow(prisma, ws.id, simpleGraph);
    const { runId } = await startRun(prisma, { workspaceId: ws.id, flowId: flow.id, source: { type: "version" } });
    await prisma.run.update({ where: { id: runId }, data: { status: "waiting", startedAt: new Date() } });
    await prisma.runStep.create({ data: { runId, nodeId: "ok", nodeKind: "approval", status: "waiting" } });

    await expect(decideApproval(prisma, { workspaceId: ws.id, runId, nodeId: "other", decision: "approve" })).rejects.toThrow(/is not waiting for approval at node "other"/);
    await decideApproval(prisma, { workspaceId: ws.id, runId, nodeId: "ok", decision: "approve", decidedBy: "u1", comment: "fine" });
    expect(await prisma.outboxEvent.findFirstOrThrow({ where: { eventName: APPROVAL_DECIDED, eventId: { contains: runId } } })).toMatchObject({
      data: { runId, nodeId: "ok", decision: "approve", decidedBy: "u1", comment: "fine", workspaceId: ws.id },
    });
    await expect(decideApproval(prisma, { workspaceId: ws.id, runId, nodeId: "ok", decision: "reject" })).rejects.toThrow("This approval was already decided");

    expect(await cancelRun(prisma, { workspaceId: ws.id, runId })).toBe(true);
    expect(await cancelRun(prisma, { workspaceId: ws.id, runId })).toBe(false);
    expect(await prisma.run.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ status: "cancelled", error: { code: "cancelled" } });
    expect((await prisma.runStep.findFirstOrThrow({ where: { runId, nodeId: "ok" } })).status).toBe("cancelled");
    expect(await prisma.outboxEvent.findUnique({ where: { eventId: `cancel-${runId}` } })).toMatchObject({ eventName: RUN_CANCEL_REQUESTED, data: { runId } });

    const sent = await sendFlowEvent(prisma, { workspaceId: ws.id, name: "order.shipped", correlationKey: "o-1", payload: { carrier: "DHL" }, eventId: "abc" });
    await sendFlowEvent(prisma, { workspaceId: ws.id, name: "order.shipped", correlationKey: "o-1", payload: { carrier: "DHL" }, eventId: "abc" });
    expect(await prisma.outboxEvent.count({ where: { eventId: sent.eventId } })).toBe(1);
    expect(await prisma.outboxEvent.findUniqueOrThrow({ where: { eventId: sent.eventId } })).toMatchObject({ eventName: FLOW_EVENT, data: { name: "order.shipped", correlationKey: "o-1" } });
    await expect(sendFlowEvent(prisma, { workspaceId: ws.id, name: "bad name!", correlationKey: "x" })).rejects.toThrow(/Event names may contain/);
  });

  it("reports the Respond node's output for synchronous endpoints", async () => {
    const { prisma } = getDb();
    const ws = await seedWorkspace(prisma);
    const { flow } = await seedPublishedFlow(prisma, ws.id, simpleGraph);
    const { runId } = await startRun(prisma, { workspaceId: ws.id, flowId: flow.id, source: { type: "version" } });
    expect(await getSyncResponse(getDb(), { workspaceId: ws.id, runId })).toEqual({ state: "pending" });
    await prisma.runStep.create({ data: { runId, nodeId: "reply", nodeKind: "respond", status: "succeeded", output: { status: 201, headers: { "content-type": "application/json" }, body: { ok: 1 } }, finishedAt: new Date() } });
    expect(await getSyncResponse(getDb(), { workspaceId: ws.id, runId })).toEqual({ state: "ready", response: { status: 201, headers: { "content-type": "application/json" }, body: { ok: 1 } } });
    expect(await getSyncResponse(getDb(), { workspaceId: "other", runId })).toMatchObject({ state: "finished", runStatus: "missing" });
  });

  it("alerts on the first failure after a success, rate-limits, and records every decision", async () => {
    const { prisma } = getDb();
    const ws = await seedWorkspace(prisma);
    const credentialId = (await createCredential(prisma, { workspaceId: ws.id, name: "alerts", type: "http_webhook", data: { url: `${alertTarget.url}/alerts`, headers: { "x-alert-key": "k-123" } } })).id;
    const settings = { alerts: { enabled: true, rule: "first_failure", credentialId, minIntervalMinutes: 60 } };
    const { flow, version } = await seedPublishedFlow(prisma, ws.id, simpleGraph, settings);
    let t = Date.now() - 100_000;
    const finished = async (status: "succeeded" | "failed") =>
      prisma.run.create({ data: { workspaceId: ws.id, flowId: flow.id, flowVersionId: version.id, status, triggerPayload: {}, finishedAt: new Date((t += 1000)), error: status === "failed" ? { message: "HTTP 503" } : undefined } });

    await finished("succeeded");
    const failed1 = await finished("failed");
    const before = alertTarget.requests.length;
    expect(await sendFailureAlert(prisma, { workspaceId: ws.id, flowId: flow.id, runId: failed1.id })).toMatchObject({ status: "sent" });
    expect(alertTarget.requests.length).toBe(before + 1);
    const alert = alertTarget.requests.at(-1)!;
    expect(alert.headers["x-alert-key"]).toBe("k-123");
    expect(JSON.parse(alert.body)).toMatchObject({ type: "flow.failed", flowId: flow.id, runId: failed1.id, rule: "first_failure", consecutiveFailures: 1, error: "HTTP 503" });

    // A second failure in a row is not a "first failure".
    const failed2 = await finished("failed");
    expect(await sendFailureAlert(prisma, { workspaceId: ws.id, flowId: flow.id, runId: failed2.id })).toEqual({ status: "rule_not_met" });
    // Success, then failure again: the rule fires but the interval has not passed.
    await finished("succeeded");
    const failed3 = await finished("failed");
    expect(await sendFailureAlert(prisma, { workspaceId: ws.id, flowId: flow.id, runId: failed3.id })).toMatchObject({ status: "rate_limited" });
    expect(alertTarget.requests.length).toBe(before + 1);

    // N consecutive failures.
    await prisma.flow.update({ where: { id: flow.id }, data: { settings: { alerts: { enabled: true, rule: "consecutive_failures", threshold: 3, credentialId, minIntervalMinutes: 0 } } } });
    const failed4 = await finished("failed");
    expect(await sendFailureAlert(prisma, { workspaceId: ws.id, flowId: flow.id, runId: failed4.id })).toEqual({ status: "rule_not_met" });
    const failed5 = await finished("failed");
    expect(await sendFailureAlert(prisma, { workspaceId: ws.id, flowId: flow.id, runId: failed5.id })).toMatchObject({ status: "sent" });
    expect(JSON.parse(alertTarget.requests.at(-1)!.body)).toMatchObject({ rule: "consecutive_failures", consecutiveFailures: 3 });

    const history = await prisma.alertNotification.findMany({ where: { flowId: flow.id }, orderBy: { createdAt: "asc" } });
    expect(history.map((row) => [row.rule, row.status])).toEqual([
      ["first_failure", "sent"],
      ["first_failure", "rate_limited"],
      ["consecutive_failures", "sent"],
    ]);
  });
});
