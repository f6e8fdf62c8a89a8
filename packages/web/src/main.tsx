// Browser entry: mounts the page with the browser's fetch.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles.css';

// Wrapped so fetch is always called with the window as `this` (a detached call throws "Illegal invocation").
const browserFetch = (input: string, init?: RequestInit) => window.fetch(input, init);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App fetch={browserFetch} />
  </StrictMode>,
);
