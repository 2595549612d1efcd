// A side panel's close behaviour, one place for all of them ("Why this number?", a workout):
// focus goes to its close button when it opens, and Escape closes it.
import { useEffect, useRef } from 'react';

/** The ref to put on the panel's close button. */
export function usePanelClose(onClose: () => void) {
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    closeRef.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return closeRef;
}
