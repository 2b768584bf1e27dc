/** Parsing of RESP header numbers and scalars, straight from bytes. */

/** An error for bytes that are not valid RESP; the connection turns it into `PROTOCOL_ERROR`. */
export function protocolFault(detail: string): Error {
  return new Error(`invalid RESP: ${detail}`);
}

/** A length or count: a non-negative integer, or -1 (null). */
export function parseLength(buf: Buffer, start: number, end: number): number {
  if (buf[start] === 0x2d) {
    if (end === start + 2 && buf[start + 1] === 0x31) return -1;
    throw protocolFault('a negative length other than -1');
  }
  if (end === start || end - start > 15) throw protocolFault('a missing or oversized length');
  let n = 0;
  for (let i = start; i < end; i++) {
    const digit = (buf[i] as number) - 48;
    if (digit < 0 || digit > 9) throw protocolFault('a length that is not a number');
    n = n * 10 + digit;
  }
  return n;
}

/** A RESP integer (`:`): a number, or a bigint when it does not fit a double exactly. */
export function parseInteger(buf: Buffer, start: number, end: number): number | bigint {
  const negative = buf[start] === 0x2d;
  const first = negative || buf[start] === 0x2b ? start + 1 : start;
  const digits = end - first;
  if (digits <= 0 || digits > 20) throw protocolFault('an integer with no or too many digits');
  if (digits <= 15) {
    let n = 0;
    for (let i = first; i < end; i++) {
      const digit = (buf[i] as number) - 48;
      if (digit < 0 || digit > 9) throw protocolFault('an integer that is not a number');
      n = n * 10 + digit;
    }
    return negative ? 0 - n : n; // 0 - 0 is +0, never -0
  }
  const text = buf.toString('latin1', first, end);
  if (!/^\d+$/.test(text)) throw protocolFault('an integer that is not a number');
  const big = negative ? -BigInt(text) : BigInt(text);
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(big)
    : big;
}

/** A RESP3 double (`,`), including `inf`, `-inf` and `nan`. */
export function parseDouble(text: string): number {
  switch (text) {
    case 'inf':
    case '+inf':
      return Infinity;
    case '-inf':
      return -Infinity;
    case 'nan':
    case '-nan':
      return NaN;
  }
  const n = Number(text);
  if (text.trim() !== text || text === '' || Number.isNaN(n)) {
    throw protocolFault(`a bad double "${text}"`);
  }
  return n;
}
