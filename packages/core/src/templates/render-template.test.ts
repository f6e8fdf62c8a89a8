import { describe, expect, it } from 'vitest';
import { escapeMarkdownText, parseTemplateBody, renderTemplate, type TemplateRenderError } from './render-template.js';
import { TEMPLATE_LIMITS } from './template-limits.js';

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (e) {
    return e as TemplateRenderError;
  }
  throw new Error('accepted');
};

describe('renderTemplate', () => {
  it('renders variables, dotted names, sections, inverted sections and comments like mustache', () => {
    const body =
      '# {{title}}\n{{#items}}\n- {{name}} ({{owner.name}})\n{{/items}}\n{{^none}}empty{{/none}}{{! ignored }}\n{{#flag}}on{{/flag}}{{#obj}}{{k}}{{/obj}}';
    expect(
      renderTemplate(body, {
        title: 'T',
        owner: { name: 'O' },
        items: [{ name: 'a' }, { name: 'b', owner: { name: 'P' } }],
        none: [],
        flag: true,
        obj: { k: 'v' },
      }),
    ).toBe('# T\n- a (O)\n- b (P)\nempty\nonv');
  });

  it('escapes values as literal Markdown text that HTML cannot take markup from', () => {
    expect(escapeMarkdownText('<script>alert(1)</script> & *bold* [x](y) `c` | #h\nnext')).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt; &amp; \\*bold\\* \\[x\\](y) \\`c\\` \\| \\#h next',
    );
    expect(escapeMarkdownText('- item')).toBe('\\- item');
    expect(escapeMarkdownText('1. item')).toBe('1\\. item');
    expect(renderTemplate('{{v}}', { v: '<b>' })).toBe('&lt;b&gt;');
  });

  it('reads own properties only', () => {
    expect(renderTemplate('[{{constructor}}{{toString}}{{__proto__}}{{s.length}}]', { s: 'abc' })).toBe('[]');
    expect(renderTemplate('{{#a}}{{length}}{{/a}}', { a: [[1, 2]] })).toBe('2');
  });

  it('refuses unescaped output, partials and delimiter changes', () => {
    for (const body of ['{{{a}}}', '{{&a}}', '{{>p}}', '{{=<% %>=}}'])
      expect(refusal(() => parseTemplateBody(body)).kind).toBe('syntax');
    expect(refusal(() => parseTemplateBody('{{#a}}')).kind).toBe('syntax');
  });

  it('stops at the limits', () => {
    const deep = `${'{{#a}}'.repeat(TEMPLATE_LIMITS.sectionDepth + 1)}${'{{/a}}'.repeat(TEMPLATE_LIMITS.sectionDepth + 1)}`;
    expect(refusal(() => parseTemplateBody(deep)).kind).toBe('limit');
    const a = Array.from({ length: 1000 }, () => 1);
    expect(refusal(() => renderTemplate('{{#a}}{{#a}}{{/a}}{{/a}}', { a })).message).toContain('steps');
    expect(
      refusal(() =>
        renderTemplate('{{#a}}{{v}}{{/a}}', { a: Array.from({ length: 100 }, () => ({ v: 'x'.repeat(6000) })) }),
      ).message,
    ).toContain('bytes');
  });
});
