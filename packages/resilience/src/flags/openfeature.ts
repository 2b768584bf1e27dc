// OpenFeature glue. The toolkit imports only *types* from @openfeature/server-sdk (a lint rule enforces it),
// so `@vigil/resilience` loads without the SDK installed; an application that uses flags brings the SDK and
// hands the supervisor a client. The few runtime values the protocol needs (event names, error codes) are
// spelled here once, and a test checks them against the SDK's own enums.
/* eslint-disable @typescript-eslint/no-unsafe-enum-assignment -- the SDK's enums are types only here */
import type {
  Client,
  ErrorCode,
  ProviderEvents,
  StandardResolutionReasons,
} from '@openfeature/server-sdk';

/**
 * What a {@link FlagSupervisor} needs from an OpenFeature client: boolean evaluation and provider events.
 * Pass `OpenFeature.getClient(domain)` — bind your provider to a domain of its own with
 * `OpenFeature.setProvider(domain, provider)` so it is isolated from other clients in the process.
 */
export type FlagClient = Pick<Client, 'getBooleanDetails' | 'addHandler' | 'removeHandler'>;

export const CONFIGURATION_CHANGED =
  'PROVIDER_CONFIGURATION_CHANGED' as ProviderEvents.ConfigurationChanged;
export const PROVIDER_READY = 'PROVIDER_READY' as ProviderEvents.Ready;
export const PROVIDER_STALE = 'PROVIDER_STALE' as ProviderEvents.Stale;
export const PROVIDER_ERROR = 'PROVIDER_ERROR' as ProviderEvents.Error;

export const FLAG_NOT_FOUND = 'FLAG_NOT_FOUND' as ErrorCode.FLAG_NOT_FOUND;
export const TYPE_MISMATCH = 'TYPE_MISMATCH' as ErrorCode.TYPE_MISMATCH;
export const PARSE_ERROR = 'PARSE_ERROR' as ErrorCode.PARSE_ERROR;
export const GENERAL = 'GENERAL' as ErrorCode.GENERAL;

/** The resolution reasons the toolkit produces. */
export const reasons = {
  STATIC: 'STATIC',
  DISABLED: 'DISABLED',
  ERROR: 'ERROR',
} as const satisfies Partial<typeof StandardResolutionReasons>;

/**
 * Error code of an evaluation that did not answer within the supervisor's `evaluationTimeoutMs` (not an
 * OpenFeature code: the SDK has no timeouts of its own).
 */
export const EVALUATION_TIMEOUT = 'EVALUATION_TIMEOUT';
