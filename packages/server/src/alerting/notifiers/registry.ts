import type { Notifier } from '../notifier.js';
import { discord } from './discord/index.js';
import { email } from './email/index.js';
import { gotify } from './gotify/index.js';
import { matrix } from './matrix/index.js';
import { ntfy } from './ntfy/index.js';
import { opsgenie } from './opsgenie/index.js';
import { pagerduty } from './pagerduty/index.js';
import { pushover } from './pushover/index.js';
import { slack } from './slack/index.js';
import { teams } from './teams/index.js';
import { telegram } from './telegram/index.js';
import { webhook } from './webhook/index.js';

/**
 * Every built-in notifier, by its config `type`. Adding one touches its folder and one line here.
 */
export const notifierTypes = {
  discord,
  email,
  gotify,
  matrix,
  ntfy,
  opsgenie,
  pagerduty,
  pushover,
  slack,
  teams,
  telegram,
  webhook,
} satisfies Record<string, Notifier>;

export type NotifierType = keyof typeof notifierTypes;
