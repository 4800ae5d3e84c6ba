/**
 * Where a JSON text first goes wrong, as a character offset: V8's
 * `JSON.parse` names the position of most errors but not of an unexpected
 * token ("Unexpected token '}', ... is not valid JSON"), and a person fixing
 * a file needs the line and column. Only called on text that failed to parse;
 * follows RFC 8259 and stops at the first character that cannot continue it.
 */
const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

class Stop {
  constructor(readonly offset: number) {}
}

export function jsonErrorOffset(text: string): number {
  let i = 0;
  const stop = (): never => {
    throw new Stop(i);
  };
  const skipWhitespace = () => {
    while (i < text.length && WHITESPACE.has(text[i]!)) i += 1;
  };
  const expect = (char: string) => {
    skipWhitespace();
    if (text[i] !== char) stop();
    i += 1;
  };
  const string = () => {
    expect('"');
    for (;;) {
      const char = text[i];
      if (char === undefined || char.charCodeAt(0) < 0x20) stop();
      i += 1;
      if (char === '"') return;
      if (char !== '\\') continue;
      if (ESCAPES.has(text[i] ?? '')) i += 1;
      else if (text[i] === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) i += 5;
      else stop();
    }
  };
  const list = (close: string, item: () => void) => {
    i += 1;
    skipWhitespace();
    if (text[i] === close) {
      i += 1;
      return;
    }
    for (;;) {
      item();
      skipWhitespace();
      if (text[i] === ',') i += 1;
      else return expect(close);
    }
  };
  const value = (): void => {
    skipWhitespace();
    const char = text[i];
    if (char === '{') return list('}', () => (string(), expect(':'), value()));
    if (char === '[') return list(']', value);
    if (char === '"') return string();
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return;
      }
    }
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(text);
    if (!number) stop();
    i += number![0].length;
  };
  try {
    value();
    skipWhitespace();
    return i;
  } catch (error) {
    if (error instanceof Stop) return error.offset;
    // Nesting deeper than the stack: no better answer than the end.
    return text.length;
  }
}
