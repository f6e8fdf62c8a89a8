/** A long hash or DID in monospace that wraps anywhere. */
export function Mono({ children, label }: { children: string | null | undefined; label?: string }) {
  return (
    <code className="mono wrap" title={label}>
      {children ?? '—'}
    </code>
  );
}

export const shortDid = (did: string) => (did.length > 28 ? `${did.slice(0, 16)}…${did.slice(-6)}` : did);
