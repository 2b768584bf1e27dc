import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { tokenScopes, type AuthService, type NewSession } from '../auth/index.js';
import { forbidden, notFound } from '../errors.js';
import { route, type Principal } from '../route.js';

export const SESSION_COOKIE = 'vigil_session';
export const CSRF_COOKIE = 'vigil_csrf';

/** Whether cookies get the Secure flag: always, never, or when the request came over HTTPS. */
export type SecureCookies = boolean | 'auto';

const credentials = z
  .object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) })
  .strict();
const userResponse = z.object({ user: z.string(), csrf: z.string() });
const tokenView = z.object({
  id: z.string(),
  name: z.string(),
  scope: z.enum(tokenScopes),
  createdAt: z.string(),
  lastUsedAt: z.string().optional(),
});

function setSessionCookies(
  reply: FastifyReply,
  request: FastifyRequest,
  session: NewSession,
  secure: SecureCookies,
): void {
  const options = {
    path: '/',
    sameSite: 'lax' as const,
    secure: secure === 'auto' ? request.protocol === 'https' : secure,
    expires: new Date(session.expiresAt),
  };
  void reply.setCookie(SESSION_COOKIE, session.id, { ...options, httpOnly: true });
  void reply.setCookie(CSRF_COOKIE, session.csrf, { ...options, httpOnly: false });
}

function sessionOnly(principal: Principal): void {
  if (principal.kind !== 'session')
    throw forbidden('API tokens are managed by a signed-in admin, not by another token');
}

/** Sign-in, first-run setup, sign-out and API token management. */
export function authRoutes(auth: AuthService, secure: SecureCookies) {
  return [
    route({
      method: 'GET',
      url: '/auth/status',
      summary: 'Whether setup is needed, who is signed in, and whether the board is public',
      tag: 'auth',
      access: 'public',
      response: z.object({
        setupRequired: z.boolean(),
        user: z.string().optional(),
        publicBoard: z.boolean(),
        csrf: z.string().optional(),
      }),
      handler: async ({ principal }) => ({
        setupRequired: await auth.setupRequired(),
        publicBoard: auth.publicBoard,
        ...(principal.kind === 'session' && principal.user !== undefined
          ? { user: principal.user }
          : {}),
      }),
    }),
    route({
      method: 'POST',
      url: '/auth/setup',
      summary: 'First-run setup: create the admin account with the setup token from the server log',
      tag: 'auth',
      access: 'public',
      body: credentials.extend({ token: z.string().min(1).max(200) }),
      response: userResponse,
      errors: [403, 409],
      handler: async ({ body, raw, reply }) => {
        const session = await auth.setup(body.token, body.username, body.password);
        setSessionCookies(reply, raw, session, secure);
        return { user: session.username, csrf: session.csrf };
      },
    }),
    route({
      method: 'POST',
      url: '/auth/login',
      summary: 'Sign in; sets the session and CSRF cookies',
      tag: 'auth',
      access: 'public',
      body: credentials,
      response: userResponse,
      errors: [401, 429],
      handler: async ({ body, raw, reply }) => {
        const session = await auth.login(body.username, body.password, raw.ip);
        setSessionCookies(reply, raw, session, secure);
        return { user: session.username, csrf: session.csrf };
      },
    }),
    route({
      method: 'POST',
      url: '/auth/logout',
      summary: 'Sign out',
      tag: 'auth',
      access: 'public',
      response: z.object({ ok: z.literal(true) }),
      handler: async ({ raw, reply }) => {
        const id = raw.cookies[SESSION_COOKIE];
        if (id !== undefined) await auth.logout(id);
        void reply.clearCookie(SESSION_COOKIE, { path: '/' });
        void reply.clearCookie(CSRF_COOKIE, { path: '/' });
        return { ok: true as const };
      },
    }),
    route({
      method: 'GET',
      url: '/tokens',
      summary: 'List API tokens (never their secrets)',
      tag: 'auth',
      access: 'write',
      response: z.array(tokenView),
      handler: async ({ principal }) => {
        sessionOnly(principal);
        return (await auth.listTokens()).map((t) => ({
          id: t.id,
          name: t.name,
          scope: t.scope,
          createdAt: new Date(t.createdAt).toISOString(),
          ...(t.lastUsedAt === undefined
            ? {}
            : { lastUsedAt: new Date(t.lastUsedAt).toISOString() }),
        }));
      },
    }),
    route({
      method: 'POST',
      url: '/tokens',
      summary: 'Create an API token; its secret is shown once',
      tag: 'auth',
      access: 'write',
      body: z.object({ name: z.string().min(1).max(100), scope: z.enum(tokenScopes) }).strict(),
      response: tokenView.extend({ token: z.string() }),
      handler: async ({ body, principal }) => {
        sessionOnly(principal);
        const { token, secret } = await auth.createToken(body.name, body.scope);
        return {
          id: token.id,
          name: token.name,
          scope: token.scope,
          createdAt: new Date(token.createdAt).toISOString(),
          token: secret,
        };
      },
    }),
    route({
      method: 'DELETE',
      url: '/tokens/:id',
      summary: 'Revoke an API token',
      tag: 'auth',
      access: 'write',
      params: z.object({ id: z.string().min(1).max(64) }),
      response: z.object({ ok: z.literal(true) }),
      errors: [404],
      handler: async ({ params, principal }) => {
        sessionOnly(principal);
        if (!(await auth.deleteToken(params.id))) throw notFound(`token "${params.id}"`);
        return { ok: true as const };
      },
    }),
  ];
}
