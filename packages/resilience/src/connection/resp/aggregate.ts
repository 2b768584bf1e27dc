import { RespAttributed, RespPush, type RespValue } from './types.js';

/** RESP type bytes. */
export const T = {
  simple: 0x2b, // +
  error: 0x2d, // -
  integer: 0x3a, // :
  bulk: 0x24, // $
  array: 0x2a, // *
  null: 0x5f, // _
  double: 0x2c, // ,
  boolean: 0x23, // #
  blobError: 0x21, // !
  verbatim: 0x3d, // =
  bigNumber: 0x28, // (
  map: 0x25, // %
  set: 0x7e, // ~
  attribute: 0x7c, // |
  push: 0x3e, // >
  end: 0x2e, // .  (ends a streamed aggregate)
  chunk: 0x3b, // ;  (a part of a streamed string)
} as const;

/** An aggregate being filled: its type byte, elements still due (-1: streamed, until `.`), items. */
export interface Aggregate {
  readonly type: number;
  remaining: number;
  readonly items: RespValue[];
  /** Attributes read for the next item (more than one when attribute frames follow each other). */
  attributes: Map<RespValue, RespValue>[] | undefined;
}

/** The value of a completed aggregate. */
export function finish(aggregate: Aggregate, buffers: boolean): RespValue {
  const { items } = aggregate;
  switch (aggregate.type) {
    case T.map:
      return toMap(items);
    case T.set:
      return new Set(items);
    case T.push:
      return new RespPush(items);
    case T.bulk: {
      const joined = Buffer.concat(items as Buffer[]);
      return buffers ? joined : joined.toString('utf8');
    }
    default:
      return items;
  }
}

/** Wraps `value` in its attributes, the first read outermost. */
export function wrap(attributes: Map<RespValue, RespValue>[], value: RespValue): RespValue {
  let wrapped = value;
  for (let i = attributes.length - 1; i >= 0; i--) {
    wrapped = new RespAttributed(attributes[i] as Map<RespValue, RespValue>, wrapped);
  }
  return wrapped;
}

export function toMap(items: RespValue[]): Map<RespValue, RespValue> {
  const map = new Map<RespValue, RespValue>();
  for (let i = 0; i < items.length; i += 2)
    map.set(items[i] as RespValue, items[i + 1] as RespValue);
  return map;
}
