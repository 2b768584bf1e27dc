import { describe, expect, it } from 'vitest';
import { fitGrid } from './grid';

const screens = [
  { width: 1920, height: 960 },
  { width: 1280, height: 640 },
  { width: 3840, height: 2000 },
  { width: 800, height: 1100 },
];
const counts = [1, 5, 12, 50, 100, 500, 1000, 2500, 5000];

describe('fitGrid', () => {
  it.each(screens.flatMap((s) => counts.map((cells) => ({ ...s, cells }))))(
    '$cells cells in $width×$height fit without overlap or overflow',
    ({ width, height, cells }) => {
      const g = fitGrid({ cells, width, height });
      expect(g.fits).toBe(true);
      expect(g.cols * g.rows).toBeGreaterThanOrEqual(cells);
      expect(g.cols * g.tileWidth + (g.cols - 1) * g.gap).toBeLessThanOrEqual(width);
      expect(g.rows * g.tileHeight + (g.rows - 1) * g.gap).toBeLessThanOrEqual(height);
      expect(g.tileWidth / g.tileHeight).toBeLessThanOrEqual(3 + 1e-9);
      expect(g.tileWidth).toBeGreaterThanOrEqual(g.tileHeight - 1);
      // No wasted rows: one column fewer would not have fitted the same tile size.
      expect(Math.ceil(cells / g.cols)).toBe(g.rows);
    },
  );

  it('uses the screen: 5,000 tiles on a 1080p TV cover most of it and stay visible', () => {
    const g = fitGrid({ cells: 5000, width: 1920, height: 960 });
    const covered =
      (g.cols * (g.tileWidth + g.gap) * g.rows * (g.tileHeight + g.gap)) / (1920 * 960);
    expect(covered).toBeGreaterThan(0.8);
    expect(g.tileHeight).toBeGreaterThanOrEqual(12);
    expect(g.detail).toBe('icon');
  });

  it('gives few monitors big tiles with their name and status in large type', () => {
    const g = fitGrid({ cells: 5, width: 1920, height: 960 });
    expect(g.detail).toBe('full');
    expect(g.fontPx).toBeGreaterThanOrEqual(30);
    expect(g.tileHeight).toBeLessThanOrEqual(320);
  });

  it('shows names at 500 monitors on 1080p', () => {
    const g = fitGrid({ cells: 520, width: 1920, height: 960 });
    expect(g.detail).toBe('name');
    expect(g.fontPx).toBeGreaterThanOrEqual(8);
  });

  it('says so when the cells cannot fit at all', () => {
    expect(fitGrid({ cells: 10_000, width: 20, height: 20 }).fits).toBe(false);
  });
});
