// The one window of the app and its hardened web preferences.
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

export interface WindowOptionsInput {
  preloadPath: string;
  /** app.isPackaged: production builds have no DevTools at all. */
  isPackaged: boolean;
  title: string;
  iconPath?: string;
}

export function secureWebPreferences(preloadPath: string, isPackaged: boolean): WebPreferences {
  return {
    preload: preloadPath,
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
    devTools: !isPackaged,
    // Middle-click opens new windows; the open handler denies them anyway, this removes the path.
    disableBlinkFeatures: 'Auxclick',
  };
}

export function secureWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    title: input.title,
    width: 1360,
    height: 880,
    minWidth: 960,
    minHeight: 600,
    show: false,
    backgroundColor: '#1a1b1e',
    ...(input.iconPath ? { icon: input.iconPath } : {}),
    webPreferences: secureWebPreferences(input.preloadPath, input.isPackaged),
  };
}
