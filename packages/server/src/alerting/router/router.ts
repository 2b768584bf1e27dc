import type { Clock, Timer } from '@vigil/resilience';
import type { AlertRuleConfig, Config, MonitorConfig } from '../../config/index.js';
import type { ChangeEvent, CheckedEvent, MonitorState, Status } from '../../engine/index.js';
import type { OutboxIntent } from '../../store/index.js';
import type { AlertEvent, AlertKind, Severity } from '../alert.js';
import type { AlertPayload } from '../intent.js';
import { ruleMatches } from './match.js';
import { isMuted, severityOf } from './policy.js';

/** Options of {@link createAlertRouter}. */
export interface AlertRouterOptions {
  readonly clock: Clock;
  readonly config: Pick<Config, 'monitors' | 'alerts'>;
  /**
   * Writes intents no state change raised (reminders, certificates, flapping resolved, a down monitor
   * whose parent recovered) to the outbox.
   */
  readonly enqueue: (monitorId: string, intents: readonly OutboxIntent[]) => Promise<unknown>;
  /** Told about a failed `enqueue` (the alert is then lost: the store is closing or unreachable). */
  readonly onError?: (error: unknown, monitorId: string) => void;
  /** The board's public address, for links in alerts. */
  readonly publicUrl?: string;
}

/** Where one rule stands with one monitor. Runtime state, kept apart from the read-only config. */
interface Track {
  /** What the receivers were last told: nothing open, a trigger, a degraded alert. */
  open: 'none' | 'down' | 'degraded';
  flapping: boolean;
  /** Times of recent status changes (wall ms), for flapping. */
  transitions: number[];
  /** A down that was muted (maintenance, parent down): alert once it no longer is. */
  mutedDown: boolean;
  /** A certificate alert was sent and the certificate has not been renewed since. */
  certificate: boolean;
  reminder: Timer | undefined;
  quiet: Timer | undefined;
}

const settled: readonly Status[] = ['up', 'down', 'degraded'];

/**
 * Turns the engine's state changes into alert intents, by the `alerts:` rules: a trigger when a monitor
 * goes down, a resolve when it comes back, degraded, flapping (one alert while it flaps), certificate
 * expiry and reminders; muted under maintenance and while a `dependsOn` parent is down. Events of a rule
 * within its `groupWait` share a group, so the delivery worker sends them as one message.
 */
export class AlertRouter {
  readonly #o: AlertRouterOptions;
  #rules: readonly AlertRuleConfig[];
  #monitors = new Map<string, MonitorConfig>();
  readonly #states = new Map<string, MonitorState>();
  readonly #tracks = new Map<string, Track>();
  /** Open group of each rule: its flush time (wall ms). */
  readonly #groups = new Map<string, number>();
  /** Last `notBefore` per notifier and monitor: later alerts are never due before earlier ones. */
  readonly #due = new Map<string, number>();
  #closed = false;

  constructor(options: AlertRouterOptions) {
    this.#o = options;
    this.#rules = options.config.alerts;
    for (const m of options.config.monitors) this.#monitors.set(m.id, m);
  }

  /**
   * Resumes after a restart from the persisted states: a monitor that is down was alerted (or its alert
   * waits in the outbox), so it resolves when it comes back, and reminders go on.
   */
  restore(states: ReadonlyMap<string, MonitorState>): void {
    for (const [id, state] of states) {
      const monitor = this.#monitors.get(id);
      if (monitor === undefined) continue;
      this.#states.set(id, state);
      for (const rule of this.#rulesOf(monitor)) {
        const track = this.#track(rule, id);
        if (state.status === 'down' && rule.events.includes('down')) {
          track.open = 'down';
          this.#armReminder(rule, monitor, track);
        } else if (state.status === 'degraded' && rule.events.includes('degraded'))
          track.open = 'degraded';
      }
    }
  }

