"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { JsonView } from "@/components/runs/json-view";
import { ErrorAlert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FilterSelect } from "@/components/ui/filter-select";
import { Card, CardHeader } from "@/components/ui/card";
import { apiFetch } from "@/lib/api/client";
import { useApi } from "@/lib/api/use-api";
import { deliveryDetailSchema, deliveryListSchema, replayedDeliverySchema, type DeliveryWithBody } from "@/lib/webhooks/deliveries/delivery-responses";
import { REFUSED_BODY_KEPT_BYTES } from "@/lib/webhooks/endpoints/limits";

export interface EndpointOption {
  id: string;
  label: string;
}

const VERDICT_TONE = { accepted: "green", rejected: "red", duplicate: "amber" } as const;

function bodyForDisplay(detail: DeliveryWithBody): unknown {
  if (detail.body === null) return null;
  if (detail.bodyEncoding === "base64") return `(binary, base64) ${detail.body}`;
  try {
    return JSON.parse(detail.body);
  } catch {
    return detail.body;
  }
}

function bodyLabel(detail: DeliveryWithBody): string {
  if (!detail.bodyTruncated) return "Body";
  const kept = Math.min(REFUSED_BODY_KEPT_BYTES, detail.sizeBytes).toLocaleString("en-US");
  return `Body — only the first ${kept} of ${detail.sizeBytes.toLocaleString("en-US")} bytes were kept (refused requests keep only their start)`;
}

/** Every request each endpoint received, with its outcome and reason, live; replay from here. */
export function DeliveriesView({ endpoints, canWrite }: { endpoints: EndpointOption[]; canWrite: boolean }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [selected, setSelected] = useState<DeliveryWithBody | null>(null);
  const [actionError, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const q = new URLSearchParams();
  for (const key of ["endpointId", "verdict", "q"]) {
    const v = params.get(key);
    if (v) q.set(key, v);
  }
  // Live: polled every 3 s; the previous filter's rows stay until the new ones arrive.
  const list = useApi(`/api/v1/deliveries?${q}`, deliveryListSchema, { refreshInterval: 3000, keepPreviousData: true, onSuccess: () => setError(null) });
  const deliveries = list.data?.deliveries ?? [];
  const error = actionError ?? list.error?.message ?? null;

  function setFilter(key: string, value: string) {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    router.replace(`${pathname}?${next}`);
  }

  async function open(id: string) {
    const result = await apiFetch(`/api/v1/deliveries/${id}`, { schema: deliveryDetailSchema });
    if (!result.ok) return setError(result.error.message);
    setSelected(result.data);
    setNotice(null);
  }

  async function replay(id: string) {
    const result = await apiFetch(`/api/v1/deliveries/${id}/replay`, { schema: replayedDeliverySchema, method: "POST", body: {} });
    if (!result.ok) return setError(result.error.message);
    setNotice(result.data.runId);
  }

  const endpointLabel = (id: string) => endpoints.find((e) => e.id === id)?.label ?? id;

  return (
    <div className="grid gap-6 lg:grid-cols-5">
      <Card className="lg:col-span-3">
        <div className="flex flex-wrap items-center gap-3 border-b border-slate-200 px-5 py-3 text-sm">
          <form
            onSubmit={(e: FormEvent<HTMLFormElement>) => {
              e.preventDefault();
              setFilter("q", String(new FormData(e.currentTarget).get("q") ?? "").trim());
            }}
          >
            <input type="search" name="q" aria-label="Search deliveries" defaultValue={params.get("q") ?? ""} placeholder="Body text, reason, IP, id" className="w-56 rounded-md border-0 px-3 py-1.5 ring-1 ring-inset ring-slate-300" />
          </form>
          <FilterSelect aria-label="Endpoint" value={params.get("endpointId") ?? ""} onChange={(e) => setFilter("endpointId", e.target.value)}>
            <option value="">All endpoints</option>
            {endpoints.map((e) => (
              <option key={e.id} value={e.id}>
                {e.label}
              </option>
            ))}
          </FilterSelect>
          <FilterSelect aria-label="Outcome" value={params.get("verdict") ?? ""} onChange={(e) => setFilter("verdict", e.target.value)}>
            <option value="">Any outcome</option>
            <option value="accepted">Accepted</option>
            <option value="rejected">Rejected</option>
            <option value="duplicate">Duplicate</option>
          </FilterSelect>
        </div>
        <ErrorAlert>{error}</ErrorAlert>
        <ul className="divide-y divide-slate-100">
          {deliveries.map((d) => (
            <li key={d.id}>
              <button type="button" onClick={() => open(d.id)} className={`flex w-full items-center justify-between gap-3 px-5 py-2.5 text-left text-sm hover:bg-slate-50 ${selected?.id === d.id ? "bg-brand-50" : ""}`}>
                <span className="min-w-0">
                  <span className="block truncate">
                    <span className="font-mono text-xs">{d.method}</span> {endpointLabel(d.endpointId)}
                  </span>
                  <span className="text-xs text-slate-500">
                    {new Date(d.receivedAt).toLocaleString()} · {d.sourceIp ?? "unknown IP"} · {d.sizeBytes} bytes
                  </span>
                </span>
                <span className="flex shrink-0 flex-col items-end gap-0.5">
                  <Badge tone={VERDICT_TONE[d.verdict]}>
                    {d.verdict} · {d.responseStatus}
                  </Badge>
                  {d.reason ? <span className="text-xs text-slate-500">{d.reason.replaceAll("_", " ")}</span> : null}
                </span>
              </button>
            </li>
          ))}
          {deliveries.length === 0 ? <li className="px-5 py-12 text-center text-sm text-slate-500">No requests yet. Send one to a trigger&apos;s webhook URL.</li> : null}
        </ul>
      </Card>
      <Card className="lg:col-span-2">
        {selected ? (
          <>
            <CardHeader
              title={`${selected.method} · ${selected.verdict}`}
              description={`${new Date(selected.receivedAt).toLocaleString()} · answered ${selected.responseStatus}${selected.reason ? ` (${selected.reason.replaceAll("_", " ")})` : ""}`}
              actions={
                canWrite ? (
                  <Button size="sm" variant="secondary" onClick={() => replay(selected.id)}>
                    Replay delivery
                  </Button>
                ) : null
              }
            />
            <div className="space-y-3 p-5 text-sm">
              {notice ? (
                <p role="status" className="text-emerald-700">
                  Replay started:{" "}
                  <Link className="font-mono underline" href={`/runs/${notice}`}>
                    {notice}
                  </Link>
                </p>
              ) : null}
              {selected.runId ? (
                <p>
                  Run:{" "}
                  <Link className="font-mono text-brand-700 hover:underline" href={`/runs/${selected.runId}`}>
                    {selected.runId}
                  </Link>
                </p>
              ) : null}
              <JsonView label="Headers (secrets redacted)" value={selected.headers} defaultOpen={false} />
              <JsonView label="Query" value={selected.query} defaultOpen={false} />
              <JsonView label={bodyLabel(selected)} value={bodyForDisplay(selected)} />
            </div>
          </>
        ) : (
          <p className="px-5 py-12 text-center text-sm text-slate-500">Select a request to see its headers and body.</p>
        )}
      </Card>
    </div>
  );
}
