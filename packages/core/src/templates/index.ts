// Public surface of @cms/sdk/templates: the Mustache renderer the server renders contract bodies with, for
// previews and checks in your own code. Hashing a template version (`computeTemplateVersionHash`) needs no
// renderer and stays in the main entry.
export type { RoleFill } from './render-contract-body.js';
export { renderContractBody, templateRenderView } from './render-contract-body.js';
export {
  escapeMarkdownText,
  parseTemplateBody,
  renderTemplate,
  TemplateRenderError,
  templateNames,
} from './render-template.js';
