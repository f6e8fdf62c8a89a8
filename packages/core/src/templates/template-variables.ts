// Variables typed from a template's JSON Schema, for schemas written `as const` (the subset of
// keywords templates support: type, properties, required, items, enum, const).

type RequiredKeys<S> = S extends { required: readonly (infer R)[] } ? R : never;

type ObjectOf<P, R> = { [K in keyof P as K extends R ? K : never]: TemplateVariables<P[K]> } & {
  [K in keyof P as K extends R ? never : K]?: TemplateVariables<P[K]>;
};

/**
 * The TypeScript type of values a JSON Schema accepts.
 * @example
 * const schema = { type: 'object', properties: { fee: { type: 'number' } }, required: ['fee'] } as const;
 * const variables: TemplateVariables<typeof schema> = { fee: 1200 };
 */
export type TemplateVariables<S> = S extends { enum: readonly (infer E)[] }
  ? E
  : S extends { const: infer C }
    ? C
    : S extends { type: 'string' }
      ? string
      : S extends { type: 'integer' | 'number' }
        ? number
        : S extends { type: 'boolean' }
          ? boolean
          : S extends { type: 'null' }
            ? null
            : S extends { type: 'array'; items: infer I }
              ? TemplateVariables<I>[]
              : S extends { type: 'object'; properties: infer P }
                ? { [K in keyof ObjectOf<P, RequiredKeys<S>>]: ObjectOf<P, RequiredKeys<S>>[K] }
                : S extends { type: 'object' }
                  ? Record<string, unknown>
                  : unknown;
