// Starts the built CLI's `vitalsync serve` (browser mode) and reads the URL it prints: one place
// for the e2e fixtures and the UI benchmark. Plain Node (no Playwright test runner imports).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = path.join(ROOT, 'bin', 'vitalsync.js');

/**
 * Starts `vitalsync serve` on a free port for `dataDir` and resolves with the URL it prints
 * (token included); rejects with serve's stderr when it exits or prints nothing within `timeoutMs`.
 */
export async function startServe(dataDir: string, env: NodeJS.ProcessEnv = {}, timeoutMs = 20_000): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [CLI, '--data-dir', dataDir, 'serve', '--port', '0'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not print a URL in ${timeoutMs / 1000} s. stderr: ${stderr}`)), timeoutMs);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  return { url, child };
}
