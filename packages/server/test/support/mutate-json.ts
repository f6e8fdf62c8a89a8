// Single mutations of a JSON document for property tests: every path in it, and one small change at a
// path (a bit of one character flipped, a number incremented, a boolean toggled, an array element or an
// object key removed).

export type JsonPath = (string | number)[];

/** Every path in `value`, the root excepted, containers included. */
export function jsonPaths(value: unknown, prefix: JsonPath = []): JsonPath[] {
  if (typeof value !== 'object' || value === null) return [];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...jsonPaths(child, [...prefix, key])]);
}

export const formatPath = (path: JsonPath) =>
  path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
    .join('')
    .slice(1);

/**
 * A copy of `doc` with the value at `path` changed; `pick` chooses where (which character, element or
 * key) and `bit` which bit of a character to flip. Returns what was done, for the failure message.
 */
export function mutateAt(doc: unknown, path: JsonPath, pick: number, bit: number): { doc: unknown; change: string } {
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  const parent = path
    .slice(0, -1)
    .reduce<Record<string | number, unknown>>((node, key) => node[key] as Record<string | number, unknown>, copy);
  const key = path.at(-1)!;
  const value = parent[key];
  const at = formatPath(path);
  if (typeof value === 'string') {
    if (value.length === 0) return ((parent[key] = 'x'), { doc: copy, change: `${at}: "" → "x"` });
    const i = pick % value.length;
    const flipped = String.fromCharCode(value.charCodeAt(i) ^ (1 << bit));
    parent[key] = value.slice(0, i) + flipped + value.slice(i + 1);
    return { doc: copy, change: `${at}: character ${i} ${JSON.stringify(value[i])} → ${JSON.stringify(flipped)}` };
  }
  if (typeof value === 'number')
    return ((parent[key] = value + 1), { doc: copy, change: `${at}: ${value} → ${value + 1}` });
  if (typeof value === 'boolean') return ((parent[key] = !value), { doc: copy, change: `${at}: ${value} → ${!value}` });
  if (Array.isArray(value) && value.length > 0) {
    const i = pick % value.length;
    value.splice(i, 1);
    return { doc: copy, change: `${at}: element ${i} removed` };
  }
  if (value !== null && typeof value === 'object' && Object.keys(value).length > 0) {
    const k = Object.keys(value)[pick % Object.keys(value).length]!;
    delete (value as Record<string, unknown>)[k];
    return { doc: copy, change: `${at}.${k}: removed` };
  }
  // null, [] or {}: drop the key (or element) that holds it.
  if (Array.isArray(parent)) parent.splice(key as number, 1);
  else delete parent[key];
  return { doc: copy, change: `${at}: removed` };
}
