import PDFDocument from 'pdfkit';
import { PdfText, type TextStyle } from './pdf-text';

/**
 * A PDF document with our page chrome and a top-to-bottom flow. pdfkit's
 * margins are zero so it never breaks a page by itself; the flow does, when
 * the next block does not fit, and then redraws the page header, the
 * watermark and whatever the open table needs repeated (its header row).
 *
 * Same input, same bytes: pdfkit derives the file ID from the info
 * dictionary, so a fixed CreationDate (from the document, never the clock)
 * makes the output reproducible; font subset tags come from font ids.
 */
export interface PdfSetup {
  paper: 'A4' | 'LETTER';
  title: string;
  author: string;
  subject: string;
  createdAt: Date;
  language: string;
}

export interface PageChrome {
  /** Drawn behind the content of every page ("DRAFT"). */
  watermark: string | null;
  /** Left of the footer on every page (the seller's footer). */
  footer: string | null;
  /** Centre of the footer (document reference). */
  reference: string;
  pageLabel: (n: number, of: number) => string;
  /** Top of pages after the first. */
  runningHeader: (flow: PdfFlow) => void;
}

export const MARGIN = 40;
const FOOTER_HEIGHT = 34;
export const GREY = '#5f6368';
export const RULE = '#d9dce1';

export class PdfFlow {
  readonly doc: PDFKit.PDFDocument;
  readonly text: PdfText;
  readonly left = MARGIN;
  readonly right: number;
  readonly width: number;
  readonly bottom: number;
  y = MARGIN;
  /** Called on each new page after the running header: the open table redraws its header. */
  continuation: (() => void) | null = null;
  private readonly chunks: Buffer[] = [];
  private readonly finished: Promise<void>;

  constructor(setup: PdfSetup, private readonly chrome: PageChrome) {
    this.doc = new PDFDocument({
      size: setup.paper,
      margin: 0,
      autoFirstPage: false,
      bufferPages: true,
      pdfVersion: '1.7',
      lang: setup.language,
      displayTitle: true,
      info: { Title: setup.title, Author: setup.author, Subject: setup.subject, Creator: 'Rackrate', Producer: 'Rackrate (PDFKit)', CreationDate: setup.createdAt },
    });
    this.doc.on('data', (chunk: Buffer) => this.chunks.push(chunk));
    this.finished = new Promise((resolve, reject) => {
      this.doc.on('end', resolve);
      this.doc.on('error', reject);
    });
    this.text = new PdfText(this.doc);
    this.addPage(true);
    this.right = this.doc.page.width - MARGIN;
    this.width = this.right - this.left;
    this.bottom = this.doc.page.height - MARGIN - FOOTER_HEIGHT;
  }

  /** Makes room for `height`: a new page when the rest of this one is too short. Returns whether it broke the page. */
  ensure(height: number): boolean {
    if (this.y + height <= this.bottom) return false;
    this.addPage(false);
    return true;
  }

  /** Text wrapped to the full width at the cursor, moving it down. */
  paragraph(text: string, style: TextStyle, gapAfter = 4): void {
    const lines = this.text.wrap(text, style, this.width);
    for (const line of lines) {
      this.ensure(this.text.lineHeight(style));
      this.text.line(line, this.left, this.y, style);
      this.y += this.text.lineHeight(style);
    }
    this.y += gapAfter;
  }

  rule(color = RULE, weight = 0.6): void {
    this.doc.moveTo(this.left, this.y).lineTo(this.right, this.y).lineWidth(weight).strokeColor(color).stroke();
  }

  async finish(): Promise<Buffer> {
    const range = this.doc.bufferedPageRange();
    for (let i = 0; i < range.count; i++) {
      this.doc.switchToPage(range.start + i);
      this.drawFooter(i + 1, range.count);
    }
    this.doc.end();
    await this.finished;
    return Buffer.concat(this.chunks);
  }

  private addPage(first: boolean): void {
    this.doc.addPage();
    this.y = MARGIN;
    if (this.chrome.watermark) this.drawWatermark(this.chrome.watermark);
    if (!first) {
      this.chrome.runningHeader(this);
      this.continuation?.();
    }
  }

  private drawWatermark(word: string): void {
    const { width, height } = this.doc.page;
    const style = { size: 110, bold: true, color: '#c62828' };
    this.doc.save();
    this.doc.rotate(-35, { origin: [width / 2, height / 2] });
    this.doc.fillOpacity(0.09);
    this.text.line(word, 0, height / 2 - this.text.lineHeight(style) / 2, style, 'center', width);
    this.doc.restore();
  }

  private drawFooter(n: number, of: number): void {
    const top = this.doc.page.height - MARGIN - FOOTER_HEIGHT + 12;
    this.doc.moveTo(this.left, top - 6).lineTo(this.right, top - 6).lineWidth(0.5).strokeColor(RULE).stroke();
    const small = { size: 7, color: GREY };
    const pageText = this.chrome.pageLabel(n, of);
    const side = 110;
    if (this.chrome.footer) this.text.block(this.chrome.footer, this.left, top, this.width - 2 * side - 12, small);
    this.text.line(this.chrome.reference, this.right - 2 * side, top, small, 'right', side);
    this.text.line(pageText, this.right - side, top, { ...small, bold: true }, 'right', side);
  }
}

/** `hex` mixed with white: 0 = the colour, 1 = white. Tints for table bands from the brand colours. */
export function tint(hex: string, whiteShare: number): string {
  const channel = (i: number) => {
    const value = Number.parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16);
    return Math.round(value + (255 - value) * whiteShare).toString(16).padStart(2, '0');
  };
  return `#${channel(0)}${channel(1)}${channel(2)}`;
}
