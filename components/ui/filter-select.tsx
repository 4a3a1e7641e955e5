import type { SelectHTMLAttributes } from "react";

/** The compact select of list filter bars (runs, deliveries, metrics). Needs an aria-label. */
export function FilterSelect({ className = "", ...props }: SelectHTMLAttributes<HTMLSelectElement>) {
  // Never wider than its row: a long option (a flow's name) would widen the page on a phone.
  return <select className={`max-w-full min-w-0 truncate rounded-md border-0 py-1.5 text-sm ring-1 ring-inset ring-slate-300 ${className}`} {...props} />;
}
