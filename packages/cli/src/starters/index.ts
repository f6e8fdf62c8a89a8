// The starter templates `cms templates import-starters` creates: data, each with its variables' schema.
import type { TemplateCreate } from '@cms/sdk';
import mutualNda from './mutual-nda.json' with { type: 'json' };
import salesOrder from './sales-order.json' with { type: 'json' };
import servicesAgreement from './services-agreement.json' with { type: 'json' };

export const STARTER_TEMPLATES: readonly TemplateCreate[] = [mutualNda as TemplateCreate, servicesAgreement as TemplateCreate, salesOrder as TemplateCreate];
