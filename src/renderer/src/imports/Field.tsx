// A labelled control whose label is only its own words (a <select> inside a <label> would add
// its options' text to the label).
import { useId, type ReactNode } from 'react';

export function Field({ label, children, className }: { label: string; className?: string; children(id: string): ReactNode }) {
  const id = useId();
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      {children(id)}
    </div>
  );
}
