// A PDF rendered in the page with pdfjs-dist. This module (and pdf.js with its worker) loads only when a
// document is opened: import it with React.lazy, never statically.
import { GlobalWorkerOptions, getDocument } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { useEffect, useRef, useState } from 'react';

GlobalWorkerOptions.workerSrc = workerUrl;

/** At most this many pages are drawn; the download has the rest. */
const MAX_PAGES = 30;

export default function PdfViewer({ bytes, name }: { bytes: Uint8Array; name: string }) {
  const pagesRef = useRef<HTMLElement>(null);
  const [state, setState] = useState<{ pages: number; shown: number } | { error: string }>();

  useEffect(() => {
    let cancelled = false;
    // pdf.js takes ownership of the buffer it is given: hand it a copy.
    const task = getDocument({ data: bytes.slice() });
    void (async () => {
      try {
        const pdf = await task.promise;
        const container = pagesRef.current;
        if (!container || cancelled) return;
        container.replaceChildren();
        const shown = Math.min(pdf.numPages, MAX_PAGES);
        for (let n = 1; n <= shown && !cancelled; n++) {
          const page = await pdf.getPage(n);
          const width = container.clientWidth || 600;
          const viewport = page.getViewport({
            scale: (width / page.getViewport({ scale: 1 }).width) * devicePixelRatio,
          });
          const canvas = document.createElement('canvas');
          canvas.width = Math.floor(viewport.width);
          canvas.height = Math.floor(viewport.height);
          canvas.style.width = '100%';
          canvas.setAttribute('role', 'img');
          canvas.setAttribute('aria-label', `${name}, page ${n} of ${pdf.numPages}`);
          canvas.dataset.pdfPage = String(n);
          container.append(canvas);
          await page.render({ canvas, viewport }).promise;
        }
        if (!cancelled) setState({ pages: pdf.numPages, shown });
      } catch (error) {
        if (!cancelled) setState({ error: error instanceof Error ? error.message : String(error) });
      }
    })();
    return () => {
      cancelled = true;
      void task.destroy();
    };
  }, [bytes, name]);

  return (
    <div className="pdf-viewer">
      {/* Scrollable, so focusable: keyboard users scroll the pages with the arrow keys. */}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1) */}
      <section ref={pagesRef} className="pdf-pages" aria-label={`${name} pages`} tabIndex={0} />
      {state === undefined && <p role="status">Rendering {name}…</p>}
      {state && 'error' in state && <p className="field-error">This PDF cannot be shown here: {state.error}</p>}
      {state && 'pages' in state && state.shown < state.pages && (
        <p className="muted small">
          The first {state.shown} of {state.pages} pages are shown; download the file for the rest.
        </p>
      )}
    </div>
  );
}
