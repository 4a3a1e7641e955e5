import type { SelectHTMLAttributes } from "react";

/** The compact select of list filter bars (runs, deliveries, metrics). Needs an aria-label. */
export function FilterSelect({ className = "", ...props }: SelectHTMLAttributes<HTMLSelectElement>) {
  return <select className={`rounded-md border-0 py-1.5 text-sm ring-1 ring-inset ring-slate-300 ${className}`} {...props} />;
}
