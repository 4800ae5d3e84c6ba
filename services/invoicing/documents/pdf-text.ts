import { FACE_NAMES, fontBytes, fontRuns, PRIMARY_ASCENT, type FaceName } from './fonts';

/**
 * Text on a PDF page with font fallback and our own line breaking. pdfkit's
 * wrapper knows one font per call; a customer name mixing Latin and kanji
 * needs two, so text is measured and drawn run by run (fonts.ts) at explicit
 * positions. Knowing every block's height before drawing it is also what
 * lets the layout paginate without pdfkit adding pages on its own.
 */
export interface TextStyle {
  size: number;
  bold?: boolean;
  color?: string;
}

export type Align = 'left' | 'right' | 'center';

const LINE_SPACING = 1.22;
// Kana, kanji, hangul and full-width forms may break anywhere; other scripts break at spaces.
const BREAK_ANYWHERE = /[\u3000-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/u;

export class PdfText {
  constructor(private readonly doc: PDFKit.PDFDocument) {
    for (const face of FACE_NAMES) doc.registerFont(face, fontBytes(face));
  }

  lineHeight(style: TextStyle): number {
    return style.size * LINE_SPACING;
  }

  width(text: string, style: TextStyle): number {
    let total = 0;
    for (const run of fontRuns(text, style.bold ?? false)) total += this.runWidth(run.face, run.text, style.size);
    return total;
  }

  /** `text` broken into lines no wider than `width` (explicit newlines kept). */
  wrap(text: string, style: TextStyle, width: number): string[] {
    const lines: string[] = [];
    for (const paragraph of text.split('\n')) {
      let line = '';
      for (const token of tokens(paragraph)) {
        const candidate = line === '' ? token.trimStart() : line + token;
        if (line !== '' && this.width(candidate, style) > width) {
          lines.push(line.trimEnd());
          line = token.trimStart();
        } else line = candidate;
        // A single token wider than the column (a long id) is cut by characters.
        while (this.width(line, style) > width && [...line].length > 1) {
          const [head, tail] = this.cut(line, style, width);
          lines.push(head);
          line = tail;
        }
      }
      lines.push(line.trimEnd());
    }
    return lines;
  }

  /** Height of `text` wrapped to `width`. */
  height(text: string, style: TextStyle, width: number): number {
    return this.wrap(text, style, width).length * this.lineHeight(style);
  }

  /** One line whose box starts at `top`; `width` is the box for right and centre alignment. */
  line(text: string, x: number, top: number, style: TextStyle, align: Align = 'left', width = 0): void {
    const textWidth = align === 'left' ? 0 : this.width(text, style);
    let cursor = align === 'right' ? x + width - textWidth : align === 'center' ? x + (width - textWidth) / 2 : x;
    const baseline = top + style.size * PRIMARY_ASCENT + (this.lineHeight(style) - style.size) / 2;
    this.doc.fillColor(style.color ?? '#1a1a1a');
    for (const run of fontRuns(text, style.bold ?? false)) {
      this.doc.font(run.face).fontSize(style.size).text(run.text, cursor, baseline, { lineBreak: false, baseline: 'alphabetic' });
      cursor += this.runWidth(run.face, run.text, style.size);
    }
  }

  /** `text` wrapped to `width` from `top`; returns the height used. */
  block(text: string, x: number, top: number, width: number, style: TextStyle, align: Align = 'left'): number {
    const lines = this.wrap(text, style, width);
    lines.forEach((line, i) => this.line(line, x, top + i * this.lineHeight(style), style, align, width));
    return lines.length * this.lineHeight(style);
  }

  private runWidth(face: FaceName, text: string, size: number): number {
    return this.doc.font(face).fontSize(size).widthOfString(text);
  }

  /** The longest head of `line` that fits, and the rest. */
  private cut(line: string, style: TextStyle, width: number): [string, string] {
    const chars = [...line];
    let fit = 1;
    while (fit < chars.length && this.width(chars.slice(0, fit + 1).join(''), style) <= width) fit++;
    return [chars.slice(0, fit).join(''), chars.slice(fit).join('')];
  }
}

/** Words with their leading space; CJK characters one token each. */
function tokens(text: string): string[] {
  const out: string[] = [];
  for (const word of text.match(/\s*\S+/g) ?? []) {
    if (!BREAK_ANYWHERE.test(word)) {
      out.push(word);
      continue;
    }
    let pending = '';
    for (const char of word) {
      if (BREAK_ANYWHERE.test(char)) {
        if (pending) out.push(pending);
        out.push(char);
        pending = '';
      } else pending += char;
    }
    if (pending) out.push(pending);
  }
  return out;
}
