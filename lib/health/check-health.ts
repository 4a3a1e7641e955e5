// What /api/health reports. Components register a probe (the engine adds its own when it runs).
import { describeDatabase } from "@/lib/db/config";
import { getDatabase } from "@/lib/db";
import { processSingleton } from "@/lib/process-singletons";

export type ComponentHealth = { status: "ok" | "down" | "disabled"; detail?: string };
type Probe = () => Promise<ComponentHealth>;

const probes = processSingleton("healthProbes", () => new Map<string, Probe>());

export function registerHealthProbe(name: string, probe: Probe): void {
  probes.set(name, probe);
}

export async function checkHealth() {
  const components: Record<string, ComponentHealth> = { database: await checkDatabase() };
  for (const [name, probe] of probes) {
    components[name] = await probe().catch((error: Error) => ({ status: "down" as const, detail: error.message }));
  }
  const status = Object.values(components).some((c) => c.status === "down") ? "degraded" : "ok";
  return { status, components };
}

async function checkDatabase(): Promise<ComponentHealth> {
  try {
    const db = await getDatabase();
    const problem = db.serverProblem();
    if (problem) return { status: "down", detail: problem };
    await db.query("SELECT 1");
    return { status: "ok", detail: describeDatabase(db.config) };
  } catch (error) {
    return { status: "down", detail: (error as Error).message };
  }
}
