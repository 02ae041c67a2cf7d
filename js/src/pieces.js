// The async-iterator form of the streaming encoders and verifiers (uploads.js's encode(),
// verify.js's decode()): byte pieces pulled one at a time from a source, each passed through
// a synchronous step. Written without async generators or for-await, for Hermes.
import { typeError } from './api.js';

/**
 * An async iterator over what `write(piece)` returns for each piece of `source` (an async or
 * sync iterable, or a ReadableStream), then over what `end()` returns once the source ends;
 * both return arrays. A step that throws ends the iteration and closes the source. `name`
 * names the method in the error for a source of another kind.
 */
export function transformPieces(source, write, end, name) {
  let next;
  if (source && typeof source[Symbol.asyncIterator] === 'function') next = source[Symbol.asyncIterator]();
  else if (source && typeof source.getReader === 'function') {
    const reader = source.getReader();
    next = { next: () => reader.read(), return: () => (reader.releaseLock(), Promise.resolve({ done: true })) };
  } else if (source && typeof source[Symbol.iterator] === 'function') next = source[Symbol.iterator]();
  else throw typeError(`${name}() takes an async or sync iterable of byte pieces, or a ReadableStream`);
  let queue = [];
  let done = false;
  const iterator = {
    next() {
      if (queue.length > 0) return Promise.resolve({ value: queue.shift(), done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return Promise.resolve(next.next()).then((step) => {
        try {
          if (step.done) {
            done = true;
            queue = end();
          } else {
            queue = write(step.value);
          }
        } catch (error) {
          done = true;
          queue = [];
          if (!step.done && typeof next.return === 'function') Promise.resolve(next.return()).catch(() => {});
          throw error;
        }
        return iterator.next();
      });
    },
    return() {
      done = true;
      queue = [];
      return Promise.resolve(typeof next.return === 'function' ? next.return() : undefined).then(() => ({ value: undefined, done: true }));
    },
  };
  iterator[Symbol.asyncIterator] = () => iterator;
  return iterator;
}
