"use client";

import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { apiFetch } from "@/lib/api/client";
import type { AlertSettings } from "@/lib/flows/flow-settings";

export interface AlertCredentialOption {
  id: string;
  name: string;
  type: string;
}

/** One flow's failure-alert rule: when to alert, through which credential, how often at most. */
export function FlowAlertForm({
  flowId,
  flowName,
  initial,
  credentials,
  canWrite,
}: {
  flowId: string;
  flowName: string;
  initial: AlertSettings;
  credentials: AlertCredentialOption[];
  canWrite: boolean;
}) {
  const [settings, setSettings] = useState(initial);
  const [message, setMessage] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [pending, setPending] = useState(false);
  const credential = credentials.find((c) => c.id === settings.credentialId);

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (settings.enabled && !settings.credentialId) return setMessage({ tone: "error", text: "Choose where to send the alert" });
    if (settings.enabled && credential?.type === "smtp" && !settings.emailTo.trim()) return setMessage({ tone: "error", text: "Enter the recipient for email alerts" });
    setPending(true);
    const result = await apiFetch(`/api/v1/flows/${flowId}`, { method: "PATCH", body: { settings: { alerts: settings } } });
    setPending(false);
    setMessage(result.ok ? { tone: "ok", text: "Saved" } : { tone: "error", text: result.error.message });
  }

  const set = <K extends keyof AlertSettings>(key: K, value: AlertSettings[K]) => {
    setMessage(null);
    setSettings((s) => ({ ...s, [key]: value }));
  };

  return (
    <form onSubmit={save} aria-label={`Alerts for ${flowName}`} className="grid grid-cols-1 items-end gap-3 px-5 py-4 text-sm md:grid-cols-12">
      <div className="md:col-span-3">
        <div className="font-medium">{flowName}</div>
        <label className="mt-1 flex items-center gap-2 text-slate-600">
          <input type="checkbox" checked={settings.enabled} disabled={!canWrite} onChange={(e) => set("enabled", e.target.checked)} />
          Alert on failure
        </label>
      </div>
      <label className="md:col-span-3">
        <span className="block text-xs text-slate-500">When</span>
        <select
          value={settings.rule}
          disabled={!canWrite || !settings.enabled}
          onChange={(e) => set("rule", e.target.value as AlertSettings["rule"])}
          className="mt-1 w-full rounded-md border-0 py-1.5 ring-1 ring-inset ring-slate-300"
        >
          <option value="first_failure">First failure after a success</option>
          <option value="consecutive_failures">N failures in a row</option>
        </select>
      </label>
      {settings.rule === "consecutive_failures" ? (
        <label className="md:col-span-1">
          <span className="block text-xs text-slate-500">N</span>
          <input
            type="number"
            min={2}
            max={100}
            value={settings.threshold}
            disabled={!canWrite || !settings.enabled}
            onChange={(e) => set("threshold", Number(e.target.value))}
            className="mt-1 w-full rounded-md border-0 py-1.5 ring-1 ring-inset ring-slate-300"
          />
        </label>
      ) : null}
      <label className={settings.rule === "consecutive_failures" ? "md:col-span-2" : "md:col-span-3"}>
        <span className="block text-xs text-slate-500">Send to</span>
        <select
          value={settings.credentialId ?? ""}
          disabled={!canWrite || !settings.enabled}
          onChange={(e) => set("credentialId", e.target.value || undefined)}
          className="mt-1 w-full rounded-md border-0 py-1.5 ring-1 ring-inset ring-slate-300"
        >
          <option value="">Choose a credential…</option>
          {credentials.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      {credential?.type === "smtp" ? (
        <label className="md:col-span-2">
          <span className="block text-xs text-slate-500">Email to</span>
          <input
            type="email"
            value={settings.emailTo}
            disabled={!canWrite || !settings.enabled}
            onChange={(e) => set("emailTo", e.target.value)}
            className="mt-1 w-full rounded-md border-0 py-1.5 ring-1 ring-inset ring-slate-300"
          />
        </label>
      ) : null}
      <div className="flex items-center gap-2 md:col-span-1">
        {canWrite ? (
          <Button type="submit" size="sm" disabled={pending}>
            Save
          </Button>
        ) : null}
        {message ? (
          <span role={message.tone === "error" ? "alert" : "status"} className={message.tone === "error" ? "text-xs text-red-600" : "text-xs text-emerald-700"}>
            {message.text}
          </span>
        ) : null}
      </div>
    </form>
  );
}
