import type { CheckKind } from './check-kind.js';
import { http } from './http/index.js';
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
} satisfies Record<string, CheckKind>;

export type CheckKindName = keyof typeof checkKinds;
