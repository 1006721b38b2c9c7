/**
 * Maps over items with at most `limit` calls in flight, keeping the order of results. Used where
 * many small requests go to one server: enough in parallel to hide latency on a kept-alive
 * connection pool, few enough not to be rate limited.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
