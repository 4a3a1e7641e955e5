// A loopback HTTP server answering the credentials API (/api/v1/credentials) as the app does, for
// component tests: the page's origin is set to it, so the components' relative fetches reach it.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { DetachedWindowAPI } from "happy-dom";

interface Credential {
  id: string;
  name: string;
  type: string;
}

// Stamped like the app's rows, so answers have the shape the picker checks (credential-responses.ts).
const stamped = (credential: Credential) => ({ ...credential, createdAt: "2026-01-05T10:00:00.000Z", updatedAt: "2026-01-05T10:00:00.000Z" });

export interface RecordingApi {
  /** The bodies of the POSTs received, parsed. */
  created: unknown[];
  /** How often the list was read. */
  listReads(): number;
  /** Answer the next POST with this error (status and the API's error JSON) instead of creating. */
  refuseNextCreate(status: number, message: string): void;
  close(): Promise<void>;
}

export async function startRecordingApi(initial: { credentials: Credential[] }): Promise<RecordingApi> {
  const credentials = initial.credentials.map(stamped);
  const created: unknown[] = [];
  let reads = 0;
  let refusal: { status: number; message: string } | null = null;
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const json = (status: number, value: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
      if (req.url !== "/api/v1/credentials") return json(404, { error: { code: "not_found", message: "Not found" } });
      if (req.method === "GET") {
        reads++;
        return json(200, { credentials });
      }
      const input = JSON.parse(body) as { name: string; type: string };
      created.push(input);
      if (refusal) {
        const { status, message } = refusal;
        refusal = null;
        return json(status, { error: { code: "validation_error", message } });
      }
      const credential = stamped({ id: `cred_${credentials.length + 1}`, name: input.name, type: input.type });
      credentials.push(credential);
      json(201, credential);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // happy-dom's controls over its window (the test file runs in `@vitest-environment happy-dom`).
  const { happyDOM } = window as Window & { happyDOM?: DetachedWindowAPI };
  if (!happyDOM) throw new Error("startRecordingApi needs the happy-dom test environment");
  happyDOM.setURL(`${origin}/flows/flow_1`);
  return {
    created,
    listReads: () => reads,
    refuseNextCreate(status, message) {
      refusal = { status, message };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
