// Hybrid logical clocks (Kulkarni et al., "Logical Physical Clocks", 2014) for the person's
// intent: every edit of a preference, mapping or setting gets a timestamp that is at least the
// wall clock, at least anything this device has seen, and unique (the device id breaks ties),
// so last-writer-wins picks the same winner on every computer whatever order edits arrive in.

export interface Hlc {
  /** Epoch ms: the largest wall time seen. */
  wall: number;
  /** Events within that millisecond. */
  counter: number;
  device: string;
}

const WALL_DIGITS = 12; // hex: up to year 10889
const COUNTER_DIGITS = 6;

/** `wall:counter:device`, fixed-width hex, so two stamps compare as strings in causal order. */
export function formatHlc(h: Hlc): string {
  return `${h.wall.toString(16).padStart(WALL_DIGITS, '0')}:${h.counter.toString(16).padStart(COUNTER_DIGITS, '0')}:${h.device}`;
}

/** The stamp written by formatHlc, or null for anything else. */
export function parseHlc(s: string): Hlc | null {
  const m = /^([0-9a-f]{12}):([0-9a-f]{6}):([0-9a-z-]{1,64})$/.exec(s);
  if (!m) return null;
  return { wall: parseInt(m[1], 16), counter: parseInt(m[2], 16), device: m[3] };
}

/** Negative when a is earlier, positive when later, 0 for the same stamp. */
export function compareHlc(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * One device's clock. `load`/`save` keep its last stamp (in the database), so a restart with a
 * wall clock set back still stamps later than anything it stamped before.
 */
export class HlcClock {
  constructor(
    private readonly device: string,
    private readonly now: () => number,
    private readonly load: () => string | null,
    private readonly save: (stamp: string) => void,
  ) {}

  private last(): Hlc {
    const saved = this.load();
    return (saved && parseHlc(saved)) || { wall: 0, counter: 0, device: this.device };
  }

  /** A stamp for a local edit, later than every stamp this clock issued or observed. */
  tick(): string {
    const last = this.last();
    const wall = Math.max(last.wall, this.now());
    const next = { wall, counter: wall === last.wall ? last.counter + 1 : 0, device: this.device };
    const stamp = formatHlc(next);
    this.save(stamp);
    return stamp;
  }

  /** Takes in a stamp from another device, so later local edits are stamped after it. */
  observe(remote: string): void {
    const r = parseHlc(remote);
    if (!r) return;
    const last = this.last();
    const wall = Math.max(last.wall, r.wall);
    if (wall === last.wall && (r.wall < wall || r.counter <= last.counter)) return;
    const counter = wall === r.wall ? r.counter : last.counter;
    this.save(formatHlc({ wall, counter, device: this.device }));
  }
}
