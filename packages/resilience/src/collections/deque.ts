/**
 * A FIFO queue with O(1) push and shift (a growable ring buffer). Arrays' `shift()` is O(n) once they grow
 * past a few thousand items; mailboxes and request queues use this instead.
 */
export class Deque<T> {
  #items: (T | undefined)[];
  #head = 0;
  #size = 0;

  constructor(initialCapacity = 16) {
    this.#items = new Array<T | undefined>(Math.max(4, initialCapacity));
  }

  get size(): number {
    return this.#size;
  }

  push(item: T): void {
    if (this.#size === this.#items.length) this.#grow();
    this.#items[(this.#head + this.#size) % this.#items.length] = item;
    this.#size++;
  }

  /** Puts `item` at the front, to be shifted next. */
  unshift(item: T): void {
    if (this.#size === this.#items.length) this.#grow();
    this.#head = (this.#head - 1 + this.#items.length) % this.#items.length;
    this.#items[this.#head] = item;
    this.#size++;
  }

  shift(): T | undefined {
    if (this.#size === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.#items.length;
    this.#size--;
    return item;
  }

  peek(): T | undefined {
    return this.#size === 0 ? undefined : this.#items[this.#head];
  }

  /** Removes every item and returns them in order. */
  drain(): T[] {
    const out: T[] = [];
    while (this.#size > 0) out.push(this.shift() as T);
    return out;
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.#size; i++)
      yield this.#items[(this.#head + i) % this.#items.length] as T;
  }

  #grow(): void {
    const next = new Array<T | undefined>(this.#items.length * 2);
    for (let i = 0; i < this.#size; i++)
      next[i] = this.#items[(this.#head + i) % this.#items.length];
    this.#items = next;
    this.#head = 0;
  }
}
