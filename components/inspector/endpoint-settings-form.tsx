"use client";

// Every setting of a trigger's webhook endpoint in one form with one Save: authentication (scheme,
// its header/encoding/prefix/tolerance, a pasted or generated secret with a grace period for the
// old one), who may call, limits, duplicates, event filter, CORS and the response mode. Validated
// while typing by the same zod schema the API uses (updateEndpointInput).
import { Save } from "lucide-react";
import { useEffect, useId, useState, type ReactNode } from "react";
import { useForm, useWatch, type FieldErrors, type Resolver, type UseFormRegisterReturn } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { apiFetch } from "@/lib/api/client";
import { AUTH_SCHEME_INFO, AUTH_SCHEMES, DEFAULT_TOLERANCE_SECONDS, schemeHasTolerance, schemeNeedsSecret, type AuthScheme } from "@/lib/webhooks/endpoints/auth-schemes";
import { updatedEndpointSchema, updateEndpointInput, type EndpointView, type UpdateEndpointInput } from "@/lib/webhooks/endpoints/endpoint-input";
import { MAX_BODY_BYTES_LIMIT } from "@/lib/webhooks/endpoints/limits";
import { CONTROL } from "./expression-input";

type SecretAction = "keep" | "paste" | "generate";

export interface EndpointFormValues {
  /** As last saved (not edited): whether "keep the current secret" is possible. */
  savedScheme: string;
  hasSecret: boolean;
  authScheme: AuthScheme;
  headerName: string;
  encoding: "hex" | "base64";
  prefix: string;
  username: string;
  toleranceSeconds: string;
  secretAction: SecretAction;
  secretValue: string;
  graceHours: string;
  ipAllowlist: string;
  trustedProxies: string;
  maxBodyKb: string;
  rateLimitPerMinute: string;
  dedupeSource: "none" | "header" | "body";
  dedupeKey: string;
  /** Seconds as text; "" = as long as the deliveries are kept. */
  dedupeWindow: string;
  eventTypes: string;
  eventTypeHeader: string;
  eventTypePath: string;
  corsOrigins: string;
  responseMode: "async" | "sync";
  syncTimeoutSeconds: string;
}

const GRACE_OPTIONS = [
  ["0", "Stop at once"],
  ["1", "1 hour"],
  ["24", "24 hours"],
  ["72", "3 days"],
  ["168", "7 days"],
] as const;

const DEDUPE_WINDOWS = [
  ["", "As long as deliveries are kept"],
  ["3600", "1 hour"],
  ["86400", "24 hours"],
  ["259200", "3 days"],
  ["604800", "7 days"],
  ["2592000", "30 days"],
] as const;

function schemeOf(value: string): AuthScheme {
  return (AUTH_SCHEMES as readonly string[]).includes(value) ? (value as AuthScheme) : "none";
}

/** What to do with the secret when nothing was chosen: keep a set one, else paste (provider-issued) or generate. */
function defaultSecretAction(scheme: AuthScheme, saved: { hasSecret: boolean; authScheme: string }): SecretAction {
  if (saved.hasSecret && scheme === saved.authScheme) return "keep";
  return AUTH_SCHEME_INFO[scheme].providerIssued ? "paste" : "generate";
}

