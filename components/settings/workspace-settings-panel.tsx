"use client";

import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { TextAreaField, TextField } from "@/components/ui/field";
import { apiFetch } from "@/lib/api/client";
import { ALLOWED_HOSTS_SETTING } from "@/lib/net/allowed-hosts-setting";

export function WorkspaceSettingsPanel({ initial }: { initial: { name: string; retentionDays: number; allowedHosts: string[] } }) {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const allowedHosts = String(form.get("allowedHosts") ?? "")
      .split(/[\s,]+/)
      .map((h) => h.trim())
      .filter(Boolean);
    const result = await apiFetch("/api/v1/workspace", {
      method: "PATCH",
      body: { name: String(form.get("name")), retentionDays: Number(form.get("retentionDays")), allowedHosts },
    });
    setMessage(result.ok ? { ok: true, text: "Saved" } : { ok: false, text: result.error.message });
  }

  return (
    <Card>
      <CardHeader title="Workspace" description="Name, how long history is kept, and which internal hosts steps may call." />
      <form onSubmit={save} className="space-y-4 px-5 py-4">
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField label="Workspace name" name="name" defaultValue={initial.name} required />
          <TextField
            label="Keep deliveries and runs for (days)"
            name="retentionDays"
            type="number"
            min={1}
            max={3650}
            defaultValue={initial.retentionDays}
            required
            hint="Older finished runs (with their steps and payloads) and webhook deliveries are deleted every hour. Runs still queued, running or waiting are kept; deliveries at least 3 days, for duplicate detection."
          />
        </div>
        <TextAreaField
          id={ALLOWED_HOSTS_SETTING.anchor}
          label={ALLOWED_HOSTS_SETTING.label}
          name="allowedHosts"
          rows={3}
          defaultValue={initial.allowedHosts.join("\n")}
          hint="Outbound requests to private, loopback and metadata addresses are refused. List hosts that may be reached anyway, one per line: api.internal, *.corp.example, 10.1.0.0/16 — only within what the instance's operator permits (SWITCHYARD_ALLOWED_INTERNAL_HOSTS)."
        />
        <div className="flex items-center gap-3">
          <Button type="submit">Save workspace</Button>
          {message ? (
            <span role={message.ok ? "status" : "alert"} className={message.ok ? "text-sm text-emerald-700" : "text-sm text-red-600"}>
              {message.text}
            </span>
          ) : null}
        </div>
      </form>
    </Card>
  );
}
