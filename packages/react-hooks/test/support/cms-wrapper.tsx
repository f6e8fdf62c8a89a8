// A `renderHook`/`render` wrapper that provides `client` with a fresh QueryClient the test can inspect.
import type { CmsClient } from '@cms/sdk';
import { QueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { CmsProvider } from '../../src/index.js';

export function cmsWrapper(client: CmsClient) {
  const queryClient = new QueryClient();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <CmsProvider client={client} queryClient={queryClient}>
      {children}
    </CmsProvider>
  );
  return { queryClient, wrapper };
}
