import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { APP_ENTRY_URL, rendererHeaders, resolveRendererFile } from './rendererFiles';
import { makeTempDir } from './test/tempCore';

const root = makeTempDir('vitalsync-renderer-');
const dir = path.join(root, 'renderer');
fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html>');
fs.writeFileSync(path.join(dir, 'assets', 'index-abc.js'), 'export {}');
fs.writeFileSync(path.join(dir, 'assets', 'index-abc.css'), 'body{}');
fs.writeFileSync(path.join(root, 'secret.txt'), 'not for pages');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const pathOf = (url: string) => new URL(url).pathname;

describe('the renderer’s files, for app:// and browser mode', () => {
  it('serves the entry page and its assets with their MIME types', () => {
    expect(resolveRendererFile(dir, pathOf(APP_ENTRY_URL))).toMatchObject({ status: 200, file: path.join(dir, 'index.html'), contentType: 'text/html; charset=utf-8', isIndex: true });
    expect(resolveRendererFile(dir, '/assets/index-abc.js')).toMatchObject({ status: 200, contentType: 'text/javascript; charset=utf-8', isIndex: false });
    expect(resolveRendererFile(dir, '/assets/index-abc.css')).toMatchObject({ status: 200, contentType: 'text/css; charset=utf-8' });
  });

  it('answers any other page path with the single-page app, and a missing asset with 404', () => {
    expect(resolveRendererFile(dir, '/')).toMatchObject({ status: 200, isIndex: true });
    expect(resolveRendererFile(dir, '/sources')).toMatchObject({ status: 200, isIndex: true });
    expect(resolveRendererFile(dir, '/assets/gone.js')).toMatchObject({ status: 404 });
  });

  it('refuses every way of climbing out of the renderer folder', () => {
    for (const p of ['/../secret.txt', '/assets/../../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/..%5csecret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt', '/C:/Windows/win.ini', '/index.html%00.png', '/%E0%A4%A']) {
      const found = resolveRendererFile(dir, p);
      expect(found.status, p).toBe(403);
    }
    // The URL parser itself already folds plain dot segments away, so they cannot reach the file system either.
    expect(new URL('app://vitalsync/../../secret.txt').pathname).toBe('/secret.txt');
    expect(resolveRendererFile(dir, pathOf('app://vitalsync/../../secret.txt'))).toMatchObject({ status: 404 });
  });

  it('sends the one CSP and nosniff with every file', () => {
    const headers = rendererHeaders({ contentType: 'text/html; charset=utf-8', isIndex: true });
    expect(headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['cache-control']).toBe('no-store');
  });
});
