// The bounds every template and every rendering stays within, on the server and in the SDK's verifier,
// so a hostile template or variable cannot make either spend unbounded CPU or memory.

export const TEMPLATE_LIMITS = {
  /** UTF-8 bytes of a template's Markdown body. */
  bodyBytes: 64 * 1024,
  /** Mustache tags (placeholders, sections, comments) in one body. */
  tags: 5_000,
  /** Sections nested inside each other. */
  sectionDepth: 16,
  /** UTF-8 bytes of the variables' JSON Schema (as JSON). */
  schemaBytes: 32 * 1024,
  /** Nesting of the schema's objects and arrays. */
  schemaDepth: 8,
  /** Properties declared anywhere in the schema. */
  variables: 200,
  /** Role placeholders. */
  roles: 20,
  /** UTF-8 bytes a rendering may produce. */
  outputBytes: 512 * 1024,
  /** Tokens a rendering may visit (each section iteration visits its tokens again). */
  renderSteps: 200_000,
} as const;
