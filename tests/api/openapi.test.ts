import { expect, it } from "vitest";
import { GET } from "@/app/api/v1/openapi.json/route";

it("serves an OpenAPI 3.1 document whose request bodies come from the routes' zod schemas", async () => {
  const res = GET();
  expect(res.status).toBe(200);
  const doc = await res.json();
  expect(doc.openapi).toBe("3.1.0");
  expect(doc.servers[0].url).toBe("http://localhost:3000/api/v1");
  expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/flows", "/flows/{flowId}", "/flows/{flowId}/publish", "/runs", "/metrics"]));
  const createFlow = doc.paths["/flows"].post.requestBody.content["application/json"].schema;
  expect(createFlow.required).toEqual(["name"]);
  expect(createFlow.properties.name.maxLength).toBe(120);
  const runsParams = doc.paths["/runs"].get.parameters.map((p: { name: string }) => p.name);
  expect(runsParams).toEqual(expect.arrayContaining(["flowId", "status", "q", "cursor", "limit"]));
});

it("describes date query parameters as date-time strings", async () => {
  const doc = await GET().json();
  const from = doc.paths["/runs"].get.parameters.find((p: { name: string }) => p.name === "from");
  expect(from.schema).toMatchObject({ type: "string", format: "date-time" });
});

it("describes responses with the schemas the server serialises through and the browser checks", async () => {
  const doc = await GET().json();
  expect(doc.paths["/runs/{runId}"].get.responses["200"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/Run" });
  expect(doc.paths["/deliveries"].get.responses["200"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/DeliveryList" });
  const run = doc.components.schemas.Run;
  expect(run.properties.createdAt).toEqual({ type: "string", format: "date-time" });
  expect(run.properties.steps.items.properties.status.enum).toContain("failed");
  expect(doc.components.schemas.Flow.properties.graph.properties.nodes.type).toBe("array");
});