export function toFormValues(endpoint: EndpointView): EndpointFormValues {
  const scheme = schemeOf(endpoint.authScheme);
  const config = endpoint.authConfig as Record<string, unknown>;
  const lines = (list: string[]) => list.join("\n");
  return {
    savedScheme: endpoint.authScheme,
    hasSecret: endpoint.hasSecret,
    authScheme: scheme,
    headerName: String(config.headerName ?? (scheme === "hmac" ? "x-signature" : "x-webhook-token")),
    encoding: config.encoding === "base64" ? "base64" : "hex",
    prefix: String(config.prefix ?? ""),
    username: String(config.username ?? "webhook"),
    toleranceSeconds: String(config.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS),
    secretAction: defaultSecretAction(scheme, endpoint),
    secretValue: "",
    graceHours: "24",
    ipAllowlist: lines(endpoint.ipAllowlist),
    trustedProxies: lines(endpoint.settings.trustedProxies),
    maxBodyKb: String(Math.round(endpoint.maxBodyBytes / 1024)),
    rateLimitPerMinute: endpoint.rateLimitPerMinute === null ? "" : String(endpoint.rateLimitPerMinute),
    dedupeSource: endpoint.dedupe?.source ?? "none",
    dedupeKey: endpoint.dedupe ? (endpoint.dedupe.source === "header" ? endpoint.dedupe.header : endpoint.dedupe.path) : "",
    dedupeWindow: endpoint.dedupe?.windowSeconds ? String(endpoint.dedupe.windowSeconds) : "",
    eventTypes: lines(endpoint.settings.eventTypes),
    eventTypeHeader: endpoint.settings.eventTypeHeader ?? "",
    eventTypePath: endpoint.settings.eventTypePath ?? "",
    corsOrigins: lines(endpoint.settings.corsOrigins),
    responseMode: endpoint.responseMode,
    syncTimeoutSeconds: String(endpoint.syncTimeoutMs / 1000),
  };
}

const splitList = (text: string) =>
  text
    .split(/[\n,]/)
    .map((entry) => entry.trim())
    .filter(Boolean);
const toNumber = (text: string) => (text.trim() === "" ? Number.NaN : Number(text.trim()));

/** The form as the API's PATCH body. */
export function toUpdateInput(values: EndpointFormValues): UpdateEndpointInput {
  const scheme = values.authScheme;
  const authConfig: Record<string, unknown> =
    scheme === "header_token"
      ? { headerName: values.headerName.trim() }
      : scheme === "basic"
        ? { username: values.username.trim() }
        : scheme === "hmac"
          ? { headerName: values.headerName.trim(), encoding: values.encoding, prefix: values.prefix }
          : schemeHasTolerance(scheme)
            ? { toleranceSeconds: toNumber(values.toleranceSeconds) }
            : {};
  const action = secretActionFor(values);
  const graceHours = Number(values.graceHours);
  const rate = values.rateLimitPerMinute.trim();
  const windowSeconds = values.dedupeWindow ? { windowSeconds: Number(values.dedupeWindow) } : {};
  return {
    authScheme: scheme,
    authConfig,
    ...(action === "paste" ? { newSecret: { secret: values.secretValue, graceHours } } : action === "generate" ? { newSecret: { graceHours } } : {}),
    ipAllowlist: splitList(values.ipAllowlist),
    maxBodyBytes: Math.round(toNumber(values.maxBodyKb) * 1024),
    rateLimitPerMinute: rate === "" ? null : toNumber(rate),
    dedupe:
      values.dedupeSource === "none"
        ? null
        : values.dedupeSource === "header"
          ? { source: "header", header: values.dedupeKey, ...windowSeconds }
          : { source: "body", path: values.dedupeKey, ...windowSeconds },
    responseMode: values.responseMode,
    syncTimeoutMs: Math.round(toNumber(values.syncTimeoutSeconds) * 1000),
    settings: {
      eventTypes: splitList(values.eventTypes),
      eventTypeHeader: values.eventTypeHeader.trim() || null,
      eventTypePath: values.eventTypePath.trim() || null,
      corsOrigins: splitList(values.corsOrigins),
      trustedProxies: splitList(values.trustedProxies),
    },
  };
}

/** "keep" is only possible for a set secret of the same scheme; a scheme without secrets needs none. */
function secretActionFor(values: EndpointFormValues): SecretAction | null {
  if (!schemeNeedsSecret(values.authScheme)) return null;
  const saved = { hasSecret: values.hasSecret, authScheme: values.savedScheme };
  if (values.secretAction === "keep" && !(saved.hasSecret && values.authScheme === saved.authScheme)) return defaultSecretAction(values.authScheme, saved);
  return values.secretAction;
}

