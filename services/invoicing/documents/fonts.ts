import { readFileSync } from 'node:fs';
import { create, type Font } from 'fontkit';

/**
 * The fonts embedded in invoice PDFs. The standard PDF fonts only cover
 * WinAnsi (no "›", no CJK), so every document embeds TrueType fonts, subset
 * to the glyphs used:
 * - DejaVu Sans Condensed (dejavu-fonts-ttf; Bitstream Vera licence plus
 *   public-domain changes, embedding allowed): Latin, Greek, Cyrillic,
 *   currency signs and the arrows and punctuation the layout uses;
 * - Noto Sans JP (@expo-google-fonts/noto-sans-jp; SIL OFL 1.1, embedding
 *   allowed): kana and kanji (also most Hanzi) for the characters DejaVu lacks.
 * Text is split into runs by which font has the glyph (`fontRuns`).
 */
export type FaceName = 'sans' | 'sans-bold' | 'cjk' | 'cjk-bold';

const FACE_FILES: Record<FaceName, string> = {
  sans: 'dejavu-fonts-ttf/ttf/DejaVuSansCondensed.ttf',
  'sans-bold': 'dejavu-fonts-ttf/ttf/DejaVuSansCondensed-Bold.ttf',
  cjk: '@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf',
  'cjk-bold': '@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf',
};

export const FACE_NAMES = Object.keys(FACE_FILES) as FaceName[];

/** Ascent of the primary font (DejaVu: 1901/2048 em), to put a line's baseline below its top. */
export const PRIMARY_ASCENT = 0.928;

// Reading and parsing ~12 MB of fonts once per process, not once per document.
const bytes = new Map<FaceName, Buffer>();
let coverage: { sans: Font; cjk: Font } | null = null;
const fallbackCache = new Map<number, boolean>();

export function fontBytes(face: FaceName): Buffer {
  let data = bytes.get(face);
  if (!data) {
    data = readFileSync(require.resolve(FACE_FILES[face]));
    bytes.set(face, data);
  }
  return data;
}

function needsFallback(codePoint: number): boolean {
  let answer = fallbackCache.get(codePoint);
  if (answer === undefined) {
    coverage ??= { sans: create(fontBytes('sans')), cjk: create(fontBytes('cjk')) };
    answer = !coverage.sans.hasGlyphForCodePoint(codePoint) && coverage.cjk.hasGlyphForCodePoint(codePoint);
    fallbackCache.set(codePoint, answer);
  }
  return answer;
}

export interface FontRun {
  face: FaceName;
  text: string;
}

/**
 * `text` cut into runs that one face can draw. Characters neither font has
 * stay in the primary face (they show as its missing-glyph box, visibly).
 * Spaces join the run they are in, so a Japanese name with spaces stays one run.
 */
export function fontRuns(text: string, bold: boolean): FontRun[] {
  const primary: FaceName = bold ? 'sans-bold' : 'sans';
  const fallback: FaceName = bold ? 'cjk-bold' : 'cjk';
  const runs: FontRun[] = [];
  let current: FontRun | null = null;
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0;
    const face: FaceName = char === ' ' && current ? current.face : needsFallback(codePoint) ? fallback : primary;
    if (current && current.face === face) current.text += char;
    else {
      current = { face, text: char };
      runs.push(current);
    }
  }
  return runs;
}
