import { existsSync } from 'node:fs';
import express, { Router } from 'express';

/**
 * The built web app (vite build → dist/web) with its SPA fallback: any path outside /api that is not
 * a file gets index.html. Nothing is mounted when the app has not been built.
 */
export function webRouter(webDir: string): Router {
  const r = Router();
  if (!existsSync(webDir)) return r;
  r.use(express.static(webDir, { index: 'index.html', maxAge: '1h' }));
  r.get(/^\/(?!api\/).*/, (_req, res) => {
    res.sendFile('index.html', { root: webDir });
  });
  return r;
}
