/** The server on the port does not speak the check's protocol (judged from the first bytes it sent). */
export class WrongProtocolError extends Error {
  readonly code = 'WRONG_PROTOCOL';

  constructor(message: string) {
    super(message);
    this.name = 'WrongProtocolError';
  }
}
