import { decodeFloat8Array, decodeInt4Array } from '../../../services/metering/sample-read-binary';

/** PostgreSQL's array_send layout, written out field by field. */
function binaryArray(oid: number, width: 4 | 8, values: number[]): Buffer {
  const buf = Buffer.alloc(20 + values.length * (4 + width));
  buf.writeInt32BE(1, 0); // dimensions
  buf.writeInt32BE(0, 4); // no nulls
  buf.writeUInt32BE(oid, 8);
  buf.writeInt32BE(values.length, 12);
  buf.writeInt32BE(1, 16); // lower bound
  values.forEach((v, i) => {
    const at = 20 + i * (4 + width);
    buf.writeInt32BE(width, at);
    if (width === 8) buf.writeDoubleBE(v, at + 4);
    else buf.writeInt32BE(v, at + 4);
  });
  return buf;
}

it('decodes float8[] and integer[]', () => {
  expect([...decodeFloat8Array(binaryArray(701, 8, [0, 1.5, 2 ** 53 - 1, 237_500_000]))]).toEqual([0, 1.5, 2 ** 53 - 1, 237_500_000]);
  expect([...decodeInt4Array(binaryArray(23, 4, [0, 1, 2, 2_147_483_647]))]).toEqual([0, 1, 2, 2_147_483_647]);
});

it('decodes an empty array', () => {
  const empty = Buffer.alloc(12);
  empty.writeUInt32BE(701, 8);
  expect(decodeFloat8Array(empty)).toHaveLength(0);
});

it('refuses another element type, a second dimension, a NULL element or a truncated buffer', () => {
  expect(() => decodeFloat8Array(binaryArray(23, 4, [1]))).toThrow(/element type/);
  const twoDims = binaryArray(701, 8, [1]);
  twoDims.writeInt32BE(2, 0);
  expect(() => decodeFloat8Array(twoDims)).toThrow(/dimensions/);
  const withNull = Buffer.concat([binaryArray(701, 8, [1]).subarray(0, 20), Buffer.from([0xff, 0xff, 0xff, 0xff])]);
  expect(() => decodeFloat8Array(withNull)).toThrow(/non-null/);
  expect(() => decodeInt4Array(binaryArray(23, 4, [1, 2]).subarray(0, 30))).toThrow(/non-null/);
  expect(() => decodeFloat8Array(Buffer.alloc(4))).toThrow(/not a binary array/);
});
