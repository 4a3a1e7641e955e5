// Starting and stopping real server processes for the kill test and the ingest benchmark.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { freePort } from "@/lib/net/free-port";
import { buildIsCurrent } from "@/scripts/build-stamp.mjs";
import { until } from "@/tests/helpers/until";

export { freePort };

export const REPO = path.resolve(import.meta.dirname, "../../..");

/** The compiled server `npm start` runs (`npm run build` writes it), relative to the repository. */
export const BUILT_SERVER = "dist/server.js";

/**
 * Whether a production build exists for the benchmarks to start as `npm start` does (the compiled
 * server and the Next.js build). Says so when it is older than the sources: figures would not be theirs.
 */
export function productionBuildExists(): boolean {
  if (!existsSync(path.join(REPO, BUILT_SERVER)) || !existsSync(path.join(REPO, ".next", "BUILD_ID"))) return false;
  if (!buildIsCurrent()) console.warn("The build in dist/ and .next/ is older than the sources: run `npm run build` for figures of this code.\n");
  return true;
}

/**
 * Whether the production server (server.ts) can be used: it sends /api/hooks/* to our handler,
 * and a Next.js build exists (production mode needs one; `npm start` builds it, unit tests don't).
 */
export function serverTsServesHooks(): boolean {
  try {
    return readFileSync(path.join(REPO, "server.ts"), "utf8").includes("handleHookRequest") && existsSync(path.join(REPO, ".next", "BUILD_ID"));
  } catch {
    return false;
  }
}


export interface RunningServer {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** Peak resident memory of the process so far (VmHWM), in bytes. */
  peakRss(): number;
  /**
   * The largest memory of the whole process tree seen so far (the app, its engine worker and, on the
   * embedded default, its PostgreSQL server and backends), in bytes: the sum of proportional set
   * sizes (PSS: shared memory such as PostgreSQL's buffers counted once), sampled every 0.5 s.
   */
  peakTreePss(): number;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `script` (the compiled server, server.ts or the stand-alone hook server) as ONE node process
 * (TypeScript through node --import tsx, not npx, so a signal reaches the server itself) and waits
 * until /api/hooks answers.
 */
export async function startServerProcess(script: string, env: Record<string, string>, readyTimeoutMs = 120_000): Promise<RunningServer> {
  const port = await freePort();
  const loader = script.endsWith(".ts") ? ["--import", "tsx"] : [];
  const child = spawn(process.execPath, [...(process.env.BENCH_NODE_FLAGS?.split(" ").filter(Boolean) ?? []), ...loader, script], {
    cwd: REPO,
    env: { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(port), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout!.on("data", (c) => (log += c));
  child.stderr!.on("data", (c) => (log += c));
  let peakPss = 0;
  const sampler = setInterval(() => (peakPss = Math.max(peakPss, treePss(child.pid!))), 500);
  sampler.unref();
  child.once("exit", () => clearInterval(sampler));
  const url = `http://127.0.0.1:${port}`;
  const answersHooks = async () => {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}`);
    const res = await fetch(`${url}/api/hooks/readinessProbeTokenreadinessProbe`, { method: "POST", body: "{}" }).catch(() => null); // null: not listening yet
    await res?.arrayBuffer();
    return res?.status === 404;
  };
  await until(answersHooks, `${script} to start`, readyTimeoutMs, 200).catch((error: Error) => {
    child.kill("SIGKILL");
    throw new Error(`${error.message}:\n${log}`);
  });
  return {
    child,
    url,
    output: () => log,
    peakRss() {
      // The engine worker process's peak counts too (the sum of both peaks, an upper bound); the embedded
      // PostgreSQL server is counted by peakTreePss, where its shared memory counts once.
      const workers = childProcesses(child.pid!).filter((c) => !c.args.includes("/bin/postgres"));
      return [child.pid!, ...workers.map((c) => c.pid)].reduce((sum, pid) => sum + peakRssOf(pid), 0);
    },
    peakTreePss() {
      return Math.max(peakPss, treePss(child.pid!));
    },
    kill(signal) {
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill(signal);
      });
    },
  };
}

/** Sum of PSS over `root` and all its descendants, in bytes (0 for processes that exited meanwhile). */
export function treePss(root: number): number {
  const children = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // exited meanwhile
    }
  }
  let total = 0;
  const visit = (pid: number) => {
    try {
      total += Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"))?.[1] ?? 0) * 1024;
    } catch {
      // exited meanwhile
    }
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(root);
  return total;
}

/** Peak resident memory of one process (VmHWM), in bytes; 0 once it has exited. */
function peakRssOf(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The processes whose parent is `parent`, with their command lines. */
export function childProcesses(parent: number): { pid: number; args: string }[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, "utf8");
        if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) !== parent) return [];
        return [{ pid: Number(name), args: readFileSync(`/proc/${name}/cmdline`, "utf8").replaceAll("\0", " ") }];
      } catch {
        return []; // exited meanwhile
      }
    });
}
