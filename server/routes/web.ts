import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import express, { Router } from 'express';

/** `Cache-Control` of the page itself: revalidate every time, so a new build is seen at once. */
const PAGE_CACHE = 'no-cache';

/**
 * The built web app (vite build → dist/web) with its SPA fallback: any path outside /api that is not
 * a file gets index.html. index.html is revalidated on every load (`no-cache`; it names the build's
 * hashed assets, which may be cached for an hour). Nothing is mounted when the app has not been built.
 */
export function webRouter(webDir: string): Router {
  const r = Router();
  if (!existsSync(webDir)) return r;
  r.use(
    express.static(webDir, {
      index: 'index.html',
      maxAge: '1h',
      setHeaders: (res, path) => {
        if (basename(path) === 'index.html') res.setHeader('Cache-Control', PAGE_CACHE);
      },
    }),
  );
  r.get(/^\/(?!api\/).*/, (_req, res) => {
    res.sendFile('index.html', { root: webDir, headers: { 'Cache-Control': PAGE_CACHE } });
  });
  return r;
}
