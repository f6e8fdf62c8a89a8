// `cms.admin`: operations across organizations, for the deployment's operators (the DIDs the server names
// in CMS_OPERATOR_DIDS); anyone else gets `CmsPermissionError` (403 `forbidden`).
import type { components, paths } from '../generated/schema.js';
import type { RequestOptions } from '../transport/request-options.js';
import type { Api } from './api.js';
import { type PagePromise, pagePromise } from './page-promise.js';

export type AdminOrganization = components['schemas']['AdminOrganization'];
export type AdminOrganizationList = components['schemas']['AdminOrganizationList'];
export type ListAllOrganizationsParams = NonNullable<paths['/v1/admin/organizations']['get']['parameters']['query']>;

export interface AdminResources {
  /**
   * Every organization of the deployment, oldest first, with member and contract counts; `for await` walks
   * every page.
   * @example for await (const org of cms.admin.organizations()) console.log(org.name, org.contractCount);
   */
  organizations(
    params?: ListAllOrganizationsParams,
    options?: RequestOptions,
  ): PagePromise<AdminOrganizationList, AdminOrganization>;
}

export function createAdminResources({ raw, unwrap, call }: Api): AdminResources {
  return {
    organizations: (query, options) =>
      pagePromise(
        (cursor) =>
          unwrap(raw.GET('/v1/admin/organizations', { params: { query: { ...query, cursor } }, ...call(options) })),
        query?.cursor,
      ),
  };
}
