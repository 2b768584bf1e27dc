import { useEffect, useRef } from 'preact/hooks';

/**
 * Marks the first frame after the page rendered every tile of its first snapshot: a `vigil:board-painted`
 * performance mark and `data-painted=<tiles>` on the body (the board benchmark and tests read them).
 */
export function usePaintedMark(loaded: boolean, tiles: number): void {
  const done = useRef(false);
  useEffect(() => {
    if (!loaded || done.current) return;
    done.current = true;
    requestAnimationFrame(() => {
      performance.mark('vigil:board-painted');
      document.body.dataset.painted = String(tiles);
    });
  });
}
