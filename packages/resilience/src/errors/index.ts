export {
  VigilError,
  isVigilError,
  hasErrorCode,
  isRetryable,
  isAbortError,
} from './vigil-error.js';
export type { VigilErrorOptions } from './vigil-error.js';
export { TimeoutError } from './timeout-error.js';
export { CallTimeoutError } from './call-timeout-error.js';
export { NotRunningError } from './not-running-error.js';
export { MailboxFullError } from './mailbox-full-error.js';
export { RetryExhaustedError } from './retry-exhausted-error.js';
export { RestartIntensityError } from './restart-intensity-error.js';
export { StartFailedError } from './start-failed-error.js';
export { MaxChildrenError } from './max-children-error.js';
export { AlreadyStartedError } from './already-started-error.js';
export { ShutdownTimeoutError } from './shutdown-timeout-error.js';
export { QueueFullError } from './queue-full-error.js';
export { ConnectionLostError } from './connection-lost-error.js';
export { RequestTimeoutError } from './request-timeout-error.js';
export { ProtocolError } from './protocol-error.js';
export { ConnectionClosedError } from './connection-closed-error.js';
export { ConnectFailedError } from './connect-failed-error.js';
export { AcquireTimeoutError } from './acquire-timeout-error.js';
export { PoolClosedError } from './pool-closed-error.js';
export { RedisReplyError, isRedisReplyError } from './redis-reply-error.js';
export { FlagFileError } from './flag-file-error.js';
export { MaxRetriesExceededError } from './max-retries-exceeded-error.js';
export { PeerClosedError } from './peer-closed-error.js';
