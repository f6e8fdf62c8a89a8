// A form generated from a template's JSON Schema (an object schema): one field per property with its
// title/description as label and help, the schema's constraints as native validation, and the server's
// 422 messages shown at the field they name (`/body/template/variables/<name>`).
import { type ReactNode, useId } from 'react';

export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}

export interface SchemaFormProps {
  schema: JsonSchema;
  value: Record<string, unknown>;
  onChange(value: Record<string, unknown>): void;
  /** Server messages by variable name. */
  errors?: Record<string, string>;
  /** Set false for a preview inside another form: nothing in it blocks that form's submission. @default true */
  validate?: boolean;
}

const typeOf = (s: JsonSchema) => (Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type) ?? 'string';

/** Initial values: each property's default. */
export function schemaDefaults(schema: JsonSchema): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(schema.properties ?? {}).flatMap(([k, s]) => (s.default === undefined ? [] : [[k, s.default]])),
  );
}

export function SchemaForm({ schema, value, onChange, errors = {}, validate = true }: SchemaFormProps) {
  const id = useId();
  const required = new Set(schema.required ?? []);
  const entries = Object.entries(schema.properties ?? {});
  if (entries.length === 0) return <p className="muted">This template has no variables.</p>;
  const set = (name: string, v: unknown) => {
    const next = { ...value };
    if (v === undefined || v === '') delete next[name];
    else next[name] = v;
    onChange(next);
  };
  return (
    <div className="schema-form">
      {entries.map(([name, prop]) => {
        const fieldId = `${id}-${name}`;
        const helpId = `${fieldId}-help`;
        const errorId = `${fieldId}-error`;
        const type = typeOf(prop);
        const label = prop.title ?? name;
        const describedBy =
          [prop.description ? helpId : '', errors[name] ? errorId : ''].filter(Boolean).join(' ') || undefined;
        const common = {
          id: fieldId,
          name,
          required: validate && required.has(name),
          'aria-describedby': describedBy,
          'aria-invalid': errors[name] ? true : undefined,
        };
        let input: ReactNode;
        if (prop.enum) {
          input = (
            <select
              {...common}
              value={String(value[name] ?? '')}
              onChange={(e) =>
                set(name, e.target.value === '' ? undefined : prop.enum![Number(e.target.selectedIndex) - 1])
              }
            >
              <option value="">Choose…</option>
              {prop.enum.map((option) => (
                <option key={String(option)} value={String(option)}>
                  {String(option)}
                </option>
              ))}
            </select>
          );
        } else if (type === 'boolean') {
          input = (
            <input
              {...common}
              type="checkbox"
              required={false}
              checked={value[name] === true}
              onChange={(e) => set(name, e.target.checked)}
            />
          );
        } else if (type === 'integer' || type === 'number') {
          input = (
            <input
              {...common}
              type="number"
              step={type === 'integer' ? 1 : 'any'}
              min={prop.minimum}
              max={prop.maximum}
              value={value[name] === undefined ? '' : String(value[name])}
              onChange={(e) => set(name, e.target.value === '' ? undefined : Number(e.target.value))}
            />
          );
        } else {
          const htmlType =
            prop.format === 'date'
              ? 'date'
              : prop.format === 'email'
                ? 'email'
                : prop.format === 'date-time'
                  ? 'datetime-local'
                  : 'text';
          input = (
            <input
              {...common}
              type={htmlType}
              minLength={prop.minLength}
              maxLength={prop.maxLength}
              pattern={validate ? prop.pattern : undefined}
              value={String(value[name] ?? '')}
              onChange={(e) => set(name, e.target.value)}
            />
          );
        }
        return (
          <div className="field" key={name}>
            <label htmlFor={fieldId}>
              {label}
              {required.has(name) && <span aria-hidden="true"> *</span>}
            </label>
            {input}
            {prop.description && (
              <small id={helpId} className="muted">
                {prop.description}
              </small>
            )}
            {errors[name] && (
              <small id={errorId} className="field-error">
                {errors[name]}
              </small>
            )}
          </div>
        );
      })}
    </div>
  );
}
