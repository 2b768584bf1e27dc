import { amqp } from './amqp/index.js';
import type { CheckKind } from './check-kind.js';
import { dns } from './dns/index.js';
import { http } from './http/index.js';
import { mqtt } from './mqtt/index.js';
import { mysql } from './mysql/index.js';
import { nats } from './nats/index.js';
import { postgres } from './postgres/index.js';
import { redis } from './redis/index.js';
import { push } from './push/index.js';
import { recipe } from './recipe/index.js';
import { tcp } from './tcp/index.js';
import { tls } from './tls/index.js';

/**
 * Every built-in check kind, by the name of its config section. Adding a kind touches its folder and
 * one line here.
 */
export const checkKinds = {
  http,
  tcp,
  tls,
  dns,
  postgres,
  mysql,
  redis,
  amqp,
  mqtt,
  nats,
  push,
  recipe,
} satisfies Record<string, CheckKind>;

export type CheckKindName = keyof typeof checkKinds;
