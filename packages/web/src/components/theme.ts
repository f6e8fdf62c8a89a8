// Light, dark, or the system's choice, kept in localStorage and applied as `data-theme` on <html>.
export type Theme = 'system' | 'light' | 'dark';
const KEY = 'cms.web.theme';

export const storedTheme = (): Theme => (localStorage.getItem(KEY) as Theme | null) ?? 'system';

export function applyTheme(theme: Theme) {
  localStorage.setItem(KEY, theme);
  if (theme === 'system') document.documentElement.removeAttribute('data-theme');
  else document.documentElement.dataset.theme = theme;
}
