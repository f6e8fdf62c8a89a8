// The public surface of @cms/react: adding or removing an export is a deliberate, visible change.
import { expect, it } from 'vitest';

it('exports exactly these names', async () => {
  expect(Object.keys(await import('@cms/react')).sort()).toMatchInlineSnapshot(`
    [
      "CmsProvider",
      "cmsKeys",
      "useAuth",
      "useCmsClient",
      "useContract",
      "useContractAction",
      "useContracts",
      "useCreateContract",
      "useSignContract",
    ]
  `);
});
