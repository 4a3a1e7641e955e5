"use client";

// A trigger node's inbound webhook: URL with Copy, every endpoint setting in one form (one Save),
// a generated secret shown once, a ready curl example for its auth scheme, and "Listen for test
// event", which shows requests as they arrive and keeps one as the flow's sample payload.
import { Check, Copy, Eye, EyeOff, KeyRound, Radio } from "lucide-react";
import { useCallback, useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { apiFetch } from "@/lib/api/client";
import { useApi } from "@/lib/api/use-api";
import { getNodeDefinition } from "@/lib/nodes/definitions";
import { useEditor } from "@/components/canvas/editor-context";
import { useStartTestRun } from "@/components/canvas/test-run-context";
import { AUTH_SCHEME_INFO, type AuthScheme } from "@/lib/webhooks/endpoints/auth-schemes";
import type { EndpointView } from "@/lib/webhooks/endpoints/endpoint-input";
import { deliveryDetailSchema, deliveryFeedItemSchema, keptSampleSchema, type DeliveryFeedItem, type DeliveryWithBody } from "@/lib/webhooks/deliveries/delivery-responses";
import { EndpointSettingsForm } from "./endpoint-settings-form";
import { CONTROL } from "./expression-input";

export function TriggerPanel({ nodeId, kind }: { nodeId: string; kind: string }) {
  const endpoint = useEditor((state) => state.endpoints[nodeId]);
  const setEndpoints = useEditor((state) => state.setEndpoints);
  const saveStatus = useEditor((state) => state.saveStatus);
  const readOnly = useEditor((state) => state.readOnly);
  // A generated secret, answered once by the save that created it; gone when the panel closes.
  const [secret, setSecret] = useState<string | null>(null);
  const [listening, setListening] = useState(false);

  if (!endpoint) {
    return (
      <p className="rounded-md bg-slate-50 p-3 text-xs text-slate-600">
        {saveStatus === "saved" ? "Loading the webhook URL…" : "Saving the draft… the webhook URL appears once it is saved."}
      </p>
    );
  }

  // While listening, the example goes to the test URL, so trying it runs nothing.
  const curlTarget = listening ? { ...endpoint, url: endpoint.testUrl } : endpoint;

  return (
    <section aria-label="Webhook" className="space-y-3">
      <div>
        <div className="flex items-center justify-between">
          <span className="text-xs font-medium text-slate-700">Webhook URL</span>
          <span className="rounded bg-violet-50 px-1.5 py-0.5 text-[10px] font-medium text-violet-700">preset: {endpoint.preset}</span>
        </div>
        <div className="mt-1 flex gap-1.5">
          <input readOnly value={endpoint.url} aria-label="Webhook URL" className={`${CONTROL} font-mono text-xs`} onFocus={(e) => e.currentTarget.select()} />
          <CopyButton text={endpoint.url} label="Copy webhook URL" />
        </div>
        {!endpoint.enabled ? <p className="mt-1 text-xs text-amber-700">This endpoint is disabled ({endpoint.disabledReason ?? "by a user"}).</p> : null}
      </div>

      {secret ? <NewSecret secret={secret} scheme={endpoint.authScheme} onDismiss={() => setSecret(null)} /> : null}

      <EndpointSettingsForm
        key={endpoint.id}
        endpoint={endpoint}
        readOnly={readOnly}
        onSaved={(view, generated) => {
          setEndpoints([view]);
          setSecret(generated);
        }}
      />

      <div>
        <div className="flex items-center justify-between">
          <span className="text-xs font-medium text-slate-700">Try it with curl</span>
          <CopyButton text={curlExample(curlTarget, kind, secret)} label="Copy curl example" small />
        </div>
        <pre className="mt-1 max-h-40 overflow-auto rounded-md bg-slate-900 p-2 font-mono text-[11px] leading-relaxed whitespace-pre-wrap text-slate-100" data-testid="curl-example">
          {curlExample(curlTarget, kind, secret)}
        </pre>
      </div>

      <ListenPanel endpointId={endpoint.id} testUrl={endpoint.testUrl} listening={listening} setListening={setListening} />
    </section>
  );
}

/** The secret Switchyard just generated: the only time it can be read. */
function NewSecret({ secret, scheme, onDismiss }: { secret: string; scheme: string; onDismiss: () => void }) {
  const [revealed, setRevealed] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  // Saved from the bottom of a long form: bring the one-time secret into view.
  useEffect(() => box.current?.scrollIntoView({ block: "nearest", behavior: "smooth" }), [secret]);
  return (
    <div ref={box} role="status" aria-label="New signing secret" className="rounded-md bg-amber-50 p-2.5 ring-1 ring-amber-200">
      <p className="flex items-center gap-1.5 text-xs font-medium text-amber-900">
        <KeyRound className="size-3.5" aria-hidden /> New signing secret — copy it into the sender now
      </p>
      <div className="mt-1.5 flex gap-1.5">
        <input readOnly aria-label="New signing secret value" type={revealed ? "text" : "password"} value={secret} className={`${CONTROL} font-mono text-xs`} />
        <button type="button" onClick={() => setRevealed(!revealed)} aria-label={revealed ? "Hide secret" : "Reveal secret"} className="grid size-8 shrink-0 place-items-center rounded-md bg-white ring-1 ring-slate-300 ring-inset hover:bg-slate-50">
          {revealed ? <EyeOff className="size-3.5" aria-hidden /> : <Eye className="size-3.5" aria-hidden />}
        </button>
        <CopyButton text={secret} label="Copy signing secret" />
      </div>
      <p className="mt-1 text-[11px] text-amber-800">
        Shown once: it is stored encrypted and cannot be displayed again{AUTH_SCHEME_INFO[scheme as AuthScheme] ? ` (${AUTH_SCHEME_INFO[scheme as AuthScheme].label})` : ""}.{" "}
        <button type="button" onClick={onDismiss} className="font-medium underline">
          I saved it
        </button>
      </p>
    </div>
  );
}

export function CopyButton({ text, label, small }: { text: string; label: string; small?: boolean }) {
  const [copied, setCopied] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return (
    <button
      type="button"
      aria-label={label}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
          setCopied(true);
          clearTimeout(timer.current);
          timer.current = setTimeout(() => setCopied(false), 2000);
        } catch {
          window.prompt("Copy this:", text);
        }
      }}
      className={`inline-flex shrink-0 items-center gap-1 rounded-md px-2 text-xs font-medium ring-1 ring-slate-300 ring-inset hover:bg-slate-50 ${small ? "py-0.5" : "py-1.5"} ${copied ? "text-emerald-700" : "text-slate-700"}`}
    >
      {copied ? <Check className="size-3.5" aria-hidden /> : <Copy className="size-3.5" aria-hidden />}
      <span aria-live="polite">{copied ? "Copied" : "Copy"}</span>
    </button>
  );
}

