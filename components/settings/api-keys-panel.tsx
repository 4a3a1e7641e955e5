"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";
import { apiFetch } from "@/lib/api/client";
import { createdApiKeySchema, type ApiKeyListItem } from "@/lib/auth/api-key-responses";

export function ApiKeysPanel({ apiKeys }: { apiKeys: ApiKeyListItem[] }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [newKey, setNewKey] = useState<string | null>(null);

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const result = await apiFetch("/api/v1/api-keys", {
      schema: createdApiKeySchema,
      method: "POST",
      body: { name: String(new FormData(formElement).get("name")) },
    });
    if (!result.ok) return setError(result.error.message);
    setError(null);
    setNewKey(result.data.key);
    formElement.reset();
    router.refresh();
  }

  async function revoke(id: string) {
    if (!window.confirm("Revoke this key? Programs using it stop working at once.")) return;
    const result = await apiFetch(`/api/v1/api-keys/${id}`, { method: "DELETE" });
    if (!result.ok) return setError(result.error.message);
    router.refresh();
  }

  return (
    <Card>
      <CardHeader title="API keys" description="For scripts and CI: send as Authorization: Bearer <key>. A key acts with its creator's role." />
      <div className="space-y-4 px-5 py-4">
        <form onSubmit={create} className="flex items-end gap-3">
          <TextField label="Key name" name="name" required placeholder="Deploy pipeline" className="flex-1" />
          <Button type="submit">Create key</Button>
        </form>
        <ErrorAlert>{error}</ErrorAlert>
        {newKey ? (
          <div className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200">
            Copy this key now — it will not be shown again:
            <code data-testid="new-api-key" className="mt-1 block break-all font-mono">
              {newKey}
            </code>
          </div>
        ) : null}
        {apiKeys.length === 0 ? (
          <p className="text-sm text-slate-500">No API keys yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-md ring-1 ring-slate-200">
            {apiKeys.map((k) => (
              <li key={k.id} className="flex items-center justify-between px-3 py-2 text-sm">
                <span>
                  <span className="font-medium">{k.name}</span> <code className="text-xs text-slate-500">{k.prefix}…</code>
                  <span className="block text-xs text-slate-500">
                    by {k.createdBy} · {k.lastUsedAt ? `last used ${new Date(k.lastUsedAt).toLocaleString()}` : "never used"}
                  </span>
                </span>
                <Button size="sm" variant="ghost" onClick={() => revoke(k.id)}>
                  Revoke
                </Button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Card>
  );
}
