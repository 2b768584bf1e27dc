import type { AlertEvent, AlertMessage } from '../../alert.js';
import { colorOf, escapeHtml, eventFacts, eventLine, iso, listed, moreLine } from '../text.js';

/** How many events an email details; the rest are counted. */
export const MAX_EMAIL_EVENTS = 100;

const CSS_COLORS = { red: '#e01e5a', green: '#2eb67d', amber: '#d99a00', blue: '#1d7fc4' } as const;

function eventText(event: AlertEvent): string {
  const facts = eventFacts(event).map(([k, v]) => `    ${k}: ${v}`);
  const link = event.monitor.url === undefined ? [] : [`    Link: ${event.monitor.url}`];
  return [`* ${eventLine(event)}`, ...facts, ...link].join('\n');
}

/** The plain-text body: the title, each event with its facts, a footer. */
export function emailText(message: AlertMessage): string {
  const { shown, more } = listed(message, MAX_EMAIL_EVENTS);
  const parts = [message.title, '', ...shown.map(eventText)];
  if (more > 0) parts.push('', moreLine(more));
  parts.push('', `-- Vigil, rule ${message.rule}, ${iso(message.events.at(-1)?.at ?? 0)}`);
  return `${parts.join('\n')}\n`;
}

function eventHtmlBlock(event: AlertEvent): string {
  const color = CSS_COLORS[colorOf(event)];
  const rows = eventFacts(event)
    .map(
      ([k, v]) =>
        `<tr><td style="color:#666;padding:2px 12px 2px 0">${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`,
    )
    .join('');
  const name = escapeHtml(event.monitor.name);
  const named =
    event.monitor.url === undefined
      ? name
      : `<a href="${escapeHtml(event.monitor.url)}">${name}</a>`;
  const headline = escapeHtml(eventLine(event)).replace(name, named);
  return (
    `<div style="border-left:4px solid ${color};padding:4px 12px;margin:12px 0">` +
    `<p style="margin:0 0 6px;font-weight:bold">${headline}</p>` +
    `<table style="font-size:13px;border-collapse:collapse">${rows}</table></div>`
  );
}

/** The HTML body: the same content as the text, every value escaped, inline styles only. */
export function emailHtml(message: AlertMessage): string {
  const { shown, more } = listed(message, MAX_EMAIL_EVENTS);
  const blocks = shown.map(eventHtmlBlock).join('\n');
  const tail = more > 0 ? `<p>${escapeHtml(moreLine(more))}</p>` : '';
  return [
    '<!doctype html><html><body style="font-family:sans-serif;font-size:14px">',
    `<h2 style="margin:0 0 8px">${escapeHtml(message.title)}</h2>`,
    blocks,
    tail,
    `<p style="color:#888;font-size:12px">Vigil · rule ${escapeHtml(message.rule)} · ${iso(message.events.at(-1)?.at ?? 0)}</p>`,
    '</body></html>',
  ].join('\n');
}
