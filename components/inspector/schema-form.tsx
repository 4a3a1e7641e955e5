"use client";

// The node config form, generated from the kind's zod schema (via its JSON Schema view) with
// react-hook-form + the zod resolver. Every change goes straight to the editor store; errors show
// next to the field that caused them.
import { zodResolver } from "@hookform/resolvers/zod";
import { Plus, Trash2 } from "lucide-react";
import { useEffect, useId, useRef, useState } from "react";
import { get, useController, useFieldArray, useForm, useFormState, useWatch, type Control, type FieldValues, type Resolver } from "react-hook-form";
import { fieldLabel, initialValue, type JsonSchema } from "@/lib/flows/node-config-schema";
import { fieldSyntaxOf } from "@/lib/nodes/definitions";
import type { FieldSyntax, NodeDefinition } from "@/lib/nodes/node-definition";
import { useEditor } from "@/components/canvas/editor-context";
import { CodeEditor } from "./code-editor";
import { CredentialPicker } from "./credential-picker";
import { FlowPicker } from "./flow-picker";
import { CONTROL, ExpressionInput, FieldMessage } from "./expression-input";

/** Fields that only matter for one value of a sibling choice (shown only then; values are kept). */
const SHOWN_WHEN: Record<string, Record<string, { field: string; values: string[] }>> = {
  transform: { fields: { field: "mode", values: ["fields"] }, expression: { field: "mode", values: ["expression"] } },
  http_request: {
    jsonBody: { field: "bodyType", values: ["json"] },
    formBody: { field: "bodyType", values: ["form"] },
    rawBody: { field: "bodyType", values: ["raw"] },
    rawContentType: { field: "bodyType", values: ["raw"] },
  },
  delay: { duration: { field: "mode", values: ["duration"] }, until: { field: "mode", values: ["until"] } },
};

const MULTILINE_FIELDS = new Set(["text", "html", "message", "expression", "rawBody", "note", "examplePayload"]);
const CODE_FIELDS = new Set(["expression"]);

interface FieldContext {
  nodeId: string;
  control: Control<FieldValues>;
  definition: NodeDefinition;
  readOnly: boolean;
  requiredTopLevel: Set<string>;
}

export function SchemaForm({
  nodeId,
  definition,
  schema,
  config,
  readOnly,
}: {
  nodeId: string;
  definition: NodeDefinition;
  schema: JsonSchema;
  config: Record<string, unknown>;
  readOnly: boolean;
}) {
  const updateNodeConfig = useEditor((state) => state.updateNodeConfig);
  const form = useForm<FieldValues>({
    defaultValues: withDefaults(schema, config),
    // The registry erases schema types; the resolver only needs a zod schema.
    resolver: zodResolver(definition.configSchema as never) as unknown as Resolver<FieldValues>,
    mode: "all",
  });
  const lastEmitted = useRef<Record<string, unknown>>(config);
  // Resetting the form to a config from the store must not write it back (it would clear redo).
  const suppress = useRef(false);

  // Undo/redo or a reload changed the config under the form: show the new values.
  useEffect(() => {
    if (config !== lastEmitted.current) {
      lastEmitted.current = config;
      suppress.current = true;
      form.reset(withDefaults(schema, config));
      suppress.current = false;
      void form.trigger();
    }
  }, [config, form, schema]);

  useEffect(() => {
    void form.trigger();
    return form.subscribe({
      formState: { values: true },
      callback: ({ values }) => {
        if (suppress.current) return;
        const next = toConfig(values);
        if (JSON.stringify(next) === JSON.stringify(lastEmitted.current)) return;
        lastEmitted.current = next;
        updateNodeConfig(nodeId, next);
      },
    });
  }, [form, nodeId, updateNodeConfig]);

  const context: FieldContext = { nodeId, control: form.control, definition, readOnly, requiredTopLevel: new Set(schema.required ?? []) };
  return (
    // A group, not a <form>: the inline "new credential" form lives inside it.
    <div role="group" className="space-y-3" aria-label="Step settings">
      {Object.entries(schema.properties ?? {}).map(([key, child]) => {
        const condition = SHOWN_WHEN[definition.kind]?.[key];
        return condition ? (
          <ConditionalField key={key} control={form.control} condition={condition}>
            <SchemaField context={context} path={key} name={key} schema={child} />
          </ConditionalField>
        ) : (
          <SchemaField key={key} context={context} path={key} name={key} schema={child} />
        );
      })}
    </div>
  );
}

