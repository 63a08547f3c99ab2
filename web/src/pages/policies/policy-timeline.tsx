import { dashboardPolicies as text } from "../../../../src/i18n/pt-BR/dashboard-policies.ts";
import { templateTitle } from "../../../../src/i18n/pt-BR/template-names.ts";
import { CHANNELS, dayLabel, type PolicyStep } from "./policy-types.ts";

/**
 * The régua drawn from D-N to D+N, one lane per channel, each step a marker (a button) at its
 * offset. The same steps are listed in a table next to it (StepsTable) for screen readers.
 */
export function PolicyTimeline({
  steps,
  selected,
  onSelect,
}: {
  steps: PolicyStep[];
  selected: number | null;
  /** Given to those who may edit the régua: each marker is then a button that opens its step. */
  onSelect?: (index: number) => void;
}) {
  const offsets = steps.map((step) => step.offsetDays);
  const first = Math.min(-10, ...offsets) - 2;
  const last = Math.max(30, ...offsets) + 2;
  const span = last - first;
  const position = (offset: number) => `${((offset - first) / span) * 100}%`;
  const ticks: number[] = [];
  const stride = span > 80 ? 15 : span > 40 ? 10 : 5;
  for (let tick = Math.ceil(first / stride) * stride; tick <= last; tick += stride) ticks.push(tick);
  return (
    <figure className="timeline card" aria-label={text.timelineLabel}>
      <figcaption>{text.timelineAxis(dayLabel(first), dayLabel(last))}</figcaption>
      <div className="timeline-axis" aria-hidden="true">
        {ticks.map((tick) => (
          <span key={tick} className={tick === 0 ? "tick due" : "tick"} style={{ left: position(tick) }}>
            {dayLabel(tick)}
          </span>
        ))}
      </div>
      {CHANNELS.map((channel) => (
        <div className="lane" key={channel}>
          <span className="lane-name">{text.channels[channel]}</span>
          <div className="lane-track">
            <span className="due-line" style={{ left: position(0) }} aria-hidden="true" />
            {steps.map((step, index) =>
              !step.channels.includes(channel) ? null : !onSelect ? (
                <span
                  key={`${step.name}-${channel}`}
                  className="marker"
                  style={{ left: position(step.offsetDays) }}
                  role="img"
                  aria-label={text.markerReadOnly(
                    step.name,
                    dayLabel(step.offsetDays),
                    text.channels[channel] ?? channel,
                  )}
                  data-step={step.name}
                >
                  {dayLabel(step.offsetDays)}
                </span>
              ) : (
                <button
                  key={`${step.name}-${channel}`}
                  type="button"
                  className={index === selected ? "marker selected" : "marker"}
                  style={{ left: position(step.offsetDays) }}
                  aria-pressed={index === selected}
                  aria-label={text.markerLabel(
                    step.name,
                    dayLabel(step.offsetDays),
                    text.channels[channel] ?? channel,
                  )}
                  data-step={step.name}
                  onClick={() => onSelect(index)}
                >
                  {dayLabel(step.offsetDays)}
                </button>
              ),
            )}
          </div>
        </div>
      ))}
    </figure>
  );
}

/** The steps as a table; each with an edit button only when `onSelect` is given (an administrator). */
export function StepsTable({ steps, onSelect }: { steps: PolicyStep[]; onSelect?: (index: number) => void }) {
  return (
    <table className="steps-table">
      <caption>{text.stepsTable.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{text.stepsTable.step}</th>
          <th scope="col">{text.stepsTable.day}</th>
          <th scope="col">{text.stepsTable.channels}</th>
          <th scope="col">{text.stepsTable.templates}</th>
          <th scope="col">{text.stepsTable.window}</th>
          {onSelect ? (
            <th scope="col">
              <span className="visually-hidden">{text.stepsTable.edit}</span>
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {steps.map((step, index) => (
          <tr key={step.id ?? `${step.name}-${index}`}>
            <th scope="row">{step.name}</th>
            <td>
              {dayLabel(step.offsetDays)} ({text.dayKinds[step.dayKind]})
            </td>
            <td>{step.channels.map((channel) => text.channels[channel]).join(", ")}</td>
            <td>
              {step.channels
                .map((channel) => (step.templates[channel] ? templateTitle(step.templates[channel]) : "—"))
                .join(", ")}
            </td>
            <td>{step.window ? `${step.window.start}–${step.window.end}` : text.stepsTable.anyTime}</td>
            {onSelect ? (
              <td>
                <button type="button" className="secondary" onClick={() => onSelect(index)}>
                  {text.stepsTable.edit} <span className="visually-hidden">{step.name}</span>
                </button>
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
