// The shell of every signed-in page: navigation, who is signed in, the live-events indicator, theme, sign out.
import { useAuth, useContractEvents } from '@cms/react';
import { useState } from 'react';
import { Navigate, NavLink, Outlet, useLocation } from 'react-router';
import { shortDid } from '../components/Hash';
import { applyTheme, storedTheme, type Theme } from '../components/theme';

const LINKS = [
  { to: '/', label: 'Dashboard', end: true },
  { to: '/contracts', label: 'Contracts', end: true },
  { to: '/contracts/new', label: 'New contract', end: true },
  { to: '/templates', label: 'Templates', end: false },
  { to: '/verify', label: 'Verify', end: true },
  { to: '/organization', label: 'Organization', end: true },
  { to: '/webhooks', label: 'Webhooks', end: true },
  { to: '/audit', label: 'Audit', end: true },
  { to: '/settings', label: 'Settings', end: false },
];

export function Layout() {
  const { isAuthenticated, did, logout } = useAuth();
  const location = useLocation();
  const live = useContractEvents({ enabled: isAuthenticated });
  const [theme, setTheme] = useState<Theme>(storedTheme);
  const [menuOpen, setMenuOpen] = useState(false);
  if (!isAuthenticated)
    return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">CMS</span>
        <button
          type="button"
          className="button ghost menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="primary-nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          Menu
        </button>
        <nav id="primary-nav" aria-label="Main" className={menuOpen ? 'nav open' : 'nav'}>
          {LINKS.map((link) => (
            <NavLink key={link.to} to={link.to} end={link.end} onClick={() => setMenuOpen(false)}>
              {link.label}
            </NavLink>
          ))}
        </nav>
        <div className="topbar-end">
          <span className={`live live-${live.state}`} data-live={live.state} title="Live updates from /v1/events">
            {live.state === 'live' ? 'Live' : live.state === 'connecting' ? 'Connecting…' : 'Offline'}
          </span>
          <label className="sr-only" htmlFor="theme">
            Theme
          </label>
          <select
            id="theme"
            value={theme}
            onChange={(e) => (setTheme(e.target.value as Theme), applyTheme(e.target.value as Theme))}
          >
            <option value="system">System theme</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
          <span className="mono small" data-testid="current-did" title={did}>
            {did ? shortDid(did) : 'signed in'}
          </span>
          <button type="button" className="button ghost" onClick={logout}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" className="page" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
