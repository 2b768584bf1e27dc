export { AuthService, safeEqual } from './auth-service.js';
export type { AuthServiceOptions, Authenticated, Credentials, NewSession } from './auth-service.js';
export { memoryAuthStore, tokenScopes } from './auth-store.js';
export type {
  AuthStore,
  SessionRecord,
  TokenRecord,
  TokenScope,
  UserRecord,
} from './auth-store.js';
export { LoginLimiter } from './rate-limit.js';
export { hashPassword, passwordProblem, verifyPassword } from './passwords.js';
