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

export function installAppMenu(getWindow: () => BrowserWindow | null): void {
  const about: MenuItemConstructorOptions = { label: 'About VitalSync', click: () => showAbout(getWindow()) };
  const template: MenuItemConstructorOptions[] =
    process.platform === 'darwin'
      ? [
          { label: 'VitalSync', submenu: [about, { type: 'separator' }, { role: 'services' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }] },
          { role: 'editMenu' },
          { role: 'viewMenu' },
          { role: 'windowMenu' },
        ]
      : [{ role: 'fileMenu' }, { role: 'editMenu' }, { role: 'viewMenu' }, { role: 'windowMenu' }, { label: 'Help', submenu: [about] }];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
