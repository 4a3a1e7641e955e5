// How the disk answers fdatasync while a benchmark runs: PostgreSQL acknowledges a commit only after
// its WAL is synced, so every webhook we acknowledge waits for one, and a disk that stalls a sync
// for 200 ms stalls every acknowledgement in that window. Runs in its own process (a synchronous
// loop would stall the load generator) until stopped: 8 KB written and synced every 10 ms.
import { spawn } from "node:child_process";
import { closeSync, fdatasyncSync, openSync, rmSync, writeSync } from "node:fs";
import path from "node:path";

export interface DiskProbeResult {
  p50: number;
  p99: number;
  max: number;
  /** Syncs slower than 50 ms (the p99 target). */
  stalls: number;
}

/** Starts the probe in `dir` (a directory on the disk to watch); `stop()` answers its figures. */
export function startDiskProbe(dir: string): { stop(): Promise<DiskProbeResult> } {
  const child = spawn(process.execPath, ["--import", "tsx", import.meta.filename, dir], { stdio: ["pipe", "pipe", "inherit"] });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  return {
    async stop() {
      child.stdin!.end(); // the probe stops when its stdin closes
      await exited;
      return JSON.parse(output) as DiskProbeResult;
    },
  };
}

if (process.argv[1] === import.meta.filename) {
  const file = path.join(process.argv[2] ?? ".", `disk-probe-${process.pid}.dat`);
  const fd = openSync(file, "w");
  const block = Buffer.alloc(8192, 1);
  const times: number[] = [];
  let stopped = false;
  process.stdin.on("end", () => (stopped = true)).resume();
  for (let offset = 0; !stopped; offset = (offset + block.length) % (16 << 20)) {
    writeSync(fd, block, 0, block.length, offset);
    const started = performance.now();
    fdatasyncSync(fd);
    times.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  closeSync(fd);
  rmSync(file, { force: true });
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => Math.round(10 * (sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0)) / 10;
  const result: DiskProbeResult = { p50: at(0.5), p99: at(0.99), max: at(1), stalls: times.filter((ms) => ms > 50).length };
  process.stdout.write(JSON.stringify(result));
}