function ConditionalField({ control, condition, children }: { control: Control<FieldValues>; condition: { field: string; values: string[] }; children: React.ReactNode }) {
  const value = useWatch({ control, name: condition.field }) as unknown;
  return condition.values.includes(String(value)) ? <>{children}</> : null;
}

/** Top-level defaults filled in, so selects show what the schema would use. */
function withDefaults(schema: JsonSchema, config: Record<string, unknown>): Record<string, unknown> {
  const filled: Record<string, unknown> = { ...config };
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    if (filled[key] === undefined && child.default !== undefined) filled[key] = structuredClone(child.default);
  }
  return filled;
}

/** Drops undefined values so the stored config is plain JSON. */
function toConfig(values: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(values ?? {})) as Record<string, unknown>;
}

function typeOf(schema: JsonSchema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== "null");
  return schema.type;
}

function useFieldError(control: Control<FieldValues>, path: string): string | undefined {
  const { errors } = useFormState({ control, name: path });
  const error = get(errors, path) as { message?: string; root?: { message?: string } } | undefined;
  return error?.message ?? error?.root?.message;
}

function SchemaField({ context, path, name, schema }: { context: FieldContext; path: string; name: string; schema: JsonSchema }) {
  const label = fieldLabel(name, schema);
  const hint = schema.description && schema.description !== label ? schema.description : undefined;
  const credentialTypes = !path.includes(".") ? context.definition.credentialFields?.[name] : undefined;
  if (credentialTypes) return <CredentialField context={context} path={path} label={label} types={credentialTypes} />;
  if (!path.includes(".") && context.definition.flowFields?.includes(name)) return <FlowField context={context} path={path} label={label} />;
  const type = typeOf(schema);
  if (schema.enum) return <EnumField context={context} path={path} label={label} hint={hint} options={schema.enum.map(String)} />;
  if (type === "string") {
    const syntax = fieldSyntaxOf(context.definition.kind, path);
    if (syntax === "javascript") return <CodeField context={context} path={path} label={label} hint={hint} />;
    return <StringField context={context} path={path} name={name} label={label} hint={hint} syntax={syntax} />;
  }
  if (type === "number" || type === "integer") return <NumberField context={context} path={path} label={label} hint={hint} schema={schema} />;
  if (type === "boolean") return <BooleanField context={context} path={path} label={label} hint={hint} />;
  if (type === "object" && schema.properties) return <ObjectField context={context} path={path} label={label} hint={hint} schema={schema} />;
  if (type === "array" && typeOf(schema.items ?? {}) === "object") return <ArrayField context={context} path={path} name={name} label={label} hint={hint} schema={schema} />;
  if (type === "array") return <ListField context={context} path={path} label={label} hint={hint} numeric={["number", "integer"].includes(typeOf(schema.items ?? {}) ?? "")} />;
  return <JsonField context={context} path={path} label={label} hint={hint} />;
}

function StringField({ context, path, name, label, hint, syntax }: { context: FieldContext; path: string; name: string; label: string; hint?: string; syntax: Exclude<FieldSyntax, "javascript"> }) {
  const { field } = useController({ control: context.control, name: path });
  const error = useFieldError(context.control, path);
  return (
    <ExpressionInput
      nodeId={context.nodeId}
      label={label}
      hint={hint}
      error={error}
      value={typeof field.value === "string" ? field.value : field.value === undefined || field.value === null ? "" : String(field.value)}
      onChange={field.onChange}
      onBlur={field.onBlur}
      multiline={MULTILINE_FIELDS.has(name)}
      monospace={CODE_FIELDS.has(name)}
      disabled={context.readOnly}
      syntax={syntax}
    />
  );
}

