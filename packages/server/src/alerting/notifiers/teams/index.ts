import { z } from 'zod';
import type { AlertEvent, AlertMessage } from '../../alert.js';
import { defineNotifier } from '../../notifier.js';
import { sendHttp } from '../http.js';
import {
  colorOf,
  eventFacts,
  eventLine,
  iso,
  listed,
  messageColor,
  moreLine,
  truncate,
} from '../text.js';
import { endpointUrl, urlSecrets } from '../url.js';

const schema = z.strictObject({
  /** The URL of a Teams workflow ("Post to a channel when a webhook request is received"); a secret. */
  webhookUrl: endpointUrl,
  /** How many events a grouped message details before `…and N more`. Default 10. */
  maxListed: z.number().int().min(1).max(30).default(10),
});

const TEXT_COLORS = { red: 'Attention', green: 'Good', amber: 'Warning', blue: 'Accent' } as const;

/** An Adaptive Card element, as far as Vigil builds them. */
export type CardElement =
  | {
      readonly type: 'TextBlock';
      readonly text: string;
      readonly wrap: true;
      readonly weight?: 'Bolder';
      readonly size?: 'Medium';
      readonly color?: string;
      readonly isSubtle?: true;
      readonly spacing?: 'Medium';
    }
  | { readonly type: 'FactSet'; readonly facts: readonly { title: string; value: string }[] }
  | {
      readonly type: 'Container';
      readonly separator: true;
      readonly items: readonly CardElement[];
    };

/** A workflow webhook message carrying one Adaptive Card (version 1.4, which Teams renders). */
export interface TeamsPayload {
  readonly type: 'message';
  readonly attachments: readonly [
    {
      readonly contentType: 'application/vnd.microsoft.card.adaptive';
      readonly contentUrl: null;
      readonly content: {
        readonly $schema: string;
        readonly type: 'AdaptiveCard';
        readonly version: '1.4';
        readonly body: readonly CardElement[];
        readonly actions?: readonly { type: 'Action.OpenUrl'; title: string; url: string }[];
        readonly msteams: { readonly width: 'Full' };
      };
    },
  ];
}

function eventContainer(event: AlertEvent): CardElement {
  return {
    type: 'Container',
    separator: true,
    items: [
      {
        type: 'TextBlock',
        text: truncate(eventLine(event), 1000),
        wrap: true,
        color: TEXT_COLORS[colorOf(event)],
        weight: 'Bolder',
      },
      {
        type: 'FactSet',
        facts: eventFacts(event).map(([title, value]) => ({ title, value: truncate(value, 300) })),
      },
    ],
  };
}

function bodyOf(message: AlertMessage, maxListed: number): CardElement[] {
  const { shown, more } = listed(message, maxListed);
  const body: CardElement[] = [
    {
      type: 'TextBlock',
      text: truncate(message.title, 300),
      wrap: true,
      weight: 'Bolder',
      size: 'Medium',
      color: TEXT_COLORS[messageColor(message)],
    },
    ...shown.map(eventContainer),
  ];
  if (more > 0)
    body.push({ type: 'TextBlock', text: moreLine(more), wrap: true, spacing: 'Medium' });
  const last = message.events.at(-1);
  body.push({
    type: 'TextBlock',
    text: `Vigil · rule ${message.rule}${last === undefined ? '' : ` · ${iso(last.at)}`}`,
    wrap: true,
    isSubtle: true,
  });
  return body;
}

/** Microsoft Teams through a workflow webhook: one Adaptive Card per message, a section per event. */
export const teams = defineNotifier({
  type: 'teams',
  description: 'Microsoft Teams workflow webhook with an Adaptive Card',
  schema,
  render(message, config): TeamsPayload[] {
    const links = message.events
      .slice(0, 3)
      .flatMap((e) =>
        e.monitor.url === undefined ? [] : [{ name: e.monitor.name, url: e.monitor.url }],
      );
    return [
      {
        type: 'message',
        attachments: [
          {
            contentType: 'application/vnd.microsoft.card.adaptive',
            contentUrl: null,
            content: {
              $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
              type: 'AdaptiveCard',
              version: '1.4',
              body: bodyOf(message, config.maxListed),
              ...(links.length === 0
                ? {}
                : {
                    actions: links.map((l) => ({
                      type: 'Action.OpenUrl' as const,
                      title: truncate(`Open ${l.name}`, 80),
                      url: l.url,
                    })),
                  }),
              msteams: { width: 'Full' },
            },
          },
        ],
      },
    ];
  },
  send(payload, config, ctx) {
    return sendHttp(
      {
        service: 'Teams',
        url: config.webhookUrl,
        body: JSON.stringify(payload),
        secrets: urlSecrets(config.webhookUrl),
      },
      ctx,
    );
  },
});
