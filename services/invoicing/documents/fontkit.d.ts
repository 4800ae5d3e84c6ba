/** The part of fontkit (pdfkit's own font engine) the documents use: glyph coverage for font fallback. */
declare module 'fontkit' {
  export interface Font {
    hasGlyphForCodePoint(codePoint: number): boolean;
  }
  export function create(buffer: Buffer): Font;
}
