import { forwardRef, useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";

const CONTROL =
  "block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-brand-500 aria-invalid:ring-red-500";

interface FieldProps {
  label: string;
  hint?: ReactNode;
  error?: string | null;
}

/** Label above, the control, then the hint or the error (announced and tied to the control). */
function FieldShell({ id, label, hint, error, className, children }: FieldProps & { id: string; className: string; children: ReactNode }) {
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      {children}
      {hint && !error ? <p className="mt-1 text-xs text-slate-500">{hint}</p> : null}
      {error ? (
        <p id={`${id}-error`} role="alert" className="mt-1 text-xs text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}

const errorProps = (id: string, error?: string | null) =>
  error ? { "aria-invalid": true as const, "aria-describedby": `${id}-error` } : {};

export const TextField = forwardRef<HTMLInputElement, FieldProps & InputHTMLAttributes<HTMLInputElement>>(function TextField(
  { label, hint, error, id, className = "", ...props },
  ref,
) {
  const generated = useId();
  const inputId = id ?? generated;
  return (
    <FieldShell id={inputId} label={label} hint={hint} error={error} className={className}>
      <input ref={ref} id={inputId} {...errorProps(inputId, error)} className={`mt-1 ${CONTROL}`} {...props} />
    </FieldShell>
  );
});

export function TextAreaField({ label, hint, error, id, className = "", ...props }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const generated = useId();
  const inputId = id ?? generated;
  return (
    <FieldShell id={inputId} label={label} hint={hint} error={error} className={className}>
      <textarea id={inputId} {...errorProps(inputId, error)} className={`mt-1 ${CONTROL}`} {...props} />
    </FieldShell>
  );
}

export function SelectField({ label, hint, error, id, className = "", children, ...props }: FieldProps & SelectHTMLAttributes<HTMLSelectElement>) {
  const generated = useId();
  const inputId = id ?? generated;
  return (
    <FieldShell id={inputId} label={label} hint={hint} error={error} className={className}>
      <select id={inputId} {...errorProps(inputId, error)} className={`mt-1 ${CONTROL}`} {...props}>
        {children}
      </select>
    </FieldShell>
  );
}
