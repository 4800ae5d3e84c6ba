import { renderCreditNoteHtml } from '../../../../services/invoicing/documents/credit-note-html';
import { escapeHtml } from '../../../../services/invoicing/documents/html';
import { renderInvoiceHtml } from '../../../../services/invoicing/documents/invoice-html';
import { sampleCreditNote, sampleEuroInvoice, sampleMasterInvoice } from '../../../support/invoice-fixtures';
import { normaliseSpaces } from '../../../support/pdf-text';

const ATTACK = '<script>alert("x")</script>';

/** The page's visible text: tags dropped, entities decoded (enough for our own output). */
function visibleText(html: string): string {
  const body = html.replace(/<style>[\s\S]*?<\/style>/g, ' ').replace(/<svg[\s\S]*?<\/svg>/g, ' ');
  const text = body.replace(/<[^>]+>/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  return normaliseSpaces(text);
}

describe('the invoice HTML view', () => {
  const sample = sampleMasterInvoice();
  const html = renderInvoiceHtml(sample);
  const text = visibleText(html);

  test('is one self-contained page: no external resource, no script', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<html lang="en-US">');
    expect(html).not.toMatch(/<script|<link|\ssrc="http|url\(http/i);
    expect(html).toContain('src="data:image/png;base64,iVBORw0KGgo');
  });

  test('carries the same content as the PDF', () => {
    for (const expected of [
      'INV-000042', 'Northwind Data, Inc.', 'Northwind Data › Edge Labs › ノースウィンド東京', 'Subtotal Edge Labs $2,500.00',
      '95th percentile billed: 748.07 Mbps · Commit: 500 Mbps · Method: nearest rank', 'Data completeness: 8,606 of 8,640 samples (99.60%)',
      'Total $7,469.22', 'Amount due $6,969.22', 'ABA routing no. 021000322', 'Please quote INV-000042 with your payment.',
    ]) {
      expect(text).toContain(expected);
    }
  });

  test('uses semantic tables: a header row, one tbody per account with a rowgroup heading', () => {
    expect(html).toContain('<thead><tr><th scope="col">Description</th>');
    expect(html.match(/<tbody class="group">/g)).toHaveLength(3);
    expect(html.match(/scope="rowgroup"/g)).toHaveLength(3);
  });

  test('draws the evidence graph inline: one path per run of known samples', () => {
    const svg = html.match(/<svg class="percentile-graph"[\s\S]*?<\/svg>/)?.[0] ?? '';
    expect(svg).not.toBe('');
    // The fixture has three outages: four runs per direction, three grey bands.
    expect(svg.match(/class="outbound"/g)).toHaveLength(4);
    expect(svg.match(/class="inbound"/g)).toHaveLength(4);
    expect(svg.match(/class="gap"/g)).toHaveLength(3);
    expect(svg).toContain('class="billed"');
    expect(svg).toContain('class="commit"');
  });

  test('escapes every string that comes from the document', () => {
    const document = structuredClone(sample.document);
    document.customer.name = ATTACK;
    document.customer.legal_name = `${ATTACK} Inc.`;
    document.memo = ATTACK;
    document.po_number = ATTACK;
    document.seller.footer = ATTACK;
    document.tax_notes = [ATTACK];
    const group = document.groups[1];
    if (!group) throw new Error('fixture has three groups');
    group.path = ['Northwind Data', ATTACK];
    group.account_name = ATTACK;
    const line = group.lines[0];
    if (!line) throw new Error('fixture group has lines');
    line.description = ATTACK;
    line.breakdown = [{ description: ATTACK, quantity: null, unit_price: null, amount: '1.00' }];
    const out = renderInvoiceHtml({ ...sample, document });
    expect(out).not.toContain('<script');
    expect(out).toContain(escapeHtml(ATTACK));
    expect(out.split(escapeHtml(ATTACK)).length - 1).toBeGreaterThanOrEqual(9);
  });

  test('refuses brand colours and logos that are not what they claim', () => {
    const document = structuredClone(sample.document);
    document.seller.primary_color = 'red;}</style><script>alert(1)</script><style>';
    document.seller.accent_color = 'url(https://evil.example/x)';
    document.seller.logo = { media_type: 'image/png', base64: '"><script>alert(1)</script>' };
    const out = renderInvoiceHtml({ ...sample, document });
    expect(out).not.toContain('<script');
    expect(out).not.toContain('evil.example');
    expect(out).toContain('--primary:#0b5cad');
    expect(out).not.toContain('<img');
  });

  test('is written in the customer language and format', () => {
    const german = visibleText(renderInvoiceHtml(sampleEuroInvoice()));
    for (const expected of ['Rechnung', 'Rechnungsempfänger', '1.234,56 €', 'Gesamtbetrag 2.090,61 €', 'Steuerschuldnerschaft des Leistungsempfängers']) {
      expect(german).toContain(expected);
    }
  });

  test('marks drafts', () => {
    const out = renderInvoiceHtml({ ...sample, document: { ...sample.document, status: 'draft', number: null } });
    expect(out).toContain('<div class="watermark" aria-hidden="true">DRAFT</div>');
    expect(visibleText(out)).toContain('Invoice number DRAFT');
  });
});

describe('the credit note HTML view', () => {
  test('shows the credit and escapes the reason', () => {
    const note = { ...sampleCreditNote(), reason: ATTACK };
    const html = renderCreditNoteHtml(note);
    const text = visibleText(html);
    expect(html).not.toContain('<script');
    for (const expected of ['Credit note', 'CN-000007', 'For invoice INV-000042', ATTACK, 'Added to your account credit balance', 'Total credited $332.07']) {
      expect(text).toContain(expected);
    }
  });
});
