// Group commit for callers that each write a little: what they ask for in the same tick of the
// event loop goes to the database together (one statement, one round trip, one commit), and each
// caller resolves only once its part is stored.

/**
 * Wraps `store`, which takes every item asked for in one tick and answers one result per item, in
 * order. A call resolves with its item's result; if `store` throws, every call of that tick rejects.
 */
export function batchPerTick<Item, Result>(store: (items: Item[]) => Promise<Result[]>): (item: Item) => Promise<Result> {
  let pending: { item: Item; resolve: (result: Result) => void; reject: (error: unknown) => void }[] = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    store(batch.map((p) => p.item)).then(
      (results) => batch.forEach((p, i) => p.resolve(results[i])),
      (error) => batch.forEach((p) => p.reject(error)),
    );
  };
  return (item) =>
    new Promise<Result>((resolve, reject) => {
      pending.push({ item, resolve, reject });
      if (pending.length === 1) setImmediate(flush);
    });
}
