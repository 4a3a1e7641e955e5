// Only the database's own failures make a webhook answer 503 database_unavailable (the sender then
// retries); a bug or an unstorable request of ours must not pose as the database being away.
import pg from "pg";
import { expect, it } from "vitest";
import { isDatabaseError } from "@/lib/webhooks/ingress/ingest-writer";
import { describeEachDatabase } from "../helpers/databases";
import { freePort } from "./support/processes";

describeEachDatabase("isDatabaseError", (getDb) => {
  it("is true for what PostgreSQL and the way to it raise", async () => {
    const sqlError = await getDb().query("SELECT * FROM no_such_table").catch((error: unknown) => error);
    expect(isDatabaseError(sqlError)).toBe(true); // SQLSTATE 42P01

    const refused = new pg.Client({ host: "127.0.0.1", port: await freePort(), connectionTimeoutMillis: 2000 });
    const connectError = await refused.connect().catch((error: unknown) => error);
    expect(isDatabaseError(connectError)).toBe(true); // ECONNREFUSED

    const socket = new pg.Client({ host: "/nonexistent-socket-dir", connectionTimeoutMillis: 2000 });
    expect(isDatabaseError(await socket.connect().catch((error: unknown) => error))).toBe(true); // ENOENT
  });

  it("is false for errors of ours, such as a stack overflow while serialising a payload", () => {
    let deep: unknown = null;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const overflow = (() => {
      try {
        JSON.stringify(deep);
      } catch (error) {
        return error;
      }
    })();
    expect(overflow).toBeInstanceOf(RangeError);
    expect(isDatabaseError(overflow)).toBe(false);
    expect(isDatabaseError(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
  });
});
