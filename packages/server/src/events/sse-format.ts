// Server-Sent Events framing (WHATWG HTML §9.2): fields are `name: value` lines, an event ends with a
// blank line, and lines starting with `:` are comments (heartbeats).

export interface SseMessage {
  event?: string;
  id?: string;
  /** Serialized as one `data:` line per line of text. */
  data?: string;
  retry?: number;
}

export function formatSse(m: SseMessage): string {
  let out = '';
  if (m.retry !== undefined) out += `retry: ${m.retry}\n`;
  if (m.event !== undefined) out += `event: ${oneLine(m.event)}\n`;
  if (m.id !== undefined) out += `id: ${oneLine(m.id)}\n`;
  if (m.data !== undefined) for (const line of m.data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return `${out}\n`;
}

export const sseComment = (text: string) => `: ${oneLine(text)}\n\n`;

function oneLine(value: string): string {
  if (/[\r\n\0]/.test(value)) throw new Error('SSE field values must be single lines');
  return value;
}
