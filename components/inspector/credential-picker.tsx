"use client";

// Chooses a stored credential of the fitting types, or creates one inline (the form is generated
// from the credential type's zod schema). Secrets go to the server once and are never read back.
import { KeyRound } from "lucide-react";
import { useId, useState, type FormEvent } from "react";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { apiFetch } from "@/lib/api/client";
import { useApi } from "@/lib/api/use-api";
import { credentialListSchema, credentialSummarySchema, type CredentialListItem } from "@/lib/credentials/credential-responses";
import { credentialTypes, type CredentialType } from "@/lib/credentials/credential-types";
import type { JsonSchema } from "@/lib/flows/node-config-schema";
import { CONTROL, FieldMessage } from "./expression-input";


export function CredentialPicker({
  label,
  types,
  value,
  onChange,
  error,
  disabled,
}: {
  label: string;
  types: CredentialType[];
  value: string;
  onChange: (id: string) => void;
  error?: string;
  disabled?: boolean;
}) {
  const id = useId();
  // One list per page load, shared by every picker (SWR's cache), revalidated after an inline create.
  const credentials = useApi("/api/v1/credentials", credentialListSchema, { revalidateIfStale: false });
  const options = credentials.data?.credentials.filter((c) => types.includes(c.type)) ?? (credentials.error ? [] : null);
  const [creating, setCreating] = useState(false);

  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      <div className="mt-1 flex gap-1.5">
        <select id={id} value={value} onChange={(e) => onChange(e.target.value)} disabled={disabled || options === null} aria-invalid={error ? true : undefined} className={CONTROL}>
          <option value="">{options === null ? "Loading…" : options.length ? "Choose a credential…" : "No credential yet"}</option>
          {options?.map((option) => (
            <option key={option.id} value={option.id}>
              {option.name}
            </option>
          ))}
        </select>
        {!disabled ? (
          <button type="button" onClick={() => setCreating(!creating)} aria-expanded={creating} className="shrink-0 rounded-md px-2 text-xs font-medium text-brand-600 ring-1 ring-slate-300 ring-inset hover:bg-brand-50">
            New
          </button>
        ) : null}
      </div>
      <FieldMessage id={id} hint={types.map((t) => credentialTypes[t].label).join(" or ")} error={error} />
      {creating ? (
        <NewCredentialForm
          types={types}
          onCancel={() => setCreating(false)}
          onCreated={async (credential) => {
            await credentials.mutate();
            onChange(credential.id);
            setCreating(false);
          }}
        />
      ) : null}
    </div>
  );
}

function NewCredentialForm({ types, onCreated, onCancel }: { types: CredentialType[]; onCreated: (credential: CredentialListItem) => void; onCancel: () => void }) {
  const [type, setType] = useState<CredentialType>(types[0]);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const schema = z.toJSONSchema(credentialTypes[type].schema, { io: "input", unrepresentable: "any" }) as JsonSchema;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    event.stopPropagation();
    const form = new FormData(event.currentTarget);
    const data: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(schema.properties ?? {})) {
      const raw = form.get(`data.${key}`);
      if (field.type === "boolean") data[key] = raw === "on";
      else if (field.type === "number" || field.type === "integer") data[key] = raw === "" || raw === null ? undefined : Number(raw);
      else if (field.type === "object") data[key] = {};
      else data[key] = raw ?? "";
    }
    setPending(true);
    setError(null);
    const result = await apiFetch("/api/v1/credentials", { schema: credentialSummarySchema, method: "POST", body: { name: String(form.get("name") ?? ""), type, data } });
    setPending(false);
    if (!result.ok) return setError(result.error.message);
    onCreated(result.data);
  }

  return (
    <div className="mt-2 rounded-md border border-brand-100 bg-brand-50/40 p-3">
      <form onSubmit={submit} className="space-y-2" aria-label="New credential">
        <div className="flex items-center gap-1.5 text-xs font-semibold text-slate-700">
          <KeyRound className="size-3.5" aria-hidden /> New credential
        </div>
        {types.length > 1 ? (
          <label className="block text-xs font-medium text-slate-700">
            Type
            <select value={type} onChange={(e) => setType(e.target.value as CredentialType)} className={`mt-1 ${CONTROL}`}>
              {types.map((t) => (
                <option key={t} value={t}>
                  {credentialTypes[t].label}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label className="block text-xs font-medium text-slate-700">
          Credential name
          <input name="name" required placeholder={credentialTypes[type].label} className={`mt-1 ${CONTROL}`} />
        </label>
        {Object.entries(schema.properties ?? {})
          .filter(([, field]) => field.type !== "object")
          .map(([key, field]) =>
            field.type === "boolean" ? (
              <label key={key} className="flex items-center gap-2 text-xs text-slate-700">
                <input type="checkbox" name={`data.${key}`} defaultChecked={field.default === true} /> {field.description ?? key}
              </label>
            ) : (
              <label key={key} className="block text-xs font-medium text-slate-700">
                {field.description ?? key}
                <input
                  name={`data.${key}`}
                  type={/password|secret|token|value/i.test(key) ? "password" : field.type === "number" || field.type === "integer" ? "number" : "text"}
                  defaultValue={field.default === undefined ? "" : String(field.default)}
                  autoComplete="off"
                  className={`mt-1 ${CONTROL}`}
                />
              </label>
            ),
          )}
        {error ? (
          <p role="alert" className="text-xs text-red-600">
            {error}
          </p>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button size="sm" variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
          <Button size="sm" type="submit" disabled={pending}>
            {pending ? "Saving…" : "Save credential"}
          </Button>
        </div>
      </form>
    </div>
  );
}
