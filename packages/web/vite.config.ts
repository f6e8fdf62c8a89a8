import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Relative base so the built page works wherever the CMS server mounts it.
export default defineConfig({
  base: './',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
});
