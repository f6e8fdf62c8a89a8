// Every page and its URL. Pages other than the shell load lazily, so the first paint carries only what it shows.
import { type ComponentType, lazy, Suspense } from 'react';
import { createBrowserRouter, type RouteObject } from 'react-router';
import { Layout } from './Layout';

function page(load: () => Promise<{ default: ComponentType }>) {
  const Page = lazy(load);
  return (
    <Suspense fallback={<p role="status">Loading…</p>}>
      <Page />
    </Suspense>
  );
}

export const routes: RouteObject[] = [
  { path: '/login', element: page(() => import('../pages/LoginPage')) },
  // Public: anyone can verify a contract's evidence against the chain without an account.
  { path: '/verify', element: page(() => import('../pages/VerifyPage')) },
  {
    element: <Layout />,
    children: [
      { path: '/', element: page(() => import('../pages/DashboardPage')) },
      { path: '/contracts', element: page(() => import('../pages/ContractsPage')) },
      { path: '/contracts/new', element: page(() => import('../pages/NewContractPage')) },
      { path: '/contracts/:contractId', element: page(() => import('../pages/ContractPage')) },
      { path: '/contracts/:contractId/sign', element: page(() => import('../pages/SignPage')) },
      { path: '/templates', element: page(() => import('../pages/TemplatesPage')) },
      { path: '/templates/:templateId', element: page(() => import('../pages/TemplatePage')) },
      { path: '/settings', element: page(() => import('../pages/SettingsPage')) },
      { path: '/organization', element: page(() => import('../pages/OrganizationPage')) },
      { path: '/webhooks', element: page(() => import('../pages/WebhooksPage')) },
      { path: '/audit', element: page(() => import('../pages/AuditPage')) },
      { path: '/invitations/:invitationId', element: page(() => import('../pages/InvitationPage')) },
      { path: '*', element: page(() => import('../pages/NotFoundPage')) },
    ],
  },
];

export const createRouter = () => createBrowserRouter(routes);