/** The request body the trigger's definition suggests, as JSON and (for form endpoints) urlencoded. */
function sampleBody(kind: string): { json: string; form: string } {
  const sample = getNodeDefinition(kind)?.sampleRequest ?? { json: {} };
  return { json: JSON.stringify(sample.json), form: sample.form ? new URLSearchParams(sample.form).toString() : "" };
}

export function curlExample(endpoint: Pick<EndpointView, "url" | "authScheme" | "authConfig" | "preset">, kind: string, secret: string | null): string {
  const body = sampleBody(kind);
  const shownSecret = secret ?? "YOUR_SECRET";
  const config = endpoint.authConfig ?? {};
  const lines = [`curl -X POST '${endpoint.url}'`];
  const isForm = endpoint.preset === "form" && body.form;
  lines.push(isForm ? `  -H 'content-type: application/x-www-form-urlencoded'` : `  -H 'content-type: application/json'`);
  let prefix = "";
  switch (endpoint.authScheme) {
    case "header_token":
      lines.push(`  -H '${String(config.headerName ?? "x-webhook-token")}: ${shownSecret}'`);
      break;
    case "bearer":
      lines.push(`  -H 'authorization: Bearer ${shownSecret}'`);
      break;
    case "basic":
      lines.push(`  -u '${String(config.username ?? "webhook")}:${shownSecret}'`);
      break;
    case "hmac": {
      const encoding = config.encoding === "base64" ? "-binary | base64" : "-hex | sed 's/^.* //'";
      prefix = `body='${isForm ? body.form : body.json}'\nsig=$(printf '%s' "$body" | openssl dgst -sha256 -hmac '${shownSecret}' ${encoding})\n`;
      lines.push(`  -H "${String(config.headerName ?? "x-signature")}: ${String(config.prefix ?? "")}$sig"`);
      lines.push(`  --data-binary "$body"`);
      return prefix + lines.join(" \\\n");
    }
    case "stripe": {
      // Stripe signs "<timestamp>.<body>"; this lets you test before Stripe sends its own events.
      prefix = `body='${body.json}'\nts=$(date +%s)\nsig=$(printf '%s' "$ts.$body" | openssl dgst -sha256 -hmac '${shownSecret}' -hex | sed 's/^.* //')\n`;
      lines.push(`  -H "stripe-signature: t=$ts,v1=$sig"`);
      lines.push(`  --data-binary "$body"`);
      return prefix + lines.join(" \\\n");
    }
    case "github": {
      prefix = `body='${body.json}'\nsig=$(printf '%s' "$body" | openssl dgst -sha256 -hmac '${shownSecret}' -hex | sed 's/^.* //')\n`;
      lines.push(`  -H "x-hub-signature-256: sha256=$sig"`);
      lines.push(`  --data-binary "$body"`);
      return prefix + lines.join(" \\\n");
    }
    case "none":
      break;
    default:
      prefix = `# ${AUTH_SCHEME_INFO[endpoint.authScheme as AuthScheme]?.label ?? endpoint.authScheme}: the sender signs each request; send a test event from its dashboard.\n`;
  }
  lines.push(`  --data '${isForm ? body.form : body.json}'`);
  return prefix + lines.join(" \\\n");
}

