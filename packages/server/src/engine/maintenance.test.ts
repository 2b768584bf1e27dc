import { describe, expect, it } from 'vitest';
import type { MaintenanceWindow } from '../config/index.js';
import { cronProblem } from '../config/index.js';
import { activeWindow, nextBoundary } from './maintenance.js';

const at = (iso: string) => Date.parse(iso);

describe('maintenance windows', () => {
  const oneOff: MaintenanceWindow = {
    name: 'db upgrade',
    start: '2026-03-01T10:00:00Z',
    end: '2026-03-01T12:00:00Z',
  };
  // Sundays 02:00 Berlin time (01:00 UTC in winter) for two hours
  const weekly: MaintenanceWindow = {
    cron: '0 2 * * SUN',
    duration: 7_200_000,
    timezone: 'Europe/Berlin',
  };

  it('a one-off window covers [start, end)', () => {
    expect(activeWindow([oneOff], at('2026-03-01T09:59:59Z'))).toBeUndefined();
    expect(activeWindow([oneOff], at('2026-03-01T10:00:00Z'))).toEqual({
      name: 'db upgrade',
      end: at('2026-03-01T12:00:00Z'),
    });
    expect(activeWindow([oneOff], at('2026-03-01T12:00:00Z'))).toBeUndefined();
  });

  it('a cron window covers each occurrence for its duration, in its time zone', () => {
    expect(activeWindow([weekly], at('2026-01-04T00:59:59Z'))).toBeUndefined();
    expect(activeWindow([weekly], at('2026-01-04T01:00:00Z'))).toEqual({
      name: '0 2 * * SUN Europe/Berlin for 2h',
      end: at('2026-01-04T03:00:00Z'),
    });
    expect(activeWindow([weekly], at('2026-01-04T02:59:59Z'))?.end).toBe(
      at('2026-01-04T03:00:00Z'),
    );
    expect(activeWindow([weekly], at('2026-01-04T03:00:00Z'))).toBeUndefined();
    // summer time: 02:00 Berlin is 00:00 UTC
    expect(activeWindow([weekly], at('2026-07-05T00:30:00Z'))).toBeDefined();
  });

  it('finds the next boundary to re-check at', () => {
    expect(nextBoundary([oneOff], at('2026-02-01T00:00:00Z'))).toBe(at('2026-03-01T10:00:00Z'));
    expect(nextBoundary([oneOff], at('2026-03-01T11:00:00Z'))).toBe(at('2026-03-01T12:00:00Z'));
    expect(nextBoundary([oneOff], at('2026-03-02T00:00:00Z'))).toBeUndefined();
    expect(nextBoundary([weekly], at('2026-01-04T01:30:00Z'))).toBe(at('2026-01-04T03:00:00Z'));
    expect(nextBoundary([weekly, oneOff], at('2026-01-05T00:00:00Z'))).toBe(
      at('2026-01-11T01:00:00Z'),
    );
  });

  it('explains a bad cron pattern or time zone', () => {
    expect(cronProblem('0 2 * * SUN', 'Europe/Berlin')).toBeUndefined();
    expect(cronProblem('every sunday', undefined)).toMatch(/invalid configuration format/);
    expect(cronProblem('0 2 * * *', 'Mars/Base')).toMatch(/Mars\/Base/);
  });
});
