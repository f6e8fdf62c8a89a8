import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'neutral',
  // Peers and the SDK stay imports: the app must share one React, one QueryClient context and one SDK.
  external: ['react', 'react-dom', 'react/jsx-runtime', '@tanstack/react-query', '@cms/sdk'],
});
