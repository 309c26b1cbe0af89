'use strict';

// Serialises async critical sections per key (one in-flight section per key, FIFO).
class KeyedMutex {
  constructor() {
    this.tails = new Map();
  }

  async run(key, fn) {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release;
    const current = new Promise((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  // Lock several keys in a fixed order so two callers cannot deadlock each other.
  runAll(keys, fn) {
    const sorted = [...new Set(keys)].sort();
    const step = (i) => (i === sorted.length ? fn() : this.run(sorted[i], () => step(i + 1)));
    return step(0);
  }
}

module.exports = { KeyedMutex };
