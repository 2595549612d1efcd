// The keyboard of a radio group made of buttons, as the WAI-ARIA radio group pattern has it:
// the group is one Tab stop (the checked button), and the arrow keys move the choice.
import type { KeyboardEvent } from 'react';

const STEPS: Record<string, number> = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };

/**
 * onKeyDown for an element with role="radiogroup" holding role="radio" buttons: arrows choose
 * the next or previous one (wrapping), Home and End the first and last, by clicking it and
 * moving the focus to it. Other keys are left alone.
 */
export function moveInRadioGroup(e: KeyboardEvent<HTMLElement>): void {
  const step = STEPS[e.key];
  if (step === undefined && e.key !== 'Home' && e.key !== 'End') return;
  const radios = [...e.currentTarget.querySelectorAll<HTMLElement>('[role="radio"]')];
  if (!radios.length) return;
  e.preventDefault();
  const focused = radios.findIndex((r) => r === document.activeElement);
  const at = focused >= 0 ? focused : Math.max(0, radios.findIndex((r) => r.getAttribute('aria-checked') === 'true'));
  const next = e.key === 'Home' ? 0 : e.key === 'End' ? radios.length - 1 : (at + step + radios.length) % radios.length;
  radios[next].click();
  radios[next].focus();
}
