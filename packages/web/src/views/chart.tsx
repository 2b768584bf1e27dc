import { Component, createRef } from 'preact';
import uPlot from 'uplot';
import type { LatencySeries } from '../logic/stats';

const palette = ['#e879f9', '#22d3ee', '#a3e635', '#fb923c', '#f472b6', '#facc15'];

function options(series: LatencySeries, width: number): uPlot.Options {
  const phases = Object.keys(series.phases);
  return {
    width,
    height: 260,
    legend: { show: true },
    scales: { x: { time: true } },
    axes: [
      { stroke: '#9ca3af', grid: { stroke: '#ffffff14' } },
      {
        stroke: '#9ca3af',
        grid: { stroke: '#ffffff14' },
        values: (_u, ticks) => ticks.map((t) => `${t} ms`),
        size: 70,
      },
    ],
    series: [
      {},
      { label: 'latency', stroke: '#60a5fa', width: 1, points: { show: true, size: 4 } },
      { label: 'p50', stroke: '#34d399', width: 2, points: { show: false } },
      { label: 'p95', stroke: '#f87171', width: 2, dash: [6, 4], points: { show: false } },
      ...phases.map((name, i) => ({
        label: name,
        stroke: palette[i % palette.length] ?? '#fff',
        width: 1,
        points: { show: false },
      })),
    ],
  };
}

function data(series: LatencySeries): uPlot.AlignedData {
  return [
    series.x,
    series.latency,
    series.p50,
    series.p95,
    ...Object.values(series.phases),
  ] as uPlot.AlignedData;
}

/**
 * The response-time chart (uPlot): each check's latency, the rolling p50 and p95, and the timing phases.
 * `data-points` on the container tells how many checks are drawn.
 */
export class LatencyChart extends Component<{ series: LatencySeries }> {
  readonly #box = createRef<HTMLDivElement>();
  #plot: uPlot | undefined;
  #shape = '';
  readonly #resize = (): void => {
    const width = this.#box.current?.clientWidth ?? 600;
    this.#plot?.setSize({ width, height: 260 });
  };

  override componentDidMount(): void {
    this.#draw();
    addEventListener('resize', this.#resize);
  }

  override componentDidUpdate(): void {
    this.#draw();
  }

  override componentWillUnmount(): void {
    removeEventListener('resize', this.#resize);
    this.#plot?.destroy();
  }

  #draw(): void {
    const box = this.#box.current;
    if (box === null) return;
    const { series } = this.props;
    const shape = Object.keys(series.phases).join(',');
    if (this.#plot === undefined || shape !== this.#shape) {
      this.#plot?.destroy();
      this.#shape = shape;
      this.#plot = new uPlot(options(series, box.clientWidth || 600), data(series), box);
    } else {
      this.#plot.setData(data(series));
    }
  }

  override render() {
    return (
      <div
        class="chart"
        ref={this.#box}
        data-points={this.props.series.x.length}
        data-series={3 + Object.keys(this.props.series.phases).length}
      />
    );
  }
}
