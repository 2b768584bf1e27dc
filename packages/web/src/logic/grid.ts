/** Options of {@link fitGrid}. */
export interface GridOptions {
  /** How many cells to place (tiles, plus a label cell per group on the TV board). */
  readonly cells: number;
  /** The area to fill, in CSS px. */
  readonly width: number;
  readonly height: number;
  /** Widest and narrowest tile shape allowed (width / height). Defaults 3 and 1. */
  readonly maxAspect?: number;
  readonly minAspect?: number;
  /** Largest tile height, so five monitors do not become five billboards. Default 320 px. */
  readonly maxTileHeight?: number;
}

/** How much text a tile has room for, from the largest to none. */
export const tileDetails = ['full', 'name', 'icon'] as const;
export type TileDetail = (typeof tileDetails)[number];

/** A grid that fits every cell in the area without scrolling or overlap. */
export interface GridLayout {
  readonly cols: number;
  readonly rows: number;
  readonly gap: number;
  readonly tileWidth: number;
  readonly tileHeight: number;
  /** Font size of a tile's name, in px. */
  readonly fontPx: number;
  readonly detail: TileDetail;
  /** False only when the cells cannot fit even at 1 px each. */
  readonly fits: boolean;
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/** The gap between tiles shrinks as they get smaller: 8 px for a few, 1 px for thousands. */
export function gapFor(cells: number, width: number, height: number): number {
  const side = Math.sqrt((width * height) / Math.max(1, cells));
  return clamp(Math.round(side * 0.05), 1, 8);
}

/**
 * Picks the column count whose tiles are largest while fitting `cells` tiles into `width`×`height`
 * (the TV board: 5 to 5,000 monitors on one screen). Tile sizes are whole pixels, so
 * `cols * tileWidth + (cols - 1) * gap <= width` and the same for rows: tiles never overlap or overflow.
 */
export function fitGrid(options: GridOptions): GridLayout {
  const { width, height } = options;
  const cells = Math.max(1, Math.floor(options.cells));
  const maxAspect = options.maxAspect ?? 3;
  const minAspect = options.minAspect ?? 1;
  const maxTileHeight = options.maxTileHeight ?? 320;
  const gap = gapFor(cells, width, height);
  let best: { cols: number; rows: number; w: number; h: number; score: number } | undefined;
  for (let cols = 1; cols <= cells; cols++) {
    const rows = Math.ceil(cells / cols);
    let w = Math.floor((width - gap * (cols - 1)) / cols);
    let h = Math.floor((height - gap * (rows - 1)) / rows);
    if (w < 1 || h < 1) continue;
    h = Math.min(h, maxTileHeight);
    if (w / h > maxAspect) w = Math.floor(h * maxAspect);
    if (w / h < minAspect) h = Math.floor(w / minAspect);
    if (w < 1 || h < 1) continue;
    // Tiles tall enough for a line of text read better wide: a name fits instead of "Serv…".
    const score = w * h * (h >= 16 ? Math.min(1, w / h / 2.5) : 1);
    if (best === undefined || score > best.score) best = { cols, rows, w, h, score };
  }
  if (best === undefined) {
    const cols = Math.max(1, Math.floor((width + 1) / 2));
    return {
      cols,
      rows: Math.ceil(cells / cols),
      gap: 1,
      tileWidth: 1,
      tileHeight: 1,
      fontPx: 0,
      detail: 'icon',
      fits: false,
    };
  }
  const detail: TileDetail =
    best.h >= 54 && best.w >= 120 ? 'full' : best.h >= 16 && best.w >= 44 ? 'name' : 'icon';
  const fontPx =
    detail === 'full'
      ? clamp(Math.floor(best.h * 0.2), 12, 40)
      : detail === 'name'
        ? clamp(Math.floor(Math.min(best.h * 0.45, best.w / 8)), 8, 16)
        : clamp(Math.floor(Math.min(best.h, best.w) * 0.7), 6, 14);
  return {
    cols: best.cols,
    rows: best.rows,
    gap,
    tileWidth: best.w,
    tileHeight: best.h,
    fontPx,
    detail,
    fits: true,
  };
}
