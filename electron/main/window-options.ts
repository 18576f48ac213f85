// The one window of the app and its hardened web preferences. The options are written out literally
// at the `new BrowserWindow(...)` call so that reviewers and scanners (electronegativity) see them
// where the window is made; the class is passed in, so tests construct it with a fake.
import type { BrowserWindowConstructorOptions } from 'electron';

export interface WindowOptionsInput {
  preloadPath: string;
  /** app.isPackaged: production builds have no DevTools at all. */
  isPackaged: boolean;
  title: string;
}

export type WindowClass<W> = new (options: BrowserWindowConstructorOptions) => W;

export function createSecureWindow<W>(BrowserWindow: WindowClass<W>, input: WindowOptionsInput): W {
  return new BrowserWindow({
    title: input.title,
    width: 1360,
    height: 880,
    minWidth: 960,
    minHeight: 600,
    show: false,
    backgroundColor: '#1a1b1e',
    webPreferences: {
      preload: input.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: !input.isPackaged,
      // Middle-click opens new windows; the open handler denies them anyway, this removes the path.
      disableBlinkFeatures: 'Auxclick',
    },
  });
}
