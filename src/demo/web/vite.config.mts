// Builds the browser pages the gateway serves: the demo app (/demo) and the GraphQL IDE (GET /graphql in a browser).
// Output goes to src/demo/web/dist (git-ignored); assets are served by the gateway under /ui/.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/ui/',
  logLevel: 'warn',
  // Plain oxc JSX (React 19 automatic runtime): @vitejs/plugin-react is not needed for a production build.
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  // Monaco's workers (GraphiQL 5) are ES modules.
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 8000,
    reportCompressedSize: false,
    rollupOptions: {
      input: { demo: `${root}demo.html`, ide: `${root}ide.html` },
      // GraphiQL's dependencies mark modules "use client" (meaningless outside React Server Components).
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
