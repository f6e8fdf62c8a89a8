// Property: for generated variable schemas, every value the schema allows passes validation and renders
// (each value showing as its escaped text), and every value broken in one known way is refused with a
// 422 naming the broken variable's pointer.
import { escapeMarkdownText } from '@cms/sdk/templates';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.js';
import { buildTemplateContent } from './template-content.js';
import { checkedVariables, renderBody } from './template-render.js';

interface Kind {
  schema: Record<string, unknown>;
  valid: fc.Arbitrary<unknown>;
  /** Values the schema must refuse. */
  invalid: unknown[];
  /** Rendered as `{{name}}` (scalars) rather than a section. */
  scalar: boolean;
}

const string: fc.Arbitrary<Kind> = fc
  .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 8 }))
  .map(([min, extra]) => ({
    schema: { type: 'string', minLength: min, maxLength: min + extra, description: 'text' },
    valid: fc.string({ minLength: min, maxLength: min + extra }),
    invalid: [7, 'x'.repeat(min + extra + 1), ...(min > 0 ? [''] : [])],
    scalar: true,
  }));
const patterned: fc.Arbitrary<Kind> = fc.constant({
  schema: { type: 'string', pattern: '^[a-z]{2,5}$' },
  valid: fc.stringMatching(/^[a-z]{2,5}$/),
  invalid: ['A1', 'toolongvalue'],
  scalar: true,
});
const enumerated: fc.Arbitrary<Kind> = fc
  .uniqueArray(fc.stringMatching(/^[A-Z]{1,4}$/), { minLength: 1, maxLength: 4 })
  .map((values) => ({
    schema: { type: 'string', enum: values },
    valid: fc.constantFrom(...values),
    invalid: ['lower-case', 1],
    scalar: true,
  }));
const formatted: fc.Arbitrary<Kind> = fc.constantFrom<Kind>(
  {
    schema: { type: 'string', format: 'email' },
    valid: fc.constantFrom('a@example.com', 'ops.team@example.org'),
    invalid: ['not an email'],
    scalar: true,
  },
  {
    schema: { type: 'string', format: 'date' },
    valid: fc
      .date({ min: new Date('1990-01-01'), max: new Date('2090-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
    invalid: ['tomorrow', '01/02/2030'],
    scalar: true,
  },
);
const integer: fc.Arbitrary<Kind> = fc
  .tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 1000 }))
  .map(([min, span]) => ({
    schema: { type: 'integer', minimum: min, maximum: min + span },
    valid: fc.integer({ min, max: min + span }),
    invalid: [min + span + 1, min - 1, min + 0.5, String(min)],
    scalar: true,
  }));
const number: fc.Arbitrary<Kind> = fc.integer({ min: 1, max: 10_000 }).map((max) => ({
  schema: { type: 'number', minimum: 0, exclusiveMaximum: max },
  valid: fc
    .double({ min: 0, max, maxExcluded: true, noNaN: true, noDefaultInfinity: true })
    .map((d) => (Object.is(d, -0) ? 0 : d)),
  invalid: [max, -1, 'one'],
  scalar: true,
}));
const boolean: fc.Arbitrary<Kind> = fc.constant({
  schema: { type: 'boolean' },
  valid: fc.boolean(),
  invalid: ['yes', 1],
  scalar: true,
});
const list: fc.Arbitrary<Kind> = fc.integer({ min: 1, max: 5 }).map((max) => ({
  schema: { type: 'array', maxItems: max, items: { type: 'string', maxLength: 6 } },
  valid: fc.array(fc.string({ maxLength: 6 }), { maxLength: max }),
  invalid: [Array.from({ length: max + 1 }, () => 'a'), ['x'.repeat(7)], { not: 'a list' }],
  scalar: false,
}));
const scalarKind = fc.oneof(string, patterned, enumerated, formatted, integer, number, boolean);
const nested: fc.Arbitrary<Kind> = fc.tuple(scalarKind, fc.boolean()).map(([inner, required]) => ({
  schema: { type: 'object', properties: { inner: inner.schema }, ...(required && { required: ['inner'] }) },
  valid: fc.record({ inner: inner.valid }, { requiredKeys: required ? ['inner'] : [] }),
  invalid: ['not an object', { inner: inner.invalid[0] }, { inner: inner.invalid[0], other: 1 }],
  scalar: false,
}));

const name = fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,8}$/).filter((n) => n !== 'roles');
const schemaArb = fc
  .uniqueArray(fc.tuple(name, fc.oneof(scalarKind, list, nested), fc.boolean()), {
    minLength: 1,
    maxLength: 8,
    selector: ([n]) => n,
  })
  .map((props) => ({
    props,
    schema: {
      type: 'object',
      properties: Object.fromEntries(props.map(([n, k]) => [n, k.schema])),
      required: props.filter(([, , r]) => r).map(([n]) => n),
    },
  }));

/** A body using every variable: scalars on their own line, lists and objects as sections. */
const bodyOf = (props: [string, Kind, boolean][]) =>
  props
    .map(([n, k]) =>
      k.scalar ? `{{${n}}}` : k.schema.type === 'array' ? `{{#${n}}}<{{.}}>{{/${n}}}` : `{{#${n}}}{{inner}}{{/${n}}}`,
    )
    .join('\n') || 'empty';

const valuesOf = (props: [string, Kind, boolean][]) =>
  fc.record(Object.fromEntries(props.map(([n, k]) => [n, k.valid])), {
    requiredKeys: props.filter(([, , r]) => r).map(([n]) => n),
  }) as fc.Arbitrary<Record<string, unknown>>;

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('the variables were accepted');
}

describe('template variables (property)', () => {
  it('renders every value the schema allows, each as its escaped text', async () => {
    await fc.assert(
      fc.asyncProperty(
        schemaArb.chain((s) => fc.tuple(fc.constant(s), valuesOf(s.props))),
        async ([{ props, schema }, values]) => {
          const { content } = await buildTemplateContent({ body: bodyOf(props), variables: schema });
          const variables = checkedVariables(content, values, '/v');
          const { body } = await renderBody(content, variables, {});
          const lines = body.split('\n');
          props.forEach(([n, k], i) => {
            const v = values[n];
            if (k.scalar) expect(lines[i]).toBe(v === undefined ? '' : escapeMarkdownText(String(v)));
            else if (Array.isArray(v)) expect(lines[i]).toBe(v.map((x) => `<${escapeMarkdownText(x)}>`).join(''));
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses a value broken in one way, naming the broken variable', async () => {
    const broken = schemaArb.chain((s) =>
      fc.tuple(
        fc.constant(s),
        valuesOf(s.props),
        fc.nat({ max: s.props.length - 1 }),
        fc.nat(),
        fc.constantFrom('invalid' as const, 'missing' as const, 'unknown' as const),
      ),
    );
    await fc.assert(
      fc.asyncProperty(broken, async ([{ props, schema }, values, index, pick, how]) => {
        const { content } = await buildTemplateContent({ body: bodyOf(props), variables: schema });
        const [n, k, required] = props[index]!;
        const input = { ...values };
        let path = `/v/${n}`;
        if (how === 'missing' && required) delete input[n];
        else if (how === 'unknown') {
          path = '/v/zzUnknown';
          input.zzUnknown = 1;
        } else input[n] = k.invalid[pick % k.invalid.length];
        const error = refusal(() => checkedVariables(content, input, '/v'));
        expect(error.code).toBe('invalid_template_variables');
        expect(
          error.extra.errors!.some((e) => e.path === path || e.path.startsWith(`${path}/`)),
          JSON.stringify(error.extra.errors),
        ).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