/** Maps an API/schema issue path to the form field that shows it. */
function fieldFor(path: (string | number)[]): keyof EndpointFormValues | "root" {
  const [head, second] = path;
  const key = `${String(head)}.${String(second ?? "")}`;
  switch (key) {
    case "authConfig.headerName":
      return "headerName";
    case "authConfig.encoding":
      return "encoding";
    case "authConfig.prefix":
      return "prefix";
    case "authConfig.username":
      return "username";
    case "authConfig.toleranceSeconds":
      return "toleranceSeconds";
    case "newSecret.secret":
      return "secretValue";
    case "newSecret.graceHours":
      return "graceHours";
    case "settings.trustedProxies":
      return "trustedProxies";
    case "settings.corsOrigins":
      return "corsOrigins";
    case "settings.eventTypes":
      return "eventTypes";
    case "settings.eventTypeHeader":
      return "eventTypeHeader";
    case "settings.eventTypePath":
      return "eventTypePath";
  }
  switch (head) {
    case "ipAllowlist":
      return "ipAllowlist";
    case "maxBodyBytes":
      return "maxBodyKb";
    case "rateLimitPerMinute":
      return "rateLimitPerMinute";
    case "dedupe":
      return path[1] === "windowSeconds" ? "dedupeWindow" : "dedupeKey";
    case "syncTimeoutMs":
      return "syncTimeoutSeconds";
  }
  return "root";
}

/** A list entry's issue names the entry, so "203.0.113.0/33: Not an IP…" points at the right line. */
function issueMessage(path: (string | number)[], message: string, input: UpdateEndpointInput): string {
  const list = path[0] === "settings" ? (input.settings?.[String(path[1])] as unknown) : path[0] === "ipAllowlist" ? input.ipAllowlist : undefined;
  const index = path[0] === "settings" ? path[2] : path[1];
  if (Array.isArray(list) && typeof index === "number" && typeof list[index] === "string") return `"${list[index]}": ${message}`;
  return message;
}

function collectErrors(issues: { path: (string | number)[]; message: string }[], input: UpdateEndpointInput): FieldErrors<EndpointFormValues> {
  const errors: Record<string, { type: string; message: string }> = {};
  for (const issue of issues) {
    const field = fieldFor(issue.path);
    errors[field] ??= { type: "validation", message: issueMessage(issue.path, issue.message, input) };
  }
  return errors as FieldErrors<EndpointFormValues>;
}

const resolver: Resolver<EndpointFormValues> = async (values) => {
    const input = toUpdateInput(values);
    const result = updateEndpointInput.safeParse(input);
    if (result.success) return { values, errors: {} };
    return { values: {}, errors: collectErrors(result.error.issues as { path: (string | number)[]; message: string }[], input) };
};

