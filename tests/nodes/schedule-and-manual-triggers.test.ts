// The schedule and manual trigger kinds: what they accept, what publishing refuses (with the
// reason), what the inspector shows, and what a run's trigger step outputs.
import { describe, expect, it } from "vitest";
import type { FlowGraph } from "@/lib/flows/graph";
import { validateFlow, validateNodeConfig } from "@/lib/flows/validate-flow";
import { triggerExampleOf } from "@/lib/flows/trigger-example";
import { nextTimesOf, scheduleTriggerDefinition } from "@/lib/nodes/schedule_trigger/definition";
import { manualTriggerDefinition } from "@/lib/nodes/manual_trigger/definition";
import { inngestCronOf, scheduleOfGraph, scheduleTriggerKinds } from "@/lib/schedules/flow-schedule";

const schedule = (config: Record<string, unknown>) => ({ id: "clock", kind: "schedule_trigger", name: "Clock", config, position: { x: 0, y: 0 } });
const manual = (config: Record<string, unknown>) => ({ id: "hand", kind: "manual_trigger", name: "By hand", config, position: { x: 0, y: 0 } });
const step = { id: "shape", kind: "transform", name: "Shape", config: { mode: "fields", fields: [{ path: "at", value: "{{ trigger.body.scheduledAt }}" }] }, position: { x: 300, y: 0 } };
const flowFrom = (trigger: { id: string }) => ({ nodes: [trigger, step], edges: [{ id: "e", source: trigger.id, sourcePort: "out", target: "shape" }] }) as FlowGraph;

describe("schedule_trigger", () => {
  it("publishes with a valid cron and time zone, and stands for that schedule", () => {
    const graph = flowFrom(schedule({ cron: "*/15 9-17 * * 1-5", timezone: "America/New_York" }));
    expect(validateFlow(graph, { forPublish: true })).toEqual([]);
    expect(scheduleOfGraph(graph)).toEqual({ cron: "*/15 9-17 * * 1-5", timezone: "America/New_York" });
    expect(inngestCronOf(scheduleOfGraph(graph)!)).toBe("TZ=America/New_York */15 9-17 * * 1-5");
    expect(scheduleTriggerKinds()).toEqual(["schedule_trigger"]);
  });

  it("refuses an invalid cron at publish with the reason, on the cron field", () => {
    const refuse = (config: Record<string, unknown>) => validateFlow(flowFrom(schedule(config)), { forPublish: true });
    expect(refuse({ cron: "61 * * * *" })).toEqual([
      { nodeId: "clock", field: "cron", message: `Node "clock": cron: "61 * * * *" isn't a valid cron expression: minute value 61 is out of range (0-59)` },
    ]);
    expect(refuse({ cron: "0 9 * *" })[0].message).toMatch(/expected 5 fields \(minute hour day-of-month month day-of-week\), found 4/);
    expect(refuse({ cron: "@daily" })[0].message).toMatch(/descriptors such as @daily are not accepted/);
    expect(refuse({ cron: "TZ=Europe/Paris 0 9 * * *" })[0].message).toMatch(/Choose the time zone in the Time zone field/);
    expect(refuse({ cron: "0 0 30 2 *" })[0].message).toMatch(/"0 0 30 2 \*" never happens/);
    expect(refuse({ cron: "0 9 * * *", timezone: "Mars/Olympus" })).toEqual([{ nodeId: "clock", field: "timezone", message: `Node "clock": timezone: Unknown time zone "Mars/Olympus"` }]);
    expect(refuse({ cron: "" })[0].message).toMatch(/Enter a cron expression/);
  });

  it("shows the next five times in the schedule's time zone", () => {
    const from = new Date("2026-11-27T20:00:00Z");
    expect(nextTimesOf({ cron: "0 9 * * 1-5", timezone: "Europe/Paris" }, from)).toEqual([
      "Mon, 30 Nov 2026, 09:00",
      "Tue, 1 Dec 2026, 09:00",
      "Wed, 2 Dec 2026, 09:00",
      "Thu, 3 Dec 2026, 09:00",
      "Fri, 4 Dec 2026, 09:00",
    ]);
    const preview = scheduleTriggerDefinition.preview!(scheduleTriggerDefinition.configSchema.parse({ cron: "*/5 * * * *" }));
    expect(preview).toMatchObject({ heading: "Next 5 runs (UTC)" });
    expect(preview!.lines).toHaveLength(5);
  });

  it("gives expressions the scheduled time before any run", () => {
    expect(triggerExampleOf({ nodes: [schedule({ cron: "0 9 * * 1", timezone: "Asia/Tokyo" })] })).toMatchObject({ body: { cron: "0 9 * * 1", timezone: "Asia/Tokyo" } });
  });
});

describe("manual_trigger", () => {
  it("publishes with a JSON example payload and offers it to later steps", () => {
    const trigger = manual({ examplePayload: '{ "email": "ada@example.com", "plan": "pro" }' });
    expect(validateFlow(flowFrom(trigger), { forPublish: true })).toEqual([]);
    expect(triggerExampleOf({ nodes: [trigger] })).toMatchObject({ body: { email: "ada@example.com", plan: "pro" } });
    expect(manualTriggerDefinition.startedBy).toBe("manual");
  });

  it("refuses an example payload that is not JSON", () => {
    expect(validateNodeConfig(manual({ examplePayload: "{ email: ada }" }))).toEqual([
      { nodeId: "hand", field: "examplePayload", message: 'Node "hand": examplePayload: Example payload must be valid JSON' },
    ]);
  });
});
