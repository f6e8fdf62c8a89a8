// The public surface of @cms/react: adding or removing an export is a deliberate, visible change.
import { expect, it } from 'vitest';

it('exports exactly these names', async () => {
  expect(Object.keys(await import('@cms/react')).sort()).toMatchInlineSnapshot(`
    [
      "CmsProvider",
      "applyContractEvent",
      "cmsKeys",
      "useAuth",
      "useCmsClient",
      "useCmsMutation",
      "useContract",
      "useContractAction",
      "useContractEvents",
      "useContractEvidence",
      "useContractHistory",
      "useContracts",
      "useCreateContract",
      "useInvitations",
      "useLedgerStatus",
      "useMe",
      "useMembers",
      "useOrganizations",
      "useRevokeSession",
      "useServerStatus",
      "useServiceAccounts",
      "useSessions",
      "useSignContract",
      "useTemplate",
      "useTemplateAction",
      "useTemplateVersion",
      "useTemplateVersions",
      "useTemplates",
    ]
  `);
});
