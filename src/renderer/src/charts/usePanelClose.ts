// A side panel's close behaviour, one place for all of them ("Why this number?", a workout):
// focus goes to its close button when it opens, Escape closes it, and on close the focus goes
// back to what opened it (the WAI-ARIA dialog pattern), so a keyboard user is not sent back to
// the top of the page.
import { useEffect, useRef } from 'react';

/** Where focus can land in a chart card: its enabled buttons and links that are Tab stops. */
const FOCUSABLE = 'button:not(:disabled):not([tabindex="-1"]), a[href], [tabindex="0"]';

/**
 * The element a pointer pressed last. A click on a chart's plot opens a panel but focuses
 * nothing (the plot is not a Tab stop), so this is how the panel knows which chart opened it.
 */
let pressed: Element | null = null;
document.addEventListener('pointerdown', (e) => (pressed = e.target instanceof Element ? e.target : null), true);

interface Opener {
  /** The element focused when the panel opened, if any. */
  element: HTMLElement | null;
  /** The chart card it was in (its data-chart), to fall back on when the element is gone. */
  chart: string | null;
}

/**
 * The ref to put on the panel's close button. `shown` names what the panel shows (a bucket, a
 * workout id): showing something else is a new opening, whose opener gets the focus back.
 */
export function usePanelClose(onClose: () => void, shown?: unknown) {
  const closeRef = useRef<HTMLButtonElement>(null);
  const opener = useRef<Opener | null>(null);
  useEffect(() => {
    const panel = closeRef.current?.closest('[role="dialog"]');
    const active = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
    // Focus already inside the panel (a link in it showed something else): the opener stays.
    if (!active || !panel?.contains(active)) {
      const from = active ?? pressed;
      opener.current = { element: active, chart: from?.closest('[data-chart]')?.getAttribute('data-chart') ?? null };
    }
    closeRef.current?.focus();
  }, [shown]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  useEffect(
    () => () => {
      // Only focus lost with the panel is given back: focus the person moved elsewhere stays there
      // (as does a page the panel led to, such as Preferences).
      if (document.activeElement && document.activeElement !== document.body) return;
      const o = opener.current;
      if (o?.element?.isConnected) return o.element.focus();
      // The opener went (its table re-rendered for another range): the first control of its chart.
      const card = o?.chart ? document.querySelector(`[data-chart="${CSS.escape(o.chart)}"]`) : null;
      card?.querySelector<HTMLElement>(FOCUSABLE)?.focus();
    },
    [],
  );
  return closeRef;
}
