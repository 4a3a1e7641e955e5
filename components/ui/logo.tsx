import { Waypoints } from "lucide-react";

export function Logo({ className = "" }: { className?: string }) {
  return (
    <span className={`inline-flex items-center gap-2 font-semibold tracking-tight text-slate-900 ${className}`}>
      <span className="grid size-7 place-items-center rounded-md bg-brand-600 text-white">
        <Waypoints className="size-4" aria-hidden />
      </span>
      Switchyard
    </span>
  );
}