  /** The intents one state change raises: write them in the change's transaction. */
  onChange(event: ChangeEvent): OutboxIntent[] {
    const monitor = this.#monitors.get(event.monitorId);
    if (monitor === undefined || this.#closed) return [];
    this.#states.set(monitor.id, event.state);
    const now = this.#o.clock.now();
    const intents: OutboxIntent[] = [];
    for (const rule of this.#rulesOf(monitor)) {
      const events = this.#changeEvents(rule, monitor, event, now);
      intents.push(...this.#intents(rule, monitor.id, events, now));
    }
    return intents;
  }

  /**
   * Watches check results for what is not a status change: a certificate close to expiry, and a down
   * monitor that is no longer muted (its parent recovered).
   */
  onChecked(event: CheckedEvent): void {
    const monitor = this.#monitors.get(event.monitorId);
    if (monitor === undefined || this.#closed) return;
    this.#states.set(monitor.id, event.state);
    const now = this.#o.clock.now();
    const daysLeft = event.result.details?.daysLeft;
    const muted = isMuted(event.state);
    for (const rule of this.#rulesOf(monitor)) {
      const track = this.#track(rule, monitor.id);
      const events: AlertEvent[] = [];
      if (typeof daysLeft === 'number' && rule.events.includes('certificate')) {
        if (daysLeft > rule.certificateDays) track.certificate = false;
        else if (!track.certificate && !muted) {
          track.certificate = true;
          events.push(
            this.#event('certificate', rule, monitor, event.state, event.state.status, now, {
              severity: daysLeft <= 3 ? 'error' : 'warning',
              details: { daysLeft },
              dedupSuffix: '/certificate',
            }),
          );
        }
      }
      if (event.state.status === 'down' && !muted && track.mutedDown && !track.flapping) {
        track.mutedDown = false;
        events.push(...this.#down(rule, monitor, track, event.state, event.state.status, now));
      }
      this.#send(rule, monitor.id, events, now);
    }
  }

  /** Takes a reloaded config: new rules and monitors apply to what happens next. */
  apply(config: Pick<Config, 'monitors' | 'alerts'>): void {
    this.#rules = config.alerts;
    this.#monitors = new Map(config.monitors.map((m) => [m.id, m]));
    for (const [key, track] of this.#tracks) {
      const [rule, monitor] = splitKey(key);
      if (this.#rules.some((r) => r.name === rule) && this.#monitors.has(monitor)) continue;
      track.reminder?.cancel();
      track.quiet?.cancel();
      this.#tracks.delete(key);
    }
  }

  /** Stops every reminder and flapping timer. */
  close(): void {
    this.#closed = true;
    for (const track of this.#tracks.values()) {
      track.reminder?.cancel();
      track.quiet?.cancel();
    }
  }

  #rulesOf(monitor: MonitorConfig): AlertRuleConfig[] {
    return this.#rules.filter((r) => ruleMatches(r, monitor));
  }

  #track(rule: AlertRuleConfig, monitorId: string): Track {
    const key = `${rule.name}\u0000${monitorId}`;
    let track = this.#tracks.get(key);
    if (track === undefined) {
      track = {
        open: 'none',
        flapping: false,
        transitions: [],
        mutedDown: false,
        certificate: false,
        reminder: undefined,
        quiet: undefined,
      };
      this.#tracks.set(key, track);
    }
    return track;
  }

  #changeEvents(
    rule: AlertRuleConfig,
    monitor: MonitorConfig,
    event: ChangeEvent,
    now: number,
  ): AlertEvent[] {
    const { change, state } = event;
    const track = this.#track(rule, monitor.id);
    const muted = isMuted(state);
    const events: AlertEvent[] = [];
    if (rule.flapping !== undefined && settled.includes(change.to)) {
      const { transitions, windowMs } = rule.flapping;
      track.transitions = [...track.transitions.filter((t) => t > now - windowMs), now];
      track.quiet?.cancel();
      track.quiet = this.#o.clock.setTimer(windowMs, () => this.#calm(rule, monitor.id));
      if (!track.flapping && track.transitions.length >= transitions && !muted) {
        track.flapping = true;
        // One flapping alert instead: what was open is resolved, and nothing pages until it calms.
        if (track.open !== 'none')
          events.push(this.#event('resolve', rule, monitor, state, change.from, now));
        track.open = 'none';
        this.#stopReminder(track);
        if (rule.events.includes('flapping'))
          events.push(
            this.#event('flapping', rule, monitor, state, change.from, now, {
              severity: 'warning',
              details: { transitions: track.transitions.length, windowMs },
              dedupSuffix: '/flapping',
            }),
          );
      }
    }
    if (track.flapping) return events;
    if (change.to === 'down') {
      if (muted) track.mutedDown = true;
      else events.push(...this.#down(rule, monitor, track, state, change.from, now));
    } else if (change.to === 'up' || change.to === 'degraded') {
      track.mutedDown = false;
      this.#stopReminder(track);
      if (track.open !== 'none' && (change.to === 'up' || track.open === 'down'))
        events.push(this.#event('resolve', rule, monitor, state, change.from, now));
      track.open = 'none';
      if (change.to === 'degraded' && !muted && rule.events.includes('degraded')) {
        track.open = 'degraded';
        events.push(this.#event('degraded', rule, monitor, state, change.from, now));
      }
    }
    return events;
  }

  /** A trigger, unless one is already open. */
  #down(
    rule: AlertRuleConfig,
    monitor: MonitorConfig,
    track: Track,
    state: MonitorState,
    from: Status,
    now: number,
  ): AlertEvent[] {
    if (track.open === 'down' || !rule.events.includes('down')) return [];
    track.open = 'down';
    this.#armReminder(rule, monitor, track);
    return [this.#event('trigger', rule, monitor, state, from, now)];
  }

  #armReminder(rule: AlertRuleConfig, monitor: MonitorConfig, track: Track): void {
    const every = rule.remindEveryMs;
    if (every === undefined || !rule.events.includes('reminder') || this.#closed) return;
    track.reminder?.cancel();
    track.reminder = this.#o.clock.setTimer(every, () => {
      track.reminder = undefined;
      const current = this.#monitors.get(monitor.id);
      const state = this.#states.get(monitor.id);
      if (current === undefined || state === undefined || track.open !== 'down') return;
      if (state.status === 'down' && !isMuted(state) && !track.flapping) {
        const now = this.#o.clock.now();
        this.#send(
          rule,
          monitor.id,
          [this.#event('reminder', rule, current, state, 'down', now)],
          now,
        );
      }
      this.#armReminder(rule, current, track);
    });
  }

