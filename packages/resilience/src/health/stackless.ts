/**
 * Builds an error without capturing a stack trace. Capturing one costs several µs — most of what it takes
 * a checker to handle a drop — and the stack of an error made in a socket's event handler shows only
 * Node's internals. Safe because JavaScript runs one thing at a time: the limit is restored before
 * anything else can run.
 */
export function stackless<E>(make: () => E): E {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
