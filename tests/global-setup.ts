// Vitest global setup: one embedded PostgreSQL server for the whole test run (unless
// TEST_DATABASE_URL names one); each test file creates and drops its own databases on it.
import { startTestServer } from "./helpers/test-server";

export default async function setup() {
  if (process.env.TEST_DATABASE_URL?.trim()) return;
  const server = await startTestServer();
  // Workers (and the processes tests start) inherit it.
  process.env.TEST_DATABASE_URL = server.url;
  return async () => {
    await server.stop();
  };
}