export function EndpointSettingsForm({
  endpoint,
  readOnly,
  onSaved,
}: {
  endpoint: EndpointView;
  readOnly: boolean;
  onSaved: (endpoint: EndpointView, generatedSecret: string | null) => void;
}) {
  const form = useForm<EndpointFormValues>({ defaultValues: toFormValues(endpoint), resolver, mode: "onTouched" });
  const { register, control, handleSubmit, setValue, setError, reset, formState } = form;
  const [saved, setSaved] = useState(false);
  const scheme = useWatch({ control, name: "authScheme" });
  const secretAction = useWatch({ control, name: "secretAction" });
  const dedupeSource = useWatch({ control, name: "dedupeSource" });
  const responseMode = useWatch({ control, name: "responseMode" });
  const info = AUTH_SCHEME_INFO[scheme];
  const canKeep = endpoint.hasSecret && scheme === endpoint.authScheme;
  const errors = formState.errors;

  // A new scheme starts from its own secret choice (a provider's secret is pasted, others generated).
  const { hasSecret, authScheme: savedScheme } = endpoint;
  useEffect(() => {
    setValue("secretAction", defaultSecretAction(scheme, { hasSecret, authScheme: savedScheme }));
  }, [scheme, hasSecret, savedScheme, setValue]);

  const submit = handleSubmit(async (values) => {
    const input = toUpdateInput(values);
    const result = await apiFetch(`/api/v1/endpoints/${endpoint.id}`, { schema: updatedEndpointSchema, method: "PATCH", body: input });
    if (!result.ok) {
      const details = (result.error.details ?? []) as { path: string; message: string }[];
      const fieldErrors = Array.isArray(details) ? collectErrors(details.map((d) => ({ path: d.path.split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p)), message: d.message })), input) : {};
      const entries = Object.entries(fieldErrors).filter(([field]) => field !== "root");
      for (const [field, error] of entries) setError(field as keyof EndpointFormValues, { type: "server", message: error?.message as string });
      if (entries.length === 0) setError("root", { type: "server", message: result.error.message });
      return;
    }
    const view = result.data.endpoint;
    reset(toFormValues(view));
    setSaved(true);
    onSaved(view, result.data.secret ?? null);
  });

  return (
    <form onSubmit={submit} aria-label="Webhook settings" noValidate className="space-y-3">
      <fieldset disabled={readOnly || formState.isSubmitting} className="space-y-3">
        <Group title="Authentication">
          <Field label="Authentication scheme" error={errors.authScheme?.message}>
            {(props) => (
              <select {...props} {...register("authScheme")} className={CONTROL}>
                {AUTH_SCHEMES.map((value) => (
                  <option key={value} value={value}>
                    {AUTH_SCHEME_INFO[value].label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {scheme === "hmac" || scheme === "header_token" ? (
            <Field label={scheme === "hmac" ? "Signature header" : "Token header"} error={errors.headerName?.message}>
              {(props) => <input {...props} {...register("headerName")} className={`${CONTROL} font-mono text-xs`} spellCheck={false} />}
            </Field>
          ) : null}
          {scheme === "hmac" ? (
            <div className="grid grid-cols-2 gap-2">
              <Field label="Signature encoding" error={errors.encoding?.message}>
                {(props) => (
                  <select {...props} {...register("encoding")} className={CONTROL}>
                    <option value="hex">Hex</option>
                    <option value="base64">Base64</option>
                  </select>
                )}
              </Field>
              <Field label="Signature prefix" hint='e.g. "sha256="' error={errors.prefix?.message}>
                {(props) => <input {...props} {...register("prefix")} className={`${CONTROL} font-mono text-xs`} spellCheck={false} />}
              </Field>
            </div>
          ) : null}
          {scheme === "basic" ? (
            <Field label="User name" error={errors.username?.message}>
              {(props) => <input {...props} {...register("username")} className={CONTROL} autoComplete="off" />}
            </Field>
          ) : null}
          {schemeHasTolerance(scheme) ? (
            <Field label="Timestamp tolerance (seconds)" hint="Older or newer signed requests are refused as replays." error={errors.toleranceSeconds?.message}>
              {(props) => <input {...props} {...register("toleranceSeconds")} inputMode="numeric" className={CONTROL} />}
            </Field>
          ) : null}
          {schemeNeedsSecret(scheme) ? (
            <SecretChoice
              endpoint={endpoint}
              canKeep={canKeep}
              action={secretAction}
              help={info.secretHelp}
              providerIssued={info.providerIssued}
              register={register}
              secretError={errors.secretValue?.message}
              graceError={errors.graceHours?.message}
            />
          ) : (
            <p className="text-[11px] text-slate-500">Anyone with the URL can call it. Add a signature or an IP allowlist for payment or admin data.</p>
          )}
        </Group>

        <Group title="Who may call">
          <Field label="Allowed IP ranges" hint="One address or CIDR range per line; empty allows every address." error={errors.ipAllowlist?.message}>
            {(props) => <textarea {...props} {...register("ipAllowlist")} rows={2} placeholder={"203.0.113.0/24\n2001:db8::/32"} className={`${CONTROL} font-mono text-xs`} spellCheck={false} />}
          </Field>
          <Field label="Trusted proxies" hint="Proxies (CIDR) in front of Switchyard whose X-Forwarded-For is believed." error={errors.trustedProxies?.message}>
            {(props) => <textarea {...props} {...register("trustedProxies")} rows={1} placeholder="10.0.0.0/8" className={`${CONTROL} font-mono text-xs`} spellCheck={false} />}
          </Field>
          <Field label="CORS origins" hint="Websites allowed to post from a browser, one per line, or *." error={errors.corsOrigins?.message}>
            {(props) => <textarea {...props} {...register("corsOrigins")} rows={1} placeholder="https://www.example.com" className={`${CONTROL} font-mono text-xs`} spellCheck={false} />}
          </Field>
        </Group>

        <Group title="Limits">
          <div className="space-y-2">
            <Field label="Maximum body size (KB)" hint={`Larger requests are refused with 413; at most ${MAX_BODY_BYTES_LIMIT / 1024} KB.`} error={errors.maxBodyKb?.message}>
              {(props) => <input {...props} {...register("maxBodyKb")} inputMode="numeric" className={CONTROL} />}
            </Field>
            <Field label="Rate limit per minute" hint="More requests in a minute are refused with 429; empty means no limit." error={errors.rateLimitPerMinute?.message}>
              {(props) => <input {...props} {...register("rateLimitPerMinute")} inputMode="numeric" className={CONTROL} />}
            </Field>
          </div>
        </Group>

        <Group title="Duplicates and events">
          <div className="grid grid-cols-[7rem_1fr] gap-2">
            <Field label="Dedupe on" error={errors.dedupeSource?.message}>
              {(props) => (
                <select {...props} {...register("dedupeSource")} className={CONTROL}>
                  <option value="none">Off</option>
                  <option value="header">A header</option>
                  <option value="body">A body field</option>
                </select>
              )}
            </Field>
            {dedupeSource !== "none" ? (
              <Field label={dedupeSource === "header" ? "Dedupe header" : "Dedupe body path"} error={errors.dedupeKey?.message}>
                {(props) => <input {...props} {...register("dedupeKey")} placeholder={dedupeSource === "header" ? "idempotency-key" : "id"} className={`${CONTROL} font-mono text-xs`} spellCheck={false} />}
              </Field>
            ) : null}
          </div>
          {dedupeSource !== "none" ? (
            <Field label="Dedupe window" hint="A repeat of a key seen within this time is answered 200 and starts no run." error={errors.dedupeWindow?.message}>
              {(props) => <OptionSelect control={props} field={register("dedupeWindow")} options={DEDUPE_WINDOWS} />}
            </Field>
          ) : null}
          <Field label="Event types to accept" hint='One per line; "invoice.*" matches a prefix. Empty accepts every event.' error={errors.eventTypes?.message}>
            {(props) => <textarea {...props} {...register("eventTypes")} rows={2} className={`${CONTROL} font-mono text-xs`} spellCheck={false} />}
          </Field>
          <div className="grid grid-cols-2 gap-2">
            <Field label="Event type header" error={errors.eventTypeHeader?.message}>
              {(props) => <input {...props} {...register("eventTypeHeader")} placeholder="x-event-type" className={`${CONTROL} font-mono text-xs`} spellCheck={false} />}
            </Field>
            <Field label="Event type body path" error={errors.eventTypePath?.message}>
              {(props) => <input {...props} {...register("eventTypePath")} placeholder="type" className={`${CONTROL} font-mono text-xs`} spellCheck={false} />}
            </Field>
          </div>
        </Group>

        <Group title="Response">
          <fieldset className="space-y-1 text-xs text-slate-700">
            <legend className="sr-only">Response mode</legend>
            <label className="flex items-start gap-2">
              <input type="radio" value="async" {...register("responseMode")} className="mt-0.5" />
              <span>
                Answer at once (202 Accepted) <span className="text-slate-500">— the run continues in the background</span>
              </span>
            </label>
            <label className="flex items-start gap-2">
              <input type="radio" value="sync" {...register("responseMode")} className="mt-0.5" />
              <span>Wait for the Respond step and answer with its response</span>
            </label>
          </fieldset>
          {responseMode === "sync" ? (
            <Field label="Wait at most (seconds)" hint="After this the sender gets 202 and the run goes on." error={errors.syncTimeoutSeconds?.message}>
              {(props) => <input {...props} {...register("syncTimeoutSeconds")} inputMode="decimal" className={CONTROL} />}
            </Field>
          ) : null}
        </Group>
      </fieldset>

      {errors.root?.message ? (
        <p role="alert" className="text-xs text-red-600">
          {errors.root.message}
        </p>
      ) : null}
      {!readOnly ? (
        <div className="sticky bottom-0 z-10 -mx-4 flex items-center gap-2 border-t border-slate-200 bg-white px-4 py-2">
          <Button type="submit" size="sm" disabled={formState.isSubmitting}>
            <Save className="size-3.5" aria-hidden /> {formState.isSubmitting ? "Saving…" : "Save webhook settings"}
          </Button>
          <span aria-live="polite" className="text-xs text-slate-500">
            {formState.isDirty ? "Unsaved changes" : saved ? "Saved" : ""}
          </span>
        </div>
      ) : null}
    </form>
  );
}

function SecretChoice({
  endpoint,
  canKeep,
  action,
  help,
  providerIssued,
  register,
  secretError,
  graceError,
}: {
  endpoint: EndpointView;
  canKeep: boolean;
  action: SecretAction;
  help: string;
  providerIssued: boolean;
  register: ReturnType<typeof useForm<EndpointFormValues>>["register"];
  secretError?: string;
  graceError?: string;
}) {
  const [now] = useState(() => Date.now());
  const replacing = endpoint.hasSecret && (action === "paste" || action === "generate");
  const previousValid = endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt.getTime() > now ? endpoint.previousSecretExpiresAt : null;
  return (
    <div className="space-y-2">
      <fieldset className="space-y-1 text-xs text-slate-700">
        <legend className="font-medium">Signing secret</legend>
        <p className="text-[11px] text-slate-500" data-testid="secret-status">
          {endpoint.hasSecret ? `A secret is set${endpoint.secretHint ? `, ending in ${endpoint.secretHint}` : ""}. It is stored encrypted and never shown again.` : "No secret is set yet."}
          {previousValid ? ` The previous secret also works until ${previousValid.toLocaleString()}.` : ""}
        </p>
        {providerIssued ? <p className="text-[11px] text-slate-600">The sender issues this secret: {help}</p> : null}
        {canKeep ? (
          <label className="flex items-center gap-2">
            <input type="radio" value="keep" {...register("secretAction")} /> Keep the current secret
          </label>
        ) : null}
        <label className="flex items-center gap-2">
          <input type="radio" value="paste" {...register("secretAction")} /> Paste the secret the sender gave you
        </label>
        <label className="flex items-center gap-2">
          <input type="radio" value="generate" {...register("secretAction")} /> Generate a new secret
        </label>
      </fieldset>
      {action === "paste" ? (
        <Field label="Secret to paste" hint={providerIssued ? undefined : help} error={secretError}>
          {(props) => <input {...props} {...register("secretValue")} type="password" autoComplete="off" spellCheck={false} className={`${CONTROL} font-mono text-xs`} />}
        </Field>
      ) : action === "generate" ? (
        <p className="text-[11px] text-slate-500">A new secret is created when you save and shown once, to copy into the sender.</p>
      ) : null}
      {replacing ? (
        <Field label="Keep the old secret working for" hint="So senders can switch over without refused requests." error={graceError}>
          {(props) => <OptionSelect control={props} field={register("graceHours")} options={GRACE_OPTIONS} />}
        </Field>
      ) : null}
    </div>
  );
}

function Group({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="space-y-2 rounded-md border border-slate-200 p-2.5">
      <legend className="px-1 text-xs font-semibold text-slate-800">{title}</legend>
      {children}
    </fieldset>
  );
}

interface ControlProps {
  id: string;
  "aria-invalid"?: true;
  "aria-describedby"?: string;
}

/** A select over fixed [value, label] options, registered with the form. */
function OptionSelect({ control, field, options }: { control: ControlProps; field: UseFormRegisterReturn; options: readonly (readonly [string, string])[] }) {
  return (
    <select {...control} {...field} className={CONTROL}>
      {options.map(([value, label]) => (
        <option key={value} value={value}>
          {label}
        </option>
      ))}
    </select>
  );
}

/** A visible label tied to its control, with a hint or the inline error under it. */
function Field({ label, hint, error, children }: { label: string; hint?: string; error?: string; children: (props: ControlProps) => ReactNode }) {
  const id = useId();
  const describedBy = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <div className="min-w-0">
      <label htmlFor={id} className="mb-1 block text-xs font-medium text-slate-700">
        {label}
      </label>
      {children({ id, ...(error ? { "aria-invalid": true as const } : {}), ...(describedBy ? { "aria-describedby": describedBy } : {}) })}
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-[11px] text-red-600">
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="mt-1 text-[11px] text-slate-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
