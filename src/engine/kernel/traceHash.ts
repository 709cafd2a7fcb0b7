import type { Nanos } from './clock';
import type { SimEvent } from './eventQueue';

/**
 * A running 64-bit hash (two 32-bit lanes) over every event: its index, time, type and
 * fields (sorted by key, each key's name then its value). Two runs with the same hash ran the
 * same events at the same times.
 *
 * Speed: an event's words are first written into a reused buffer, then mixed in one tight
 * loop; the sorted keys of each event shape (its type and key list) are turned into words once.
 */
export class TraceHash {
  private h1 = 0x2545f491;
  private h2 = 0x9e3779b9;

  /** Key lists seen per event type. A cache, not state. */
  private readonly shapes = new Map<string, EventShape[]>();
  /** The event being added: its keys and values in insertion order, and its words (reused). */
  private readonly keys: string[] = [];
  private readonly values: SimEvent[string][] = [];
  private words = new Int32Array(256);

  add(index: number, time: Nanos, event: SimEvent): void {
    const n = this.readFields(event);
    const { keyWords, keyEnd, sortedAt } = this.shapeOf(event, n);
    const values = this.values;
    let at = this.putNumber(0, index);
    at = this.putNumber(at, time);
    let w = 0;
    for (let k = 0; k < n; k++) {
      const end = keyEnd[k];
      at = this.room(at, end - w + 2);
      const words = this.words;
      for (; w < end; w++) words[at++] = keyWords[w];
      const v = values[sortedAt[k]];
      if (typeof v === 'number') {
        if ((v | 0) === v) {
          // A 32-bit integer: its high word is its sign (what putNumber's general case gives).
          words[at++] = v;
          words[at++] = v < 0 ? -1 : 0;
        } else at = this.putNumber(at, v);
      } else if (typeof v === 'string') at = this.putString(at, v);
      else words[at++] = v === true ? 1 : v === false ? 2 : 3;
    }
    this.mixWords(at);
  }

  /** Fold in a number exactly: integers up to 2^53 as two words, fractions via their string form. */
  mixNumber(n: number): void {
    this.mixWords(this.putNumber(0, n));
  }

  mixString(s: string): void {
    this.mixWords(this.putString(0, s));
  }

  mixWord(w: number): void {
    this.words[0] = w;
    this.mixWords(1);
  }

  hex(): string {
    const a = fmix(this.h1 ^ this.h2);
    const b = fmix((this.h2 + a) | 0);
    return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
  }

  getState(): [number, number] {
    return [this.h1, this.h2];
  }

  setState([h1, h2]: readonly number[]): void {
    this.h1 = h1;
    this.h2 = h2;
  }

  private mixWords(count: number): void {
    const words = this.words;
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < count; i++) {
      const w = words[i];
      h1 = Math.imul(h1 ^ w, 0x85ebca6b);
      h1 = (h1 << 13) | (h1 >>> 19);
      h2 = Math.imul(h2 ^ w, 0xc2b2ae35);
      h2 = (h2 << 17) | (h2 >>> 15);
      h2 = (h2 + h1) | 0;
    }
    this.h1 = h1;
    this.h2 = h2;
  }

  private putNumber(at: number, n: number): number {
    if ((n | 0) === n) {
      // A 32-bit integer: its high word is the sign (what the general case below gives).
      at = this.room(at, 2);
      this.words[at] = n;
      this.words[at + 1] = n < 0 ? -1 : 0;
      return at + 2;
    }
    if (Number.isInteger(n)) {
      at = this.room(at, 2);
      this.words[at] = n >>> 0;
      this.words[at + 1] = Math.floor(n / 4294967296) >>> 0;
      return at + 2;
    }
    return this.putString(at, n.toString());
  }

  private putString(at: number, s: string): number {
    at = this.room(at, s.length + 1);
    const words = this.words;
    words[at++] = s.length;
    for (let i = 0; i < s.length; i++) words[at++] = s.charCodeAt(i);
    return at;
  }

  /** Make room for `more` words after the first `at`. */
  private room(at: number, more: number): number {
    if (at + more > this.words.length) {
      const grown = new Int32Array(Math.max(2 * this.words.length, at + more));
      grown.set(this.words.subarray(0, at));
      this.words = grown;
    }
    return at;
  }

  /** The event's own keys and values, in the order `Object.keys` lists them; returns how many. */
  private readFields(event: SimEvent): number {
    const { keys, values } = this;
    let n = 0;
    const proto = Object.getPrototypeOf(event);
    // On a plain object for-in lists exactly Object.keys (nothing enumerable up its prototype chain).
    if (proto === Object.prototype || proto === null) {
      for (const key in event) {
        keys[n] = key;
        values[n++] = event[key];
      }
    } else {
      for (const key of Object.keys(event)) {
        keys[n] = key;
        values[n++] = event[key];
      }
    }
    return n;
  }

  private shapeOf(event: SimEvent, n: number): EventShape {
    let known = this.shapes.get(event.type);
    if (known === undefined) {
      known = [];
      this.shapes.set(event.type, known);
    }
    for (const shape of known) if (sameKeys(this.keys, n, shape.order)) return shape;
    const shape = makeShape(this.keys.slice(0, n));
    known.push(shape);
    return shape;
  }
}

/** An event's keys in insertion order, where each sorted key sits in it, and the sorted keys as words. */
interface EventShape {
  readonly order: readonly string[];
  readonly sortedAt: Int32Array;
  readonly keyWords: Int32Array;
  readonly keyEnd: Int32Array;
}

function makeShape(order: string[]): EventShape {
  const sorted = order.slice().sort();
  const words: number[] = [];
  const keyEnd = new Int32Array(sorted.length);
  sorted.forEach((key, k) => {
    words.push(key.length);
    for (let i = 0; i < key.length; i++) words.push(key.charCodeAt(i));
    keyEnd[k] = words.length;
  });
  const sortedAt = Int32Array.from(sorted, (key) => order.indexOf(key));
  return { order, sortedAt, keyWords: Int32Array.from(words), keyEnd };
}

function sameKeys(keys: readonly string[], n: number, order: readonly string[]): boolean {
  if (n !== order.length) return false;
  for (let i = 0; i < n; i++) if (keys[i] !== order[i]) return false;
  return true;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
