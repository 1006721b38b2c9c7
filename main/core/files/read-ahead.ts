// Runs a producer ahead of its consumer, by a bounded number of items. Storing a file, the consumer
// is the HTTP request, which waits whenever the socket is full; without read-ahead the file is read
// and sealed only when the request asks, so reading, sealing and sending take turns. With it, the
// next pieces are read and sealed while the request waits, and the bound keeps memory flat
// (backpressure: nothing more is asked of the producer until the consumer takes a piece).

/**
 * The items of `source`, in order, with up to `depth` of them requested ahead. An async generator
 * queues the requests and answers them one after another, so order is kept; a failure comes out
 * at its place in the order.
 */
export async function* readAhead<T>(source: AsyncIterable<T>, depth: number): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  const queue: Array<Promise<IteratorResult<T>>> = [];
  const request = () => {
    const next = iterator.next();
    // Handled where it is awaited; this only keeps a request that is never awaited (the consumer
    // stopped first) from counting as an unhandled rejection.
    next.catch(() => {});
    queue.push(next);
  };
  let finished = false;
  try {
    for (;;) {
      while (queue.length < depth) request();
      const result = await queue.shift()!;
      if (result.done) {
        finished = true;
        return;
      }
      yield result.value;
    }
  } finally {
    // Stopped early (cancelled, or a failure downstream): let the producer close its source.
    if (!finished) await iterator.return?.(undefined).catch(() => {});
  }
}
