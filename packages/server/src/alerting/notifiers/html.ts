import type { AlertEvent, AlertMessage } from '../alert.js';
import { colorOf, escapeHtml, kindLabels, moreLine, truncate } from './text.js';

const MARKS = { red: '🔴', green: '🟢', amber: '🟠', blue: '🔵' } as const;

/** `🔴 <b>db</b> is <b>DOWN</b>: reason` with every value HTML-escaped (Telegram, Matrix, Pushover). */
export function eventHtml(event: AlertEvent, link = true): string {
  const name = `<b>${escapeHtml(truncate(event.monitor.name, 200))}</b>`;
  const named =
    link && event.monitor.url !== undefined
      ? `<a href="${escapeHtml(event.monitor.url)}">${name}</a>`
      : name;
  const reason = event.reason === '' ? '' : `: ${escapeHtml(truncate(event.reason, 500))}`;
  return `${MARKS[colorOf(event)]} ${named} is <b>${kindLabels[event.kind]}</b>${reason}`;
}

/**
 * The message as HTML — a bold title, then one line per event — cut at whole lines to stay within
 * `maxChars` (a cut tag or entity would be refused), ending in `…and N more` when cut.
 */
export function messageHtml(
  message: AlertMessage,
  maxChars: number,
  separator = '\n',
  link = true,
): string {
  let out = `<b>${escapeHtml(truncate(message.title, 300))}</b>${separator}`;
  const events = message.events;
  for (const [i, event] of events.entries()) {
    const line = `${separator}${eventHtml(event, link)}`;
    const after = events.length - i - 1;
    const reserve = after > 0 ? separator.length + moreLine(after).length : 0;
    if (out.length + line.length + reserve > maxChars)
      return `${out}${separator}${moreLine(events.length - i)}`;
    out += line;
  }
  return out;
}
