/**
 * Reads a PDF back for tests: page count and each page's text, via pdf.js
 * (ESM-only, loaded with a dynamic import, which jest runs under
 * --experimental-vm-modules). Whitespace is collapsed and no-break spaces
 * become spaces, so "1.234,56 €" matches however Intl spaced it.
 */
export interface PdfReadBack {
  pages: string[];
  text: string;
  info: Record<string, unknown>;
}

export function normaliseSpaces(text: string): string {
  return text.replace(/[\u00a0\u202f\s]+/g, ' ').trim();
}

export async function readPdf(bytes: Buffer): Promise<PdfReadBack> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = pdfjs.getDocument({ data: new Uint8Array(bytes), verbosity: 0 });
  const document = await task.promise;
  const pages: string[] = [];
  for (let n = 1; n <= document.numPages; n++) {
    const page = await document.getPage(n);
    const content = await page.getTextContent();
    pages.push(normaliseSpaces(content.items.map((item) => ('str' in item ? item.str : '')).join(' ')));
  }
  const metadata = await document.getMetadata();
  await task.destroy();
  return { pages, text: pages.join('\n'), info: metadata.info as Record<string, unknown> };
}
