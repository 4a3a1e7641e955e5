"use client";

// A trigger node's inbound webhook: URL with Copy, a ready curl example for its auth scheme, the
// signing secret (hidden until revealed; rotate), and "Listen for test event", which shows
// requests as they arrive and keeps one as the flow's sample payload.
import { Check, Copy, Eye, EyeOff, Radio, RefreshCw } from "lucide-react";
import { useCallback, useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { apiFetch } from "@/lib/api/client";
import { useEditor } from "@/components/canvas/editor-context";
import { CONTROL } from "./expression-input";

interface EndpointView {
  id: string;
  nodeId: string;
  url: string;
  preset: string;
  authScheme: string;
  authConfig: Record<string, unknown> | null;
  hasSecret: boolean;
  enabled: boolean;
  disabledReason: string | null;
}

interface FeedItem {
  id: string;
  receivedAt: string;
  method: string;
  verdict: "accepted" | "rejected" | "duplicate";
  responseStatus: number;
  reason: string | null;
  runId: string | null;
}

const AUTH_SCHEME_LABELS: Record<string, string> = {
  none: "None (secret URL)",
  header_token: "Token in a header",
  bearer: "Bearer token",
  basic: "Basic auth",
  hmac: "HMAC signature",
  standard_webhooks: "Standard Webhooks",
  stripe: "Stripe signature",
  github: "GitHub signature",
  shopify: "Shopify signature",
  typeform: "Typeform signature",
  slack: "Slack signature",
};

export function TriggerPanel({ nodeId, kind }: { nodeId: string; kind: string }) {
  const flowId = useEditor((state) => state.flowId);
  const revision = useEditor((state) => state.revision);
  const saveStatus = useEditor((state) => state.saveStatus);
  const readOnly = useEditor((state) => state.readOnly);
  const [endpoint, setEndpoint] = useState<EndpointView | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);

  // The endpoint is created when the draft that holds the trigger is saved: look again after each save.
  useEffect(() => {
    let cancelled = false;
    void apiFetch<{ endpoints: EndpointView[] }>(`/api/v1/endpoints?flowId=${encodeURIComponent(flowId)}`).then((result) => {
      if (cancelled) return;
      if (!result.ok) return setError(result.error.message);
      setEndpoint(result.data.endpoints.find((item) => item.nodeId === nodeId) ?? null);
    });
    return () => {
      cancelled = true;
    };
  }, [flowId, nodeId, revision]);

  async function changeScheme(authScheme: string) {
    if (!endpoint) return;
    const result = await apiFetch<{ endpoint: EndpointView; secret?: string }>(`/api/v1/endpoints/${endpoint.id}`, { method: "PATCH", body: { authScheme } });
    if (!result.ok) return setError(result.error.message);
    setEndpoint(result.data.endpoint);
    setSecret(result.data.secret ?? null);
    setError(null);
  }

  async function rotateSecret() {
    if (!endpoint || !window.confirm("Create a new signing secret? The old one keeps working for 24 hours so senders can switch.")) return;
    const result = await apiFetch<{ endpoint: EndpointView; secret: string }>(`/api/v1/endpoints/${endpoint.id}/rotate-secret`, { method: "POST", body: { graceHours: 24 } });
    if (!result.ok) return setError(result.error.message);
    setEndpoint(result.data.endpoint);
    setSecret(result.data.secret);
    setError(null);
  }

  if (endpoint === undefined) return <p className="text-xs text-slate-500">Loading the webhook URL…</p>;
  if (endpoint === null) {
    return (
      <p className="rounded-md bg-slate-50 p-3 text-xs text-slate-600">
        {saveStatus === "saved" ? "The webhook URL appears here in a moment." : "Saving the draft… the webhook URL appears once it is saved."}
      </p>
    );
  }

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

      <label className="block text-xs font-medium text-slate-700">
        Authentication
        <select value={endpoint.authScheme} onChange={(e) => void changeScheme(e.target.value)} disabled={readOnly} className={`mt-1 ${CONTROL}`}>
          {Object.entries(AUTH_SCHEME_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>

      {endpoint.authScheme !== "none" ? (
        <SecretRow hasSecret={endpoint.hasSecret} secret={secret} onRotate={readOnly ? undefined : rotateSecret} />
      ) : null}

      <div>
        <div className="flex items-center justify-between">
          <span className="text-xs font-medium text-slate-700">Try it with curl</span>
          <CopyButton text={curlExample(endpoint, kind, secret)} label="Copy curl example" small />
        </div>
        <pre className="mt-1 max-h-40 overflow-auto rounded-md bg-slate-900 p-2 font-mono text-[11px] leading-relaxed whitespace-pre-wrap text-slate-100" data-testid="curl-example">
          {curlExample(endpoint, kind, secret)}
        </pre>
      </div>

      {error ? (
        <p role="alert" className="text-xs text-red-600">
          {error}
        </p>
      ) : null}
      <ListenPanel endpointId={endpoint.id} />
    </section>
  );
}

function SecretRow({ hasSecret, secret, onRotate }: { hasSecret: boolean; secret: string | null; onRotate?: () => void }) {
  const [revealed, setRevealed] = useState(false);
  return (
    <div>
      <span className="text-xs font-medium text-slate-700">Signing secret</span>
      {secret ? (
        <>
          <div className="mt-1 flex gap-1.5">
            <input readOnly aria-label="Signing secret" type={revealed ? "text" : "password"} value={secret} className={`${CONTROL} font-mono text-xs`} />
            <button type="button" onClick={() => setRevealed(!revealed)} aria-label={revealed ? "Hide secret" : "Reveal secret"} className="grid size-8 shrink-0 place-items-center rounded-md ring-1 ring-slate-300 ring-inset hover:bg-slate-50">
              {revealed ? <EyeOff className="size-3.5" aria-hidden /> : <Eye className="size-3.5" aria-hidden />}
            </button>
            <CopyButton text={secret} label="Copy signing secret" />
          </div>
          <p className="mt-1 text-[11px] text-amber-700">Shown once: store it in the sending system now.</p>
        </>
      ) : (
        <p className="mt-1 text-xs text-slate-600">{hasSecret ? "A secret is set (stored encrypted, hidden)." : "No secret yet."}</p>
      )}
      {onRotate ? (
        <Button size="sm" variant="secondary" className="mt-1.5" onClick={onRotate}>
          <RefreshCw className="size-3.5" aria-hidden /> {hasSecret ? "Rotate secret" : "Create secret"}
        </Button>
      ) : null}
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

function sampleBody(kind: string): { json: string; form: string } {
  if (kind === "payment_trigger") return { json: '{"id":"evt_test_1","type":"checkout.session.completed","data":{"object":{"amount_total":4900,"customer_email":"ada@example.com"}}}', form: "" };
  if (kind === "content_trigger") return { json: '{"event":"entry.publish","title":"Hello world","url":"https://example.com/blog/hello"}', form: "" };
  return { json: '{"name":"Ada Lovelace","email":"ada@example.com","amount":120}', form: "name=Ada+Lovelace&email=ada%40example.com&amount=120" };
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
    case "none":
      break;
    default:
      prefix = `# ${AUTH_SCHEME_LABELS[endpoint.authScheme] ?? endpoint.authScheme}: the sender signs each request; send a test event from its dashboard.\n`;
  }
  lines.push(`  --data '${isForm ? body.form : body.json}'`);
  return prefix + lines.join(" \\\n");
}

/** Accepted requests, and those refused only because the flow is not active yet (listening happens before activation). */
function isSampleCandidate(item: FeedItem): boolean {
  return item.verdict === "accepted" || item.reason === "flow_inactive";
}

function ListenPanel({ endpointId }: { endpointId: string }) {
  const setSamplePayload = useEditor((state) => state.setSamplePayload);
  const [listening, setListening] = useState(false);
  const [items, setItems] = useState<FeedItem[]>([]);
  const [sampleId, setSampleId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const keptOne = useRef(false);

  const keep = useCallback(
    async (deliveryId: string) => {
      const result = await apiFetch<{ samplePayload: unknown }>(`/api/v1/deliveries/${deliveryId}/keep-as-sample`, { method: "POST", body: {} });
      if (!result.ok) return setError(result.error.message);
      setSamplePayload(result.data.samplePayload);
      setSampleId(deliveryId);
    },
    [setSamplePayload],
  );

  useEffect(() => {
    if (!listening) return;
    keptOne.current = false;
    const source = new EventSource(`/api/v1/endpoints/${endpointId}/listen`);
    source.addEventListener("delivery", (event) => {
      const item = JSON.parse((event as MessageEvent<string>).data) as FeedItem;
      setItems((current) => [item, ...current].slice(0, 20));
      // The first usable request becomes the sample payload, so the variable picker has fields at once.
      if (isSampleCandidate(item) && !keptOne.current) {
        keptOne.current = true;
        void keep(item.id);
      }
    });
    source.onerror = () => setError("The live connection dropped; it reconnects by itself.");
    source.addEventListener("ready", () => setError(null));
    return () => source.close();
  }, [listening, endpointId, keep]);

  return (
    <div className="rounded-md border border-slate-200 p-2.5">
      <div className="flex items-center justify-between">
        <span className="text-xs font-medium text-slate-700">Test events</span>
        <Button size="sm" variant={listening ? "secondary" : "primary"} onClick={() => setListening(!listening)}>
          <Radio className={`size-3.5 ${listening ? "animate-pulse text-red-500" : ""}`} aria-hidden />
          {listening ? "Stop listening" : "Listen for test event"}
        </Button>
      </div>
      {listening && items.length === 0 ? <p className="mt-2 text-xs text-slate-500">Waiting for a request… send one with the curl example above.</p> : null}
      {error ? <p className="mt-1 text-xs text-amber-700">{error}</p> : null}
      {items.length ? (
        <ul aria-label="Received requests" aria-live="polite" className="mt-2 divide-y divide-slate-100 text-xs">
          {items.map((item) => (
            <li key={item.id} className="flex items-center gap-2 py-1.5">
              <span className={`rounded px-1 font-medium ${item.verdict === "accepted" ? "bg-emerald-50 text-emerald-700" : item.verdict === "duplicate" ? "bg-slate-100 text-slate-600" : "bg-red-50 text-red-700"}`}>
                {item.responseStatus}
              </span>
              <span className="font-mono">{item.method}</span>
              <time className="text-slate-500" dateTime={item.receivedAt}>
                {new Date(item.receivedAt).toLocaleTimeString()}
              </time>
              <span className="truncate text-slate-500">{item.reason ?? item.verdict}</span>
              {isSampleCandidate(item) ? (
                sampleId === item.id ? (
                  <span className="ml-auto text-emerald-700">Sample</span>
                ) : (
                  <button type="button" onClick={() => void keep(item.id)} className="ml-auto text-brand-600 hover:underline">
                    Use as sample
                  </button>
                )
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
