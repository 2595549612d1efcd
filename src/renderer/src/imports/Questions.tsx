// What an import may need answered before it starts: the weight unit of an export that never
// says it, and the home time zone for dates that carry none.

export function WeightUnitQuestion({ value, onChange }: { value: 'kg' | 'lb' | null; onChange(unit: 'kg' | 'lb'): void }) {
  return (
    <fieldset className="inline-choice import-question">
      <legend>Weight unit</legend>
      <p className="hint">This export writes weights without a unit. Choose the one your account uses.</p>
      <label>
        <input type="radio" name="weight-unit" checked={value === 'kg'} onChange={() => onChange('kg')} />
        Kilograms (kg)
      </label>
      <label>
        <input type="radio" name="weight-unit" checked={value === 'lb'} onChange={() => onChange('lb')} />
        Pounds (lb)
      </label>
    </fieldset>
  );
}

export function HomeZoneQuestion({ value, onChange }: { value: string; onChange(zone: string): void }) {
  return (
    <div className="import-question">
      <label className="stacked">
        Your home time zone
        <input value={value} aria-describedby="import-home-zone-hint" onChange={(e) => onChange(e.target.value)} />
      </label>
      <p className="hint" id="import-home-zone-hint">
        The dates in this file carry no time zone, and none is set yet. VitalSync reads them in your home zone (a name such as Europe/Paris, or an offset such as +05:30)
        and saves it in Settings when the import starts.
      </p>
    </div>
  );
}
