import { defineCheckKind } from '../check-kind.js';
import { secureContextCache } from '../tls/index.js';
import { KeptConnections } from './kept-connections.js';
import { prepareHttp } from './prepare.js';
import { runHttp } from './run-http.js';
import { httpSchema } from './schema.js';

export type { HttpCheckConfig } from './schema.js';

/**
 * `http`: requests a URL (following redirects), reads the body up to a cap and asserts on status, JSON
 * values, body text, headers, response time and the certificate's expiry, with measured timing phases.
 */
export const http = defineCheckKind({
  name: 'http',
  description: 'HTTP(S) request with assertions on status, JSON, body, headers and timing',
  schema: httpSchema,
  create(config, deps) {
    const prepared = prepareHttp(config);
    const contexts = secureContextCache();
    const kept = new KeptConnections(config.keepAlive);
    return {
      run: (ctx) => runHttp(prepared, deps, contexts, kept, ctx),
      close: () => kept.close(),
    };
  },
});
