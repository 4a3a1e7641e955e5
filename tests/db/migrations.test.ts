import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { applyMigrations } from "@/lib/db/migrate";
import { describeEachDatabase } from "../helpers/databases";

describeEachDatabase("migrations", (getDb) => {
  it("records each applied migration the way Prisma does and applies nothing twice", async () => {
    const db = getDb();
    const rows = await db.query<{ migration_name: string; checksum: string; applied_steps_count: number }>(
      `SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0].migration_name).toBe("20261126000000_init");
    expect(rows[0].checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].applied_steps_count).toBe(1);

    const again = await applyMigrations(db);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBe(rows.length);
  });

  it("creates the product tables", async () => {
    const db = getDb();
    const workspace = await db.prisma.workspace.create({ data: { id: "w1", name: "Acme", slug: "acme" } });
    const flow = await db.prisma.flow.create({
      data: { workspaceId: workspace.id, name: "Orders", draftGraph: { nodes: [], edges: [] } },
    });
    expect(flow.status).toBe("draft");
    expect(flow.settings).toEqual({});
    await db.prisma.workspace.delete({ where: { id: "w1" } });
    expect(await db.prisma.flow.count()).toBe(0);
  });
});

describe("migration files", () => {
  it("has a migration for every schema change (snapshot matches schema.prisma)", () => {
    // `npm run db:diff -- <name>` writes the migration and refreshes the snapshot together.
    const schema = readFileSync("prisma/schema.prisma", "utf8");
    const snapshot = readFileSync("prisma/migrations/schema.snapshot.prisma", "utf8");
    expect(snapshot).toBe(schema);
  });
});
