// Dialogs mounted only while open (their content needs a value to exist) unmount before Mantine can return focus;
// this puts focus back on the control that opened them.
import { useLayoutEffect, useRef } from 'react';

export function useFocusReturn(open: boolean): void {
  const trigger = useRef<HTMLElement | null>(null);
  useLayoutEffect(() => {
    if (open) {
      // Runs before the dialog's focus trap moves focus (it does so on a timer): this is the opener.
      trigger.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      return;
    }
    const el = trigger.current;
    trigger.current = null;
    if (el?.isConnected) el.focus({ preventScroll: true });
  }, [open]);
}
