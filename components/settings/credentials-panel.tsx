"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import type { z } from "zod";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { SelectField, TextField } from "@/components/ui/field";
import { apiFetch } from "@/lib/api/client";
import type { CredentialListItem } from "@/lib/credentials/credential-responses";
import { CREDENTIAL_TYPES, credentialTypes, isCredentialType, type CredentialType } from "@/lib/credentials/credential-types";

/** The fields of a credential type's schema, as simple form inputs (records are edited as JSON). */
function fieldsOf(type: CredentialType) {
  const { schema, secretFields } = credentialTypes[type];
  const shape = schema.shape as Record<string, z.ZodType>;
  return Object.entries(shape).map(([key, field]) => {
    const def = (field as unknown as { _zod: { def: { type: string; innerType?: { _zod: { def: { type: string } } } } } })._zod.def;
    const inner = def.type === "default" || def.type === "optional" ? def.innerType?._zod.def.type : def.type;
    return { key, kind: inner ?? "string", description: field.description ?? key, secret: (secretFields as string[]).includes(key) };
  });
}

export function CredentialsPanel({ credentials, canWrite }: { credentials: CredentialListItem[]; canWrite: boolean }) {
  const router = useRouter();
  const [type, setType] = useState<CredentialType>("slack_webhook");
  const [error, setError] = useState<string | null>(null);

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const data: Record<string, unknown> = {};
    for (const field of fieldsOf(type)) {
      const raw = form.get(field.key);
      if (field.kind === "boolean") data[field.key] = raw === "on";
      else if (field.kind === "record") {
        try {
          data[field.key] = raw ? JSON.parse(String(raw)) : {};
        } catch {
          return setError(`${field.key}: enter a JSON object such as {"X-Token": "…"}`);
        }
      } else if (raw !== null && raw !== "") data[field.key] = field.kind === "number" ? Number(raw) : String(raw);
    }
    const result = await apiFetch("/api/v1/credentials", { method: "POST", body: { name: form.get("name"), type, data } });
    if (!result.ok) return setError(result.error.message);
    setError(null);
    formElement.reset();
    router.refresh();
  }

  async function remove(id: string, name: string) {
    if (!window.confirm(`Delete the credential "${name}"? Steps that use it will fail until you choose another.`)) return;
    const result = await apiFetch(`/api/v1/credentials/${id}`, { method: "DELETE" });
    if (!result.ok) return setError(result.error.message);
    router.refresh();
  }

  return (
    <Card>
      <CardHeader title="Credentials" description="Webhook URLs, SMTP servers and API keys that steps and alerts use. Stored encrypted; never shown again after saving." />
      <div className="space-y-4 px-5 py-4">
        {credentials.length === 0 ? (
          <p className="text-sm text-slate-500">No credentials yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-md ring-1 ring-slate-200">
            {credentials.map((c) => (
              <li key={c.id} className="flex items-center justify-between px-3 py-2 text-sm">
                <span>
                  <span className="font-medium">{c.name}</span>{" "}
                  <span className="text-xs text-slate-500">{isCredentialType(c.type) ? credentialTypes[c.type].label : c.type}</span>
                </span>
                {canWrite ? (
                  <Button size="sm" variant="ghost" onClick={() => remove(c.id, c.name)}>
                    Delete
                  </Button>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        {canWrite ? (
          <form onSubmit={create} className="space-y-3 rounded-md bg-slate-50 p-4 ring-1 ring-slate-200">
            <div className="grid gap-3 sm:grid-cols-2">
              <SelectField label="Type" value={type} onChange={(e) => setType(e.target.value as CredentialType)}>
                {CREDENTIAL_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {credentialTypes[t].label}
                  </option>
                ))}
              </SelectField>
              <TextField label="Credential name" name="name" required placeholder="Sales Slack channel" />
            </div>
            <div className="grid gap-3 sm:grid-cols-2">
              {fieldsOf(type).map((field) =>
                field.kind === "boolean" ? (
                  <label key={`${type}-${field.key}`} className="flex items-center gap-2 text-sm text-slate-700">
                    <input type="checkbox" name={field.key} /> {field.description}
                  </label>
                ) : (
                  <TextField
                    key={`${type}-${field.key}`}
                    label={field.key}
                    name={field.key}
                    hint={field.description}
                    // Secret text is masked; a JSON record of secrets stays readable while it is typed.
                    type={field.kind === "number" ? "number" : field.secret && field.kind !== "record" ? "password" : "text"}
                    placeholder={field.kind === "record" ? '{"Header": "value"}' : undefined}
                    autoComplete="off"
                  />
                ),
              )}
            </div>
            <ErrorAlert>{error}</ErrorAlert>
            <Button type="submit">Save credential</Button>
          </form>
        ) : null}
      </div>
    </Card>
  );
}