/** JavaScript source (the code node): an editor with highlighting and line numbers instead of a text box. */
function CodeField({ context, path, label, hint }: { context: FieldContext; path: string; label: string; hint?: string }) {
  const id = useId();
  const { field } = useController({ control: context.control, name: path });
  const error = useFieldError(context.control, path);
  return (
    <div>
      <label id={`${id}-label`} htmlFor={id} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      <div className="mt-1">
        <CodeEditor
          id={id}
          labelledBy={`${id}-label`}
          describedBy={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
          invalid={Boolean(error)}
          value={typeof field.value === "string" ? field.value : ""}
          onChange={field.onChange}
          onBlur={field.onBlur}
          readOnly={context.readOnly}
        />
      </div>
      <FieldMessage id={id} hint={hint} error={error} />
    </div>
  );
}

function EnumField({ context, path, label, hint, options }: { context: FieldContext; path: string; label: string; hint?: string; options: string[] }) {
  const id = useId();
  const { field } = useController({ control: context.control, name: path });
  const error = useFieldError(context.control, path);
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      <select id={id} value={String(field.value ?? options[0])} onChange={(e) => field.onChange(e.target.value)} onBlur={field.onBlur} disabled={context.readOnly} className={`mt-1 ${CONTROL}`}>
        {options.map((option) => (
          <option key={option} value={option}>
            {option.replace(/_/g, " ")}
          </option>
        ))}
      </select>
      <FieldMessage id={id} hint={hint} error={error} />
    </div>
  );
}

function NumberField({ context, path, label, hint, schema }: { context: FieldContext; path: string; label: string; hint?: string; schema: JsonSchema }) {
  const id = useId();
  const { field } = useController({ control: context.control, name: path });
  const error = useFieldError(context.control, path);
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        min={schema.minimum}
        max={schema.maximum}
        value={typeof field.value === "number" && Number.isFinite(field.value) ? field.value : ""}
        onChange={(e) => field.onChange(e.target.value === "" || !Number.isFinite(e.target.valueAsNumber) ? undefined : e.target.valueAsNumber)}
        onBlur={field.onBlur}
        disabled={context.readOnly}
        aria-invalid={error ? true : undefined}
        className={`mt-1 ${CONTROL}`}
      />
      <FieldMessage id={id} hint={hint} error={error} />
    </div>
  );
}

function BooleanField({ context, path, label, hint }: { context: FieldContext; path: string; label: string; hint?: string }) {
  const id = useId();
  const { field } = useController({ control: context.control, name: path });
  return (
    <div>
      <div className="flex items-center gap-2">
        <input id={id} type="checkbox" checked={Boolean(field.value)} onChange={(e) => field.onChange(e.target.checked)} disabled={context.readOnly} className="size-4 rounded border-slate-300 text-brand-600" />
        <label htmlFor={id} className="text-xs font-medium text-slate-700">
          {label}
        </label>
      </div>
      {hint && hint !== label ? <p className="mt-0.5 pl-6 text-[11px] text-slate-500">{hint}</p> : null}
    </div>
  );
}

function ObjectField({ context, path, label, hint, schema }: { context: FieldContext; path: string; label: string; hint?: string; schema: JsonSchema }) {
  const optional = schema.default === undefined;
  const body = (
    <div className="space-y-3">
      {Object.entries(schema.properties ?? {}).map(([key, child]) => (
        <SchemaField key={key} context={context} path={`${path}.${key}`} name={key} schema={child} />
      ))}
    </div>
  );
  // Optional groups (retry overrides) start folded: most flows keep the defaults.
  if (optional) {
    return (
      <details className="rounded-md border border-slate-200 px-3 py-2">
        <summary className="cursor-pointer text-xs font-medium text-slate-700">{label}</summary>
        {hint ? <p className="mt-1 text-[11px] text-slate-500">{hint}</p> : null}
        <div className="mt-2">{body}</div>
      </details>
    );
  }
  return (
    <fieldset className="rounded-md border border-slate-200 px-3 pt-1 pb-3">
      <legend className="px-1 text-xs font-medium text-slate-700">{label}</legend>
      {body}
    </fieldset>
  );
}

