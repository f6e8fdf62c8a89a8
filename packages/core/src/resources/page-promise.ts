// A list call's result: awaited, the first page; iterated with `for await`, every item of every page,
// fetched as the loop advances (stripe-node's pattern).

/** One page of a cursor-paginated list. */
export interface Page<Item> {
  data: Item[];
  nextCursor: string | null;
}

/** The first page as a Promise, and every item as an AsyncIterable. */
export interface PagePromise<P extends Page<Item>, Item> extends Promise<P>, AsyncIterable<Item> {
  /** Items of every page, stopping after `limit` items. */
  toArray(options?: { limit?: number }): Promise<Item[]>;
}

/**
 * Starts fetching the first page at once (`cursor` as given); iteration continues from it.
 * @example
 * for await (const contract of cms.contracts.list({ status: 'draft' })) console.log(contract.id);
 * const first = await cms.contracts.list(); // { data, nextCursor }
 */
export function pagePromise<P extends Page<Item>, Item>(
  fetchPage: (cursor: string | undefined) => Promise<P>,
  cursor?: string,
): PagePromise<P, Item> {
  const first = fetchPage(cursor);
  async function* items(): AsyncGenerator<Item, void, undefined> {
    let page = await first;
    for (;;) {
      yield* page.data;
      if (!page.nextCursor) return;
      page = await fetchPage(page.nextCursor);
    }
  }
  const toArray = async ({ limit = Infinity }: { limit?: number } = {}) => {
    const all: Item[] = [];
    if (limit <= 0) return all;
    for await (const item of items()) {
      all.push(item);
      if (all.length >= limit) break;
    }
    return all;
  };
  return Object.assign(first, { [Symbol.asyncIterator]: items, toArray });
}
