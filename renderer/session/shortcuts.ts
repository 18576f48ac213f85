// Every keyboard shortcut of the app goes through here, so one setting governs them (WCAG 2.1.4): with single-key
// shortcuts off, only keys with Ctrl/Alt/Meta and non-character keys (arrows) act; the buttons do the rest.
import { useHotkeys, type HotkeyItem } from '@mantine/hooks';
import { useWorkbench } from './workbench-context';

/** A modal dialog is open: the screen behind it must not react to keys. */
export const modalOpen = () => document.querySelector('[role="dialog"][aria-modal="true"]') !== null;

const MODIFIERS = new Set(['mod', 'ctrl', 'alt', 'meta']);

/** `j`, `shift+/` (the `?` key) or `1` are single-key shortcuts; `mod+Enter`, `alt+3` and `ArrowDown` are not. */
export function isSingleKey(hotkey: string): boolean {
  const parts = hotkey.toLowerCase().split('+');
  const key = parts[parts.length - 1]!;
  return !parts.some((p) => MODIFIERS.has(p)) && key.length === 1;
}

export type Shortcut = [hotkey: string, run: (event: KeyboardEvent) => void];

export function useShortcuts(shortcuts: Shortcut[], options: { ignoreIn?: string[]; inDialog?: boolean } = {}): void {
  const { singleKeyShortcuts } = useWorkbench();
  const items: HotkeyItem[] = shortcuts
    .filter(([hotkey]) => singleKeyShortcuts || !isSingleKey(hotkey))
    .map(([hotkey, run]) => [
      hotkey,
      (event: KeyboardEvent) => {
        // Keys of a screen never act behind a dialog; a dialog's own keys (inDialog) act inside it.
        if (!options.inDialog && modalOpen()) return;
        run(event);
      },
    ]);
  useHotkeys(items, options.ignoreIn ?? ['INPUT', 'TEXTAREA', 'SELECT']);
}
