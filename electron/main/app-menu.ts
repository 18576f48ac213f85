// The application menu: the usual roles and shortcuts, File > Open Package and Open Recent.
// DevTools appear only in development builds. No item opens a URL.
import type { MenuItemConstructorOptions } from 'electron';
import { basename } from 'node:path';

export interface AppMenuOptions {
  platform: NodeJS.Platform;
  isPackaged: boolean;
  appName: string;
  recentFiles: readonly string[];
  openPackage(): void;
  openRecent(path: string): void;
  clearRecent(): void;
}

export function buildAppMenuTemplate(options: AppMenuOptions): MenuItemConstructorOptions[] {
  const isMac = options.platform === 'darwin';
  const recent: MenuItemConstructorOptions[] =
    options.recentFiles.length === 0
      ? [{ label: 'No recent packages', enabled: false }]
      : options.recentFiles.map((path, index) => ({
          label: `${index + 1}. ${basename(path)}`,
          click: () => options.openRecent(path),
        }));

  const appMenu: MenuItemConstructorOptions[] = isMac
    ? [
        {
          label: options.appName,
          submenu: [
            { role: 'about' },
            { type: 'separator' },
            { role: 'services' },
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit' },
          ],
        },
      ]
    : [];

  return [
    ...appMenu,
    {
      label: '&File',
      submenu: [
        { label: 'Open Package…', accelerator: 'CmdOrCtrl+O', click: () => options.openPackage() },
        {
          label: 'Open Recent',
          submenu: [
            ...recent,
            { type: 'separator' },
            { label: 'Clear Recent', enabled: options.recentFiles.length > 0, click: () => options.clearRecent() },
          ],
        },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: '&Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'delete' },
        { type: 'separator' },
        { role: 'selectAll' },
      ],
    },
    {
      label: '&View',
      submenu: [
        { role: 'reload' },
        ...(options.isPackaged ? [] : ([{ role: 'forceReload' }, { role: 'toggleDevTools' }] satisfies MenuItemConstructorOptions[])),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: '&Window',
      submenu: isMac
        ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }]
        : [{ role: 'minimize' }, { role: 'close' }],
    },
    ...(isMac ? [] : ([{ label: '&Help', submenu: [{ role: 'about' }] }] satisfies MenuItemConstructorOptions[])),
  ];
}
