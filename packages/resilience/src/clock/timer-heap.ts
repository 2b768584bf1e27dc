/** A timer waiting in a {@link TimerHeap}. */
export interface HeapTimer {
  readonly at: number;
  readonly seq: number;
  readonly callback: () => void;
  cancelled: boolean;
}

const before = (x: HeapTimer, y: HeapTimer): boolean =>
  x.at < y.at || (x.at === y.at && x.seq < y.seq);

/** A binary min-heap of timers ordered by due time, then by insertion order. */
export class TimerHeap {
  readonly #items: HeapTimer[] = [];

  get size(): number {
    return this.#items.length;
  }

  peek(): HeapTimer | undefined {
    return this.#items[0];
  }

  push(timer: HeapTimer): void {
    const items = this.#items;
    items.push(timer);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as HeapTimer;
      if (!before(timer, p)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = timer;
  }

  pop(): HeapTimer | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= items.length) break;
      const r = l + 1;
      const left = items[l] as HeapTimer;
      const right = items[r];
      const child = right !== undefined && before(right, left) ? r : l;
      const c = items[child] as HeapTimer;
      if (!before(c, last)) break;
      items[i] = c;
      i = child;
    }
    items[i] = last;
    return top;
  }
}
