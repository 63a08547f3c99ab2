import { dashboardPanel } from "../../../../src/i18n/pt-BR/dashboard-panel.ts";
import type { Panel } from "../../../../src/modules/dashboard/panel.ts";
import { formatCents, formatCount, formatDate } from "../../app/format.ts";

const text = dashboardPanel.recovery;

/** One colour per channel (each at least 3:1 against white), always next to its name in the legend. */
export const CHANNEL_COLOURS: Record<string, string> = {
  email: "#1f5fbf",
  sms: "#7b3fa0",
  whatsapp: "#1b7f3b",
  letter: "#8a5a00",
  task: "#b3261e",
  none: "#5f6b78",
};

const WIDTH = 760;
const HEIGHT = 300;
const MARGIN = { top: 16, right: 16, bottom: 40, left: 96 };

/**
 * The recovery chart: stacked bars per week by channel, drawn by hand in SVG. The figure is an
 * image with a title and a description for screen readers, every bar segment names its channel
 * and value on hover (<title>), and the same numbers are in a table right below.
 */
export function RecoveryChart({ recovery }: { recovery: Panel["recovery"] }) {
  const weeks = recovery.weeks;
  const channels = channelsOf(recovery);
  const maximum = Math.max(1, ...weeks.map((week) => week.totalCents));
  const scale = niceCeiling(maximum);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const slot = plotWidth / Math.max(weeks.length, 1);
  const barWidth = slot * 0.64;
  const total = weeks.reduce((sum, week) => sum + week.totalCents, 0);
  const y = (cents: number) => MARGIN.top + plotHeight - (cents / scale) * plotHeight;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((fraction) => fraction * scale);

  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby="recovery-chart-title recovery-chart-description"
        className="recovery-chart"
      >
        <title id="recovery-chart-title">{text.chartTitle}</title>
        <desc id="recovery-chart-description">{text.chartDescription(formatCents(total), weeks.length)}</desc>
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(tick)} y2={y(tick)} stroke="#c9d0d8" />
            <text x={MARGIN.left - 8} y={y(tick) + 4} textAnchor="end" fontSize="12" fill="#1b1f24">
              {formatCents(tick)}
            </text>
          </g>
        ))}
        {weeks.map((week, index) => {
          const x = MARGIN.left + index * slot + (slot - barWidth) / 2;
          let stacked = 0;
          return (
            <g key={week.weekStart}>
              {channels
                .filter((channel) => week.byChannel[channel] > 0)
                .map((channel) => {
                  const value = week.byChannel[channel];
                  const top = y(stacked + value);
                  const height = y(stacked) - top;
                  stacked += value;
                  return (
                    <rect
                      key={channel}
                      x={x}
                      y={top}
                      width={barWidth}
                      height={Math.max(height, 0.5)}
                      fill={CHANNEL_COLOURS[channel]}
                      stroke="#ffffff"
                      strokeWidth="1"
                    >
                      <title>{`${text.channels[channel]}: ${formatCents(value)}`}</title>
                    </rect>
                  );
                })}
              <text
                x={x + barWidth / 2}
                y={HEIGHT - MARGIN.bottom + 18}
                textAnchor="middle"
                fontSize="12"
                fill="#1b1f24"
              >
                {formatDate(week.weekStart).slice(0, 5)}
              </text>
            </g>
          );
        })}
        <line
          x1={MARGIN.left}
          x2={WIDTH - MARGIN.right}
          y1={y(0)}
          y2={y(0)}
          stroke="#1b1f24"
          strokeWidth="1"
        />
      </svg>
      <figcaption>
        <ul className="legend">
          {channels.map((channel) => (
            <li key={channel}>
              <span className="swatch" style={{ background: CHANNEL_COLOURS[channel] }} aria-hidden="true" />
              {text.channels[channel]}
            </li>
          ))}
        </ul>
      </figcaption>
      <details>
        <summary>{text.showTable}</summary>
        <RecoveryTable recovery={recovery} />
      </details>
    </figure>
  );
}

function RecoveryTable({ recovery }: { recovery: Panel["recovery"] }) {
  const channels = channelsOf(recovery);
  return (
    <table data-testid="recovery-table">
      <caption>{text.tableCaption}</caption>
      <thead>
        <tr>
          <th scope="col">{text.week}</th>
          {channels.map((channel) => (
            <th scope="col" className="number" key={channel}>
              {text.channels[channel]}
            </th>
          ))}
          <th scope="col" className="number">
            {text.total}
          </th>
          <th scope="col" className="number">
            {text.payments}
          </th>
        </tr>
      </thead>
      <tbody>
        {recovery.weeks.map((week) => (
          <tr key={week.weekStart} data-testid={`recovery-${week.weekStart}`}>
            <th scope="row">{text.weekLabel(formatDate(week.weekStart), formatDate(week.weekEnd))}</th>
            {channels.map((channel) => (
              <td className="number" key={channel} data-channel={channel}>
                {formatCents(week.byChannel[channel])}
              </td>
            ))}
            <td className="number" data-testid={`recovery-${week.weekStart}-total`}>
              {formatCents(week.totalCents)}
            </td>
            <td className="number">{formatCount(week.payments)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type Channel = keyof Panel["recovery"]["weeks"][number]["byChannel"];

/** The channels in the server's order (every week lists all of them). */
function channelsOf(recovery: Panel["recovery"]): Channel[] {
  const first = recovery.weeks[0];
  return first ? (Object.keys(first.byChannel) as Channel[]) : [];
}

/** A round top for the axis: 1, 2 or 5 times a power of ten, at least `value`. */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}
