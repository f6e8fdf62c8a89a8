// happy-dom 21's fetch caches a response that has an ETag and no Cache-Control as fresh forever, so a
// contract read again after a change comes from its cache, stale. Browsers give such a response no
// freshness (no Last-Modified to base a heuristic on) and revalidate it; asking for `no-cache` on every
// request makes happy-dom do the same, so the hooks see what a browser would.
const pageFetch = globalThis.fetch;

globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
  const request = new Request(input, init);
  if (!request.headers.has('cache-control')) request.headers.set('cache-control', 'no-cache');
  return pageFetch(request);
};
