/**
 * First-in first-out queue with O(1) push and shift.
 *
 * Why not `Array.prototype.shift`: it moves every remaining element, so draining a queue of n items
 * costs O(n²). Here a head index walks forward instead; the backing array is reused (never shrunk)
 * so a queue that keeps filling and draining does not allocate per item, and it is compacted once
 * the consumed prefix dominates, which keeps memory bounded at amortised O(1) cost.
 */
export class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;
  private tail = 0;

  get length(): number {
    return this.tail - this.head;
  }

  push(item: T): void {
    this.items[this.tail++] = item;
  }

  /** Removes and returns the oldest item, or `undefined` when empty. */
  shift(): T | undefined {
    if (this.head === this.tail) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined; // let the consumer's item be collected
    if (this.head === this.tail) {
      this.head = 0;
      this.tail = 0;
    } else if (this.head >= COMPACT_AFTER && this.head * 2 >= this.tail) {
      this.compact();
    }
    return item;
  }

  /** The oldest item without removing it. */
  peek(): T | undefined {
    return this.head === this.tail ? undefined : this.items[this.head];
  }

  /** Removes every item and returns them oldest first. */
  drain(): T[] {
    const drained = this.items.slice(this.head, this.tail) as T[];
    this.clear();
    return drained;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
    this.tail = 0;
  }

  private compact(): void {
    const count = this.tail - this.head;
    this.items.copyWithin(0, this.head, this.tail);
    this.items.fill(undefined, count, this.tail);
    this.head = 0;
    this.tail = count;
  }
}

/** Consumed slots tolerated before compaction is considered: small queues never pay for it. */
const COMPACT_AFTER = 1024;
