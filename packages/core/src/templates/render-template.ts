// Renders a template body: Markdown with logic-less Mustache tags, parsed by `mustache` and evaluated
// here over the parse tree, so that every lookup reads own properties only (no prototype access, no
// functions: values are JSON) and every rendering is bounded in steps and output. The server renders
// contracts and the SDK's verifier re-renders them with this same code, so both agree byte for byte.
import Mustache from 'mustache';
import { TEMPLATE_LIMITS } from './template-limits.js';

/** A token of mustache's parse tree: [type, value, start, end, children?, …]. */
type Token = [string, string, number, number, Token[]?, ...unknown[]];

/** Why a body cannot be rendered: its syntax (`syntax`) or one of `TEMPLATE_LIMITS` (`limit`). */
export class TemplateRenderError extends Error {
  override name = 'TemplateRenderError';
  constructor(
    readonly kind: 'syntax' | 'limit',
    message: string,
  ) {
    super(message);
  }
}

const SUPPORTED = new Set(['text', 'name', '#', '^', '!']);
const UNSUPPORTED: Record<string, string> = {
  '&': 'unescaped output ({{{…}}} or {{&…}}) is not supported: every value is escaped',
  '{': 'unescaped output ({{{…}}} or {{&…}}) is not supported: every value is escaped',
  '>': 'partials ({{>…}}) are not supported',
  '=': 'changing the delimiters ({{=…=}}) is not supported',
};

/** Parses a body and checks it against the limits; throws a `TemplateRenderError` naming the first problem. */
export function parseTemplateBody(body: string): Token[] {
  if (utf8Length(body) > TEMPLATE_LIMITS.bodyBytes)
    throw new TemplateRenderError('limit', `the body is larger than ${TEMPLATE_LIMITS.bodyBytes} bytes`);
  const writer = new Mustache.Writer();
  // The default writer caches every template it ever parsed; one writer per parse keeps nothing.
  (writer as { templateCache?: unknown }).templateCache = undefined;
  let tokens: Token[];
  try {
    tokens = writer.parse(body) as unknown as Token[];
  } catch (e) {
    throw new TemplateRenderError('syntax', (e as Error).message);
  }
  let tags = 0;
  const walk = (list: Token[], depth: number) => {
    if (depth > TEMPLATE_LIMITS.sectionDepth)
      throw new TemplateRenderError('limit', `sections are nested more than ${TEMPLATE_LIMITS.sectionDepth} deep`);
    for (const t of list) {
      if (t[0] !== 'text' && ++tags > TEMPLATE_LIMITS.tags)
        throw new TemplateRenderError('limit', `the body has more than ${TEMPLATE_LIMITS.tags} tags`);
      if (!SUPPORTED.has(t[0]))
        throw new TemplateRenderError(
          'syntax',
          `${UNSUPPORTED[t[0]] ?? `unsupported tag "${t[0]}"`} (at character ${t[2]})`,
        );
      if ((t[0] === '#' || t[0] === '^') && t[4]) walk(t[4], depth + 1);
    }
  };
  walk(tokens, 1);
  return tokens;
}

/** The names a body looks up (`a.b` as written), for checking them against the variables' schema. */
export function templateNames(body: string): { name: string; section: boolean; depth: number }[] {
  const names: { name: string; section: boolean; depth: number }[] = [];
  const walk = (list: Token[], depth: number) => {
    for (const t of list) {
      if (t[0] === 'name' || t[0] === '#' || t[0] === '^') names.push({ name: t[1], section: t[0] !== 'name', depth });
      if ((t[0] === '#' || t[0] === '^') && t[4]) walk(t[4], depth + 1);
    }
  };
  walk(parseTemplateBody(body), 0);
  return names;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** `name` on one value: own properties of objects and arrays only. */
function property(value: unknown, name: string): { found: boolean; value?: unknown } {
  return isObject(value) && Object.hasOwn(value, name) ? { found: true, value: value[name] } : { found: false };
}

/** Mustache name resolution: `.` is the current value; `a.b` finds `a` on the nearest context that has it. */
function lookup(stack: readonly unknown[], name: string): unknown {
  if (name === '.') return stack[stack.length - 1];
  const [head, ...rest] = name.split('.');
  for (let i = stack.length - 1; i >= 0; i--) {
    const first = property(stack[i], head!);
    if (!first.found) continue;
    let value = first.value;
    for (const part of rest) {
      const next = property(value, part);
      if (!next.found) return undefined;
      value = next.value;
    }
    return value;
  }
  return undefined;
}

/**
 * Escapes a value so that Markdown shows it as literal text, and HTML made from that Markdown cannot
 * carry markup from it: `& < >` become entities, Markdown punctuation is backslash-escaped, a leading
 * list or heading marker is escaped, and line breaks become spaces (a value is one run of text).
 */
export function escapeMarkdownText(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/[\\`*_[\]#|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/^([-+=])/, '\\$1')
    .replace(/^(\d+)([.)])/, '$1\\$2');
}

function display(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(display).join(', ');
  if (typeof value === 'object') return '';
  return String(value);
}

const falsy = (v: unknown) => !v || (Array.isArray(v) && v.length === 0);

/**
 * Renders `body` with `view` (JSON values). Throws a `TemplateRenderError` on a syntax error or when the
 * rendering would pass `TEMPLATE_LIMITS.renderSteps` or `.outputBytes`.
 * @example renderTemplate('Hello {{name}}', { name: 'Ada' }) // 'Hello Ada'
 */
export function renderTemplate(body: string, view: Record<string, unknown>): string {
  const tokens = parseTemplateBody(body);
  const out: string[] = [];
  let steps = 0;
  // UTF-16 units bound UTF-8 bytes from below (×3 at most); the exact check is at the end.
  let length = 0;
  const emit = (s: string) => {
    length += s.length;
    if (length > TEMPLATE_LIMITS.outputBytes)
      throw new TemplateRenderError('limit', `the rendering is larger than ${TEMPLATE_LIMITS.outputBytes} bytes`);
    out.push(s);
  };
  const step = () => {
    if (++steps > TEMPLATE_LIMITS.renderSteps)
      throw new TemplateRenderError('limit', `the rendering takes more than ${TEMPLATE_LIMITS.renderSteps} steps`);
  };
  const render = (list: Token[], stack: unknown[]) => {
    for (const t of list) {
      step();
      const [type, name] = t;
      if (type === 'text') emit(name);
      else if (type === 'name') emit(escapeMarkdownText(display(lookup(stack, name))));
      else if (type === '#' || type === '^') {
        const value = lookup(stack, name);
        const children = t[4] ?? [];
        if (type === '^') {
          if (falsy(value)) render(children, stack);
        } else if (Array.isArray(value)) {
          for (const item of value) {
            step();
            render(children, [...stack, item]);
          }
        } else if (!falsy(value)) {
          render(children, value === true ? stack : [...stack, value]);
        }
      }
    }
  };
  render(tokens, [view]);
  const text = out.join('');
  if (utf8Length(text) > TEMPLATE_LIMITS.outputBytes)
    throw new TemplateRenderError('limit', `the rendering is larger than ${TEMPLATE_LIMITS.outputBytes} bytes`);
  return text;
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