function ArrayField({ context, path, name, label, hint, schema }: { context: FieldContext; path: string; name: string; label: string; hint?: string; schema: JsonSchema }) {
  const { fields, append, remove } = useFieldArray({ control: context.control, name: path });
  const error = useFieldError(context.control, path);
  const itemSchema = schema.items ?? {};
  // "formBody" → "form body", "cases" → "case": the noun of one item.
  const itemLabel = name.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase().replace(/(?<!s)s$/, "");
  const compact = Object.keys(itemSchema.properties ?? {}).join(",") === "name,value";
  return (
    <fieldset className="rounded-md border border-slate-200 px-3 pt-1 pb-2">
      <legend className="px-1 text-xs font-medium text-slate-700">{label}</legend>
      {fields.length === 0 ? <p className="py-1 text-[11px] text-slate-500">{hint ?? "None yet."}</p> : null}
      <ol className="space-y-2">
        {fields.map((item, index) => (
          <li key={item.id} className={`relative rounded-md bg-slate-50 p-2 ${compact ? "grid grid-cols-2 gap-2 pr-8" : "space-y-2 pr-8"}`}>
            {Object.entries(itemSchema.properties ?? {}).map(([key, child]) => (
              <SchemaField key={key} context={context} path={`${path}.${index}.${key}`} name={key} schema={child} />
            ))}
            {!context.readOnly ? (
              <button type="button" onClick={() => remove(index)} aria-label={`Remove ${itemLabel.toLowerCase()} ${index + 1}`} className="absolute top-2 right-1.5 rounded p-1 text-slate-400 hover:bg-slate-200 hover:text-red-600">
                <Trash2 className="size-3.5" aria-hidden />
              </button>
            ) : null}
          </li>
        ))}
      </ol>
      {!context.readOnly ? (
        <button type="button" onClick={() => append(initialValue(itemSchema) as FieldValues)} className="mt-2 inline-flex items-center gap-1 rounded px-1.5 py-1 text-xs font-medium text-brand-600 hover:bg-brand-50">
          <Plus className="size-3.5" aria-hidden /> Add {itemLabel.toLowerCase()}
        </button>
      ) : null}
      {error ? (
        <p role="alert" className="mt-1 text-xs text-red-600">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** Arrays of plain values (e.g. retry statuses) as comma-separated text. */
function ListField({ context, path, label, hint, numeric }: { context: FieldContext; path: string; label: string; hint?: string; numeric: boolean }) {
  const id = useId();
  const { field } = useController({ control: context.control, name: path });
  const error = useFieldError(context.control, path);
  const [text, setText] = useState(Array.isArray(field.value) ? field.value.join(", ") : "");
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      <input
        id={id}
        value={text}
        disabled={context.readOnly}
        onChange={(e) => {
          setText(e.target.value);
          const items = e.target.value.split(",").map((s) => s.trim()).filter(Boolean);
          field.onChange(items.length === 0 ? undefined : numeric ? items.map(Number) : items);
        }}
        onBlur={field.onBlur}
        placeholder="Comma-separated"
        className={`mt-1 ${CONTROL}`}
      />
      <FieldMessage id={id} hint={hint} error={error} />
    </div>
  );
}

/** Free JSON (bodies): parsed when it is JSON, kept as text otherwise (text may hold expressions). */
function JsonField({ context, path, label, hint }: { context: FieldContext; path: string; label: string; hint?: string }) {
  const { field } = useController({ control: context.control, name: path });
  const error = useFieldError(context.control, path);
  const [text, setText] = useState(() => (field.value === undefined ? "" : typeof field.value === "string" ? field.value : JSON.stringify(field.value, null, 2)));
  const [parseNote, setParseNote] = useState<string | undefined>();
  return (
    <ExpressionInput
      nodeId={context.nodeId}
      label={label}
      hint={parseNote ?? hint}
      error={error}
      value={text}
      multiline
      monospace
      disabled={context.readOnly}
      onBlur={field.onBlur}
      onChange={(next) => {
        setText(next);
        if (next.trim() === "") {
          field.onChange(undefined);
          setParseNote(undefined);
          return;
        }
        try {
          field.onChange(JSON.parse(next));
          setParseNote(undefined);
        } catch {
          field.onChange(next);
          setParseNote("Not JSON yet: kept as text.");
        }
      }}
    />
  );
}

function FlowField({ context, path, label }: { context: FieldContext; path: string; label: string }) {
  const { field } = useController({ control: context.control, name: path });
  const error = useFieldError(context.control, path);
  return <FlowPicker label={label} value={typeof field.value === "string" ? field.value : ""} onChange={field.onChange} error={error} disabled={context.readOnly} />;
}

function CredentialField({ context, path, label, types }: { context: FieldContext; path: string; label: string; types: NonNullable<NodeDefinition["credentialFields"]>[string] }) {
  const { field } = useController({ control: context.control, name: path });
  const error = useFieldError(context.control, path);
  return (
    <CredentialPicker
      label={label}
      types={types}
      value={typeof field.value === "string" ? field.value : ""}
      // A required credential stays "" so the schema's own message ("Choose …") is shown.
      onChange={(id) => field.onChange(id || (context.requiredTopLevel.has(path) ? "" : undefined))}
      error={error}
      disabled={context.readOnly}
    />
  );
}
