import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The web app lives in web/ and builds to dist/web, which the server serves. It imports models/ and
// seeds/ (the engine runs in the browser); never server/.
export default defineConfig({
  root: fileURLToPath(new URL('./web', import.meta.url)),
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
