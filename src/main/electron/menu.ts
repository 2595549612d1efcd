// The application menu: the platform's usual menus, plus Help → About VitalSync with versions.
import os from 'node:os';
import { app, dialog, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import { aboutText } from '../core/about';

function versions() {
  return {
    app: app.getVersion(),
    electron: process.versions.electron,
    chrome: process.versions.chrome,
    node: process.versions.node,
    v8: process.versions.v8,
    os: `${os.type()} ${os.arch()} ${os.release()}`,
  };
}

export function showAbout(parent: BrowserWindow | null): void {
  const { title, detail } = aboutText(versions());
  const options = { type: 'info' as const, title, message: 'VitalSync', detail, buttons: ['OK'] };
  void (parent ? dialog.showMessageBox(parent, options) : dialog.showMessageBox(options));
}

/**
 * The View menu. Electron's viewMenu role includes Toggle Developer Tools (and its shortcut), so an
 * installed app lists the same items without it; window.ts also turns DevTools off there.
 */
export function viewMenu(isPackaged: boolean): MenuItemConstructorOptions {
  if (!isPackaged) return { role: 'viewMenu' };
  return {
    label: 'View',
    submenu: [{ role: 'reload' }, { role: 'forceReload' }, { type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
  };
}

export function installAppMenu(getWindow: () => BrowserWindow | null): void {
  const about: MenuItemConstructorOptions = { label: 'About VitalSync', click: () => showAbout(getWindow()) };
  const template: MenuItemConstructorOptions[] =
    process.platform === 'darwin'
      ? [
          { label: 'VitalSync', submenu: [about, { type: 'separator' }, { role: 'services' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }] },
          { role: 'editMenu' },
          viewMenu(app.isPackaged),
          { role: 'windowMenu' },
        ]
      : [{ role: 'fileMenu' }, { role: 'editMenu' }, viewMenu(app.isPackaged), { role: 'windowMenu' }, { label: 'Help', submenu: [about] }];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
