import { isUuid, uuidv7 } from '../../lib/ids';

describe('uuidv7', () => {
  it('is an RFC 9562 version 7 UUID carrying the millisecond timestamp', () => {
    const ms = Date.UTC(2026, 10, 25, 12, 0, 0, 123);
    const id = uuidv7(ms);
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(ms);
  });

  it('sorts in creation order, within one millisecond too', () => {
    const ms = Date.UTC(2027, 0, 1);
    const ids = Array.from({ length: 5000 }, () => uuidv7(ms));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('never goes backwards when the clock does', () => {
    const first = uuidv7(Date.UTC(2028, 0, 1, 0, 0, 1));
    const second = uuidv7(Date.UTC(2028, 0, 1, 0, 0, 0));
    expect(second > first).toBe(true);
  });
});
