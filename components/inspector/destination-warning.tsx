"use client";

// Says in the inspector, before publishing, when a step's destination (its URL, or the host in its
// credential) is an address this workspace's flows may not reach, and links to the setting that
// opens it: the run would otherwise fail with "Refused to connect".
import { ShieldAlert } from "lucide-react";
import Link from "next/link";
import { useEffect, useState } from "react";
import { apiFetch } from "@/lib/api/client";
import { ALLOWED_HOSTS_SETTING, describeBlockedRange } from "@/lib/net/allowed-hosts-setting";
import { destinationCheckSchema, type DestinationCheck } from "@/lib/net/destination-check";
import type { NodeDefinition } from "@/lib/nodes/node-definition";

const CHECK_DELAY_MS = 400;

export function DestinationWarning({ definition, config }: { definition: NodeDefinition; config: Record<string, unknown> }) {
  const target = definition.destination;
  const value = target ? config["urlField" in target ? target.urlField : target.credentialField] : undefined;
  const body = typeof value === "string" && value.trim() ? ("urlField" in target! ? { url: value.trim() } : { credentialId: value }) : null;
  const key = body ? JSON.stringify(body) : null;
  const [verdict, setVerdict] = useState<{ key: string; check: DestinationCheck } | null>(null);

  useEffect(() => {
    if (!key) return;
    let current = true;
    const timer = setTimeout(() => {
      void apiFetch("/api/v1/workspace/check-destination", { schema: destinationCheckSchema, method: "POST", body: JSON.parse(key) as unknown }).then((result) => {
        if (current && result.ok) setVerdict({ key, check: result.data });
      });
    }, CHECK_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [key]);

  const check = verdict && verdict.key === key ? verdict.check : null;
  if (!check || check.status !== "blocked") return null;
  return (
    <div role="status" aria-label="Destination not reachable" className="rounded-md bg-amber-50 p-2.5 text-xs text-amber-900 ring-1 ring-amber-200">
      <p className="flex items-start gap-1.5 font-medium">
        <ShieldAlert className="mt-0.5 size-3.5 shrink-0" aria-hidden />
        <span>
          {check.host}
          {check.address && check.address !== check.host ? ` (${check.address})` : ""} is {describeBlockedRange(check.reason ?? "")}, which this workspace may not reach: runs of this step will be refused.
        </span>
      </p>
      <p className="mt-1 pl-5">
        {check.operatorAllows ? (
          <>
            A workspace admin can allow it under{" "}
            <Link href={ALLOWED_HOSTS_SETTING.href} className="font-medium underline">
              {ALLOWED_HOSTS_SETTING.place}
            </Link>
            .
          </>
        ) : (
          <>
            This instance&apos;s operator does not permit it (SWITCHYARD_ALLOWED_INTERNAL_HOSTS), so{" "}
            <Link href={ALLOWED_HOSTS_SETTING.href} className="font-medium underline">
              {ALLOWED_HOSTS_SETTING.place}
            </Link>{" "}
            cannot open it; ask the operator, or use a public address.
          </>
        )}
      </p>
    </div>
  );
}