  #stopReminder(track: Track): void {
    track.reminder?.cancel();
    track.reminder = undefined;
  }

  /** No status change for a whole window: flapping is over; tell where the monitor now stands. */
  #calm(rule: AlertRuleConfig, monitorId: string): void {
    const track = this.#tracks.get(`${rule.name}\u0000${monitorId}`);
    const monitor = this.#monitors.get(monitorId);
    const state = this.#states.get(monitorId);
    if (track === undefined || monitor === undefined || state === undefined) return;
    track.quiet = undefined;
    track.transitions = [];
    if (!track.flapping) return;
    track.flapping = false;
    const now = this.#o.clock.now();
    const events: AlertEvent[] = [];
    if (rule.events.includes('flapping'))
      events.push(
        this.#event('flapping-resolved', rule, monitor, state, state.status, now, {
          severity: 'info',
          dedupSuffix: '/flapping',
        }),
      );
    if (state.status === 'down' && !isMuted(state))
      events.push(...this.#down(rule, monitor, track, state, state.status, now));
    else if (state.status !== 'down' && track.open === 'down') {
      track.open = 'none';
      this.#stopReminder(track);
      events.push(this.#event('resolve', rule, monitor, state, state.status, now));
    }
    this.#send(rule, monitorId, events, now);
  }

  #event(
    kind: AlertKind,
    rule: AlertRuleConfig,
    monitor: MonitorConfig,
    state: MonitorState,
    from: Status,
    now: number,
    extra: {
      severity?: Severity;
      details?: Record<string, string | number | boolean | null>;
      dedupSuffix?: string;
    } = {},
  ): AlertEvent {
    const url = this.#o.publicUrl;
    return {
      kind,
      monitor: {
        id: monitor.id,
        name: monitor.name,
        group: monitor.group,
        tags: monitor.tags,
        kind: monitor.kind,
        ...(url === undefined
          ? {}
          : { url: `${url.replace(/\/$/, '')}/monitors/${encodeURIComponent(monitor.id)}` }),
      },
      status: state.status,
      previousStatus: from,
      reason: state.reason,
      severity: extra.severity ?? severityOf[kind],
      at: now,
      since: state.since,
      dedupKey: `vigil/${rule.name}/${monitor.id}${extra.dedupSuffix ?? ''}`,
      ...(extra.details === undefined ? {} : { details: extra.details }),
    };
  }

  /** Intents for events of one rule and monitor: one per notifier, due when the rule's group flushes. */
  #intents(
    rule: AlertRuleConfig,
    monitorId: string,
    events: readonly AlertEvent[],
    now: number,
  ): OutboxIntent[] {
    if (events.length === 0) return [];
    let group: string | null = null;
    let due = now;
    if (rule.groupWaitMs > 0) {
      const open = this.#groups.get(rule.name);
      due = open !== undefined && open > now ? open : now + rule.groupWaitMs;
      this.#groups.set(rule.name, due);
      group = `${rule.name}@${due}`;
    }
    const intents: OutboxIntent[] = [];
    for (const notifierId of rule.notifiers) {
      const key = `${notifierId}\u0000${monitorId}`;
      const notBefore = Math.max(due, this.#due.get(key) ?? 0);
      this.#due.set(key, notBefore);
      for (const event of events) {
        const payload: AlertPayload = { rule: rule.name, group, event };
        intents.push({
          notifierId,
          eventKind: event.kind,
          payload,
          dedupKey: event.dedupKey,
          notBefore,
        });
      }
    }
    return intents;
  }

  #send(
    rule: AlertRuleConfig,
    monitorId: string,
    events: readonly AlertEvent[],
    now: number,
  ): void {
    const intents = this.#intents(rule, monitorId, events, now);
    if (intents.length === 0) return;
    this.#o
      .enqueue(monitorId, intents)
      .catch((error: unknown) => this.#o.onError?.(error, monitorId));
  }
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf('\u0000');
  return [key.slice(0, i), key.slice(i + 1)];
}

/** Creates an {@link AlertRouter}. */
export function createAlertRouter(options: AlertRouterOptions): AlertRouter {
  return new AlertRouter(options);
}