/** Accepted requests, and those refused only because the flow is not active yet (listening happens before activation). */
function isSampleCandidate(item: DeliveryFeedItem): boolean {
  return item.verdict === "accepted" || item.reason === "flow_inactive";
}

/** A captured request that started no run of its own: a test event, or one the inactive flow refused. */
function isTestEvent(item: DeliveryFeedItem): boolean {
  return isSampleCandidate(item) && item.runId === null;
}

function ListenPanel({
  endpointId,
  testUrl,
  listening,
  setListening,
}: {
  endpointId: string;
  testUrl: string;
  listening: boolean;
  setListening: (listening: boolean) => void;
}) {
  const setSamplePayload = useEditor((state) => state.setSamplePayload);
  const readOnly = useEditor((state) => state.readOnly);
  const startTestRun = useStartTestRun();
  // Off by default: a test event is only captured. On: each one also runs the draft as a test run.
  const [runDraft, setRunDraft] = useState(false);
  const runDraftRef = useRef(runDraft);
  useEffect(() => {
    runDraftRef.current = runDraft;
  }, [runDraft]);
  const [items, setItems] = useState<DeliveryFeedItem[]>([]);
  const [sampleId, setSampleId] = useState<string | null>(null);
  const [shownId, setShownId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const keptOne = useRef(false);

  const keep = useCallback(
    async (deliveryId: string): Promise<unknown> => {
      const result = await apiFetch(`/api/v1/deliveries/${deliveryId}/keep-as-sample`, { schema: keptSampleSchema, method: "POST", body: {} });
      if (!result.ok) {
        setError(result.error.message);
        return undefined;
      }
      setSamplePayload(result.data.samplePayload);
      setSampleId(deliveryId);
      return result.data.samplePayload;
    },
    [setSamplePayload],
  );

  useEffect(() => {
    if (!listening) return;
    keptOne.current = false;
    const source = new EventSource(`/api/v1/endpoints/${endpointId}/listen`);
    source.addEventListener("delivery", (event) => {
      const parsed = deliveryFeedItemSchema.safeParse(JSON.parse((event as MessageEvent<string>).data));
      if (!parsed.success) return setError("A request arrived in a shape this page does not expect; reload the page.");
      const item = parsed.data;
      setItems((current) => [item, ...current].slice(0, 20));
      setShownId(item.id);
      if (runDraftRef.current && isTestEvent(item)) {
        // Asked for: the event becomes the sample and the draft runs with it, as a test run.
        keptOne.current = true;
        void keep(item.id).then((payload) => (payload === undefined ? undefined : startTestRun(payload)));
      } else if (isSampleCandidate(item) && !keptOne.current) {
        // The first usable request becomes the sample payload, so the variable picker has fields at once.
        keptOne.current = true;
        void keep(item.id);
      }
    });
    source.onerror = () => setError("The live connection dropped; it reconnects by itself.");
    source.addEventListener("ready", () => setError(null));
    return () => source.close();
  }, [listening, endpointId, keep, startTestRun]);

  return (
    <div className="rounded-md border border-slate-200 p-2.5">
      <div className="flex items-center justify-between">
        <span className="text-xs font-medium text-slate-700">Test events</span>
        <Button size="sm" variant={listening ? "secondary" : "primary"} onClick={() => setListening(!listening)}>
          <Radio className={`size-3.5 ${listening ? "animate-pulse text-red-500" : ""}`} aria-hidden />
          {listening ? "Stop listening" : "Listen for test event"}
        </Button>
      </div>
      {listening ? (
        <div className="mt-2">
          <div className="flex gap-1.5">
            <input readOnly value={testUrl} aria-label="Test URL" className={`${CONTROL} font-mono text-xs`} onFocus={(e) => e.currentTarget.select()} />
            <CopyButton text={testUrl} label="Copy test URL" />
          </div>
          <p className="mt-1 text-[11px] text-slate-500">
            Requests to the test URL are checked like real ones, shown here and kept as the sample. By default they run nothing, even on an active flow: no live step fires.
          </p>
          {!readOnly ? (
            <label className="mt-1.5 flex items-start gap-2 text-xs text-slate-700">
              <input type="checkbox" checked={runDraft} onChange={(e) => setRunDraft(e.target.checked)} className="mt-0.5 size-3.5 rounded border-slate-300 text-brand-600" />
              <span>
                Test-run the draft with each test event
                <span className="block text-[11px] text-slate-500">Runs the draft (not the live version) as a test run; its steps do run, and the run is marked as a test.</span>
              </span>
            </label>
          ) : null}
        </div>
      ) : null}
      {listening && items.length === 0 ? <p className="mt-2 text-xs text-slate-500">Waiting for a request… send one with the curl example above.</p> : null}
      {error ? <p className="mt-1 text-xs text-amber-700">{error}</p> : null}
      {items.length ? (
        <ul aria-label="Received requests" aria-live="polite" className="mt-2 divide-y divide-slate-100 text-xs">
          {items.map((item) => (
            <li key={item.id} className={`flex items-center gap-2 py-1.5 ${shownId === item.id ? "bg-slate-50" : ""}`}>
              <button type="button" onClick={() => setShownId(item.id)} aria-label={`Show the ${item.method} request of ${new Date(item.receivedAt).toLocaleTimeString()}`} aria-pressed={shownId === item.id} className="flex min-w-0 flex-1 items-center gap-2 text-left">
                <span className={`rounded px-1 font-medium ${item.verdict === "accepted" ? "bg-emerald-50 text-emerald-700" : item.verdict === "duplicate" ? "bg-slate-100 text-slate-600" : "bg-red-50 text-red-700"}`}>
                  {item.responseStatus}
                </span>
                <span className="font-mono">{item.method}</span>
                <time className="whitespace-nowrap text-slate-500" dateTime={item.receivedAt}>
                  {new Date(item.receivedAt).toLocaleTimeString()}
                </time>
                <span className="truncate text-slate-500">{(item.reason ?? item.verdict).replaceAll("_", " ")}</span>
              </button>
              {isSampleCandidate(item) ? (
                sampleId === item.id ? (
                  <span className="ml-auto shrink-0 text-emerald-700">Sample</span>
                ) : (
                  <button type="button" onClick={() => void keep(item.id)} className="ml-auto shrink-0 text-brand-600 hover:underline">
                    Use as sample
                  </button>
                )
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {shownId ? <CapturedRequest key={shownId} deliveryId={shownId} /> : null}
    </div>
  );
}

/** The stored request as it arrived: method, headers (secrets redacted) and body. */
function CapturedRequest({ deliveryId }: { deliveryId: string }) {
  const { data: detail, error: loadError } = useApi(`/api/v1/deliveries/${deliveryId}`, deliveryDetailSchema);
  const error = loadError?.message;
  if (error) return <p className="mt-2 text-xs text-red-600">{error}</p>;
  if (!detail) return <p className="mt-2 text-xs text-slate-500">Loading the request…</p>;
  const headers = Object.entries((detail.headers ?? {}) as Record<string, string>);
  return (
    <section aria-label="Captured request" className="mt-2 space-y-1.5 border-t border-slate-100 pt-2 text-xs">
      <p className="font-medium text-slate-800">
        <span className="font-mono">{detail.method}</span> · answered {detail.responseStatus}
        {detail.reason ? ` (${detail.reason.replaceAll("_", " ")})` : ""}
        {detail.contentType ? <span className="font-normal text-slate-500"> · {detail.contentType}</span> : null}
      </p>
      <details open>
        <summary className="cursor-pointer text-[11px] font-medium text-slate-600">Headers ({headers.length})</summary>
        <dl aria-label="Request headers" className="mt-1 max-h-40 overflow-auto rounded bg-slate-50 p-2 font-mono text-[11px]">
          {headers.map(([name, value]) => (
            <div key={name} className="flex gap-1.5">
              <dt className="shrink-0 text-slate-500">{name}:</dt>
              <dd className="break-all text-slate-800">{String(value)}</dd>
            </div>
          ))}
        </dl>
      </details>
      <div>
        <span className="text-[11px] font-medium text-slate-600">Body</span>
        <pre aria-label="Request body" className="mt-1 max-h-56 overflow-auto rounded bg-slate-50 p-2 font-mono text-[11px] whitespace-pre-wrap text-slate-800">
          {formatBody(detail)}
        </pre>
      </div>
    </section>
  );
}

function formatBody(detail: DeliveryWithBody): string {
  if (detail.body === null) return "(empty)";
  if (detail.bodyEncoding === "base64") return `(binary, ${detail.sizeBytes} bytes)`;
  try {
    return JSON.stringify(JSON.parse(detail.body), null, 2);
  } catch {
    return detail.body;
  }
}
