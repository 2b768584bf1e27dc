import type { OutboxEntry } from '../../store/index.js';

/** Rows of one notifier and one monitor are delivered one at a time, oldest first. */
const keyOf = (row: Pick<OutboxEntry, 'notifierId' | 'monitorId'>): string =>
  `${row.notifierId}\u0000${row.monitorId}`;

/**
 * Keeps delivery in order per notifier and monitor (a resolve never overtakes its trigger): the rows the
 * worker holds, the older rows still waiting in the store (for a retry, or from before a restart), and
 * which keys have a send in flight. A row is ready when it is the oldest of its key anywhere and its key
 * is idle.
 */
export class OrderBook {
  readonly #held = new Map<string, OutboxEntry[]>();
  readonly #heldIds = new Set<number>();
  readonly #waiting = new Map<string, Set<number>>();
  readonly #busy = new Set<string>();

  /** Rows held (claimed and not yet finished). */
  get size(): number {
    return this.#heldIds.size;
  }

  holds(id: number): boolean {
    return this.#heldIds.has(id);
  }

  /** A row that waits in the store (pending, not due yet): later rows of its key wait for it. */
  waitFor(row: Pick<OutboxEntry, 'id' | 'notifierId' | 'monitorId'>): void {
    const key = keyOf(row);
    let set = this.#waiting.get(key);
    if (set === undefined) this.#waiting.set(key, (set = new Set()));
    set.add(row.id);
  }

  /** Takes a claimed row. */
  hold(row: OutboxEntry): void {
    const key = keyOf(row);
    this.#waiting.get(key)?.delete(row.id);
    const list = this.#held.get(key) ?? [];
    list.push(row);
    list.sort((a, b) => a.id - b.id);
    this.#held.set(key, list);
    this.#heldIds.add(row.id);
  }

  /** Rows that may be sent now, marking their keys busy; `hold` keeps a row (and those behind it) back. */
  takeReady(hold?: (row: OutboxEntry) => boolean): OutboxEntry[] {
    const ready: OutboxEntry[] = [];
    for (const [key, list] of this.#held) {
      const head = list[0];
      if (head === undefined || this.#busy.has(key) || hold?.(head) === true) continue;
      const waiting = this.#waiting.get(key);
      if (waiting !== undefined && [...waiting].some((id) => id < head.id)) continue;
      this.#busy.add(key);
      ready.push(head);
    }
    return ready;
  }

  /** A row's send finished: it leaves the book, or waits in the store for its retry. */
  finish(row: OutboxEntry, retrying: boolean): void {
    const key = keyOf(row);
    this.#busy.delete(key);
    this.#heldIds.delete(row.id);
    const list = this.#held.get(key)?.filter((r) => r.id !== row.id) ?? [];
    if (list.length === 0) this.#held.delete(key);
    else this.#held.set(key, list);
    if (retrying) this.waitFor(row);
    const waiting = this.#waiting.get(key);
    if (waiting?.size === 0) this.#waiting.delete(key);
  }

  /** Forgets everything (shutdown). */
  clear(): void {
    this.#held.clear();
    this.#heldIds.clear();
    this.#waiting.clear();
    this.#busy.clear();
  }
}
