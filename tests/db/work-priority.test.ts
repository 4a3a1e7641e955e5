// On the embedded database every caller shares one connection: what webhooks wait on goes first.
import { afterAll, beforeAll, expect, it } from "vitest";
import { describe } from "vitest";
import { runAsBackgroundWork } from "@/lib/db/work-priority";
import { createTestDatabase, type TestDatabase } from "../helpers/databases";

describe("work priority on PGlite", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase("pglite");
    // Warm Prisma up (its first query loads the query compiler), so later queries reach the connection at once.
    await db.prisma.workspace.count();
    await db.prisma.$transaction(async (tx) => tx.flow.count());
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it("runs a foreground query before background Prisma and SQL work that queued earlier", async () => {
    const finished: string[] = [];
    // A foreground transaction holds the connection while the others queue.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const holder = db.execScriptInTransaction("SELECT 1", () => held);
    // Pauses for the queries to reach the connection; together well under the 100 ms after which
    // waiting background work gets a turn anyway.
    const settle = () => new Promise((resolve) => setTimeout(resolve, 25));
    await settle();

    const background = runAsBackgroundWork(() =>
      Promise.all([
        db.prisma.workspace.count().then(() => finished.push("background prisma")),
        db.query("SELECT 1").then(() => finished.push("background sql")),
        db.prisma.$transaction(async (tx) => tx.flow.count()).then(() => finished.push("background prisma transaction")),
      ]),
    );
    await settle();
    const foreground = db.prisma.workspace.count().then(() => finished.push("foreground prisma"));
    await settle();
    release();
    await Promise.all([holder, background, foreground]);
    expect(finished[0]).toBe("foreground prisma");
    expect(finished.slice(1).sort()).toEqual(["background prisma", "background prisma transaction", "background sql"]);
  });
});
