import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderCreditNotePdf } from '../services/invoicing/documents/credit-note-pdf';
import { renderInvoiceHtml } from '../services/invoicing/documents/invoice-html';
import { renderInvoicePdf } from '../services/invoicing/documents/invoice-pdf';
import { sampleCreditNote, sampleMasterInvoice } from '../test/support/invoice-fixtures';

/**
 * `npm run docs:invoice-sample`: renders the sample master invoice and
 * credit note of test/support/invoice-fixtures.ts into docs/images/
 * (invoice-sample.pdf, invoice-sample.html, credit-note-sample.pdf) and, when
 * poppler's `pdftoppm` is installed (Debian: `apt-get install poppler-utils`),
 * the invoice's pages as invoice-sample.png (page 1), invoice-sample-2.png … at 150 dpi for
 * docs/invoice-documents.md. The output is deterministic: regenerating
 * without a code change gives the same PDF bytes.
 */
async function main(): Promise<void> {
  // npm runs scripts from the repository root; a directory argument writes elsewhere (tests, previews).
  const out = resolve(process.argv[2] ?? join('docs', 'images'));
  mkdirSync(out, { recursive: true });
  const invoice = sampleMasterInvoice();
  const pdf = await renderInvoicePdf(invoice);
  writeFileSync(join(out, 'invoice-sample.pdf'), pdf);
  writeFileSync(join(out, 'invoice-sample.html'), renderInvoiceHtml(invoice));
  writeFileSync(join(out, 'credit-note-sample.pdf'), await renderCreditNotePdf(sampleCreditNote()));
  const png = spawnSync('pdftoppm', ['-png', '-r', '150', join(out, 'invoice-sample.pdf'), join(out, 'invoice-sample-page')]);
  if (png.error || png.status !== 0) {
    console.log(`pdftoppm not available (${png.error?.message ?? png.stderr.toString().trim()}): PNG not regenerated; apt-get install poppler-utils`);
  } else {
    // pdftoppm numbers pages invoice-sample-page-1.png (or -01 for ten pages and more): page 1 keeps the plain name.
    for (const file of readdirSync(out).filter((name) => name.startsWith('invoice-sample-page-'))) {
      const page = Number(file.slice('invoice-sample-page-'.length, -'.png'.length));
      renameSync(join(out, file), join(out, page === 1 ? 'invoice-sample.png' : `invoice-sample-${page}.png`));
    }
  }
  console.log(`wrote ${out}/invoice-sample.pdf (${pdf.length} bytes), credit-note-sample.pdf${png.status === 0 ? ', invoice-sample*.png' : ''}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
