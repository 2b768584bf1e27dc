import { VigilError } from './vigil-error.js';

/** A server's mailbox reached its `maxMailbox` limit; the message was not queued. */
export class MailboxFullError extends VigilError {
  readonly code = 'MAILBOX_FULL' as const;
  readonly retryable = true;

  constructor(
    readonly serverId: string,
    readonly limit: number,
  ) {
    super(
      `mailbox of server "${serverId}" is full (${limit} messages); the server cannot keep up — slow the senders or raise maxMailbox`,
    );
  }
}
