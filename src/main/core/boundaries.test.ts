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

  // The three leaks the security review found: each passed eslint before.
  it("refuses 'electron/main' (and every other electron subpath) in core", async () => {
    const messages = await lint(`import { app } from '${ELECTRON}/main';\nexport const x = app;\n`, 'src/main/core/sneaky.ts');
    expect(messages.join('\n')).toContain("may import 'electron'");
    expect((await lint(`import { ipcRenderer } from '${ELECTRON}/renderer';\nexport const x = ipcRenderer;\n`, 'src/shared/sneaky.ts')).join()).toContain("may import 'electron'");
  });

  it('refuses node built-ins in the sandboxed preload, and still allows electron there', async () => {
    expect((await lint("import fs from 'node:fs';\nexport const x = fs;\n", 'src/preload/sneaky.ts')).join()).toContain('preload is sandboxed');
    expect((await lint("import cp from 'child_process';\nexport const x = cp;\n", 'src/preload/sneaky.ts')).join()).toContain('preload is sandboxed');
    expect(await lint(`import { contextBridge } from '${ELECTRON}';\nexport const x = contextBridge;\n`, 'src/preload/ok.ts')).toEqual([]);
  });

  it('refuses the renderer importing main-process or preload code by relative path', async () => {
    for (const spec of ['../../main/core/db', '../../../src/main/core', '../../main/serve', '../../preload/index']) {
      const messages = await lint(`import * as m from '${spec}';\nexport const x = m;\n`, 'src/renderer/src/sneaky.ts');
      expect(messages.join(), spec).toContain('may not import main-process or preload code');
    }
    expect(await lint("import { CHANNEL_NAMES } from '../../shared/contract';\nexport const x = CHANNEL_NAMES;\n", 'src/renderer/src/ok.ts')).toEqual([]);
  });

  // The same boundaries through import() and require(), and the preload's own imports: each of
  // these passed eslint before (no-restricted-imports sees only static imports).
  it("refuses 'electron' loaded with import() or require() in core", async () => {
    for (const code of [`export const m = await import('${ELECTRON}');\n`, `export const m = await import('${ELECTRON}/main');\n`, `export const m = require('${ELECTRON}');\n`]) {
      expect((await lint(code, 'src/main/core/sneaky.ts')).join('\n'), code).toContain("may import 'electron'");
    }
    expect(await lint("export const m = await import('./log');\n", 'src/main/core/ok.ts')).toEqual([]);
    expect(await lint(`export const m = await import('${ELECTRON}');\n`, 'src/main/electron/ok.ts')).toEqual([]);
  });

  it('refuses import() in the preload (node:fs, or anything else)', async () => {
    for (const spec of ['node:fs', 'fs', '../main/core']) {
      expect((await lint(`export const m = import('${spec}');\n`, 'src/preload/sneaky.ts')).join('\n'), spec).toContain('no import()');
    }
    expect((await lint("export const m = require('node:child_process');\n", 'src/preload/sneaky.ts')).join('\n')).toContain('no require()');
  });

  it('lets the preload import only electron, its own files and ../shared', async () => {
    for (const spec of ['../main/core/db', '../main/core', '../renderer/src/api', '../shared/../main/core', './../main/core', 'zod', '@electron/remote']) {
      const messages = await lint(`import * as m from '${spec}';\nexport const x = m;\n`, 'src/preload/sneaky.ts');
      expect(messages.join('\n'), spec).toContain("The preload may import only 'electron'");
    }
    for (const spec of ['../shared/contract', '../shared/ipc', './helpers']) {
      expect(await lint(`import * as m from '${spec}';\nexport const x = m;\n`, 'src/preload/ok.ts'), spec).toEqual([]);
    }
  });

  it('refuses the renderer loading main-process code, Node or electron with import()', async () => {
    for (const spec of ['../../main/core', '../../main/core/db', '../../preload/index']) {
      expect((await lint(`export const m = import('${spec}');\n`, 'src/renderer/src/sneaky.ts')).join('\n'), spec).toContain('may not import main-process or preload code');
    }
    expect((await lint("export const m = import('node:fs');\n", 'src/renderer/src/sneaky.ts')).join('\n')).toContain('sandboxed');
    expect((await lint(`export const m = import('${ELECTRON}');\n`, 'src/renderer/src/sneaky.ts')).join('\n')).toContain("may import 'electron'");
    // A computed path would hide where it leads.
    expect((await lint('const where = "../../main/core";\nexport const m = import(`${where}`);\n', 'src/renderer/src/sneaky.ts')).join('\n')).toContain('plain string');
    expect(await lint("export const m = import('./pages/ExportPage');\n", 'src/renderer/src/ok.ts')).toEqual([]);
  });

  it('refuses Node built-ins and electron through import() in src/shared', async () => {
    expect((await lint("export const m = import('node:fs');\n", 'src/shared/sneaky.ts')).join('\n')).toContain('no Node built-ins');
    expect((await lint(`export const m = import('${ELECTRON}/renderer');\n`, 'src/shared/sneaky.ts')).join('\n')).toContain("may import 'electron'");
  });
});
