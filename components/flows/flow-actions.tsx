"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { apiFetch } from "@/lib/api/client";

export function FlowActions({
  flowId,
  status,
  published,
  hasNodes,
}: {
  flowId: string;
  status: "draft" | "active" | "paused";
  published: boolean;
  hasNodes: boolean;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<string | null>(null);

  async function run(action: "publish" | "activate" | "pause" | "delete") {
    if (action === "delete" && !window.confirm("Delete this flow, its versions and its run history? This cannot be undone.")) return;
    setPending(action);
    setError(null);
    const result =
      action === "delete"
        ? await apiFetch(`/api/v1/flows/${flowId}`, { method: "DELETE" })
        : await apiFetch(`/api/v1/flows/${flowId}/${action}`, { method: "POST", body: {} });
    setPending(null);
    if (!result.ok) return setError(result.error.message);
    if (action === "delete") router.push("/flows");
    router.refresh();
  }

  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex gap-2">
        <Button variant="secondary" onClick={() => run("publish")} disabled={!hasNodes || pending !== null}>
          {pending === "publish" ? "Publishing…" : "Publish"}
        </Button>
        {status === "active" ? (
          <Button variant="secondary" onClick={() => run("pause")} disabled={pending !== null}>
            Pause
          </Button>
        ) : (
          <Button onClick={() => run("activate")} disabled={!published || pending !== null} title={published ? undefined : "Publish first"}>
            Activate
          </Button>
        )}
        <Button variant="ghost" onClick={() => run("delete")} disabled={pending !== null}>
          Delete
        </Button>
      </div>
      <ErrorAlert>{error}</ErrorAlert>
    </div>
  );
}
