import { useId } from "react";
import { dashboardPolicies as text } from "../../../../src/i18n/pt-BR/dashboard-policies.ts";
import { templateTitle } from "../../../../src/i18n/pt-BR/template-names.ts";
import { formatCents, parseReais } from "../../app/format.ts";
import {
  CHANNELS,
  type Channel,
  dayLabel,
  type MessageTemplate,
  type PolicyStep,
  SCORE_BANDS,
  type ScoreBand,
} from "./policy-types.ts";

/** An error of the server about one field of this step ("steps.3.offsetDays"), shown beside it. */
export type FieldError = (path: string) => string | null;

function FieldMessage({ id, message }: { id: string; message: string | null }) {
  if (!message) return null;
  return (
    <span id={id} className="field-error" role="alert">
      {message}
    </span>
  );
}

/** A limit as the operator writes it: '1.500,00' (empty: no limit). */
function centsToReais(cents: number | null): string {
  return cents === null ? "" : formatCents(cents).replace(/^R\$\s*/, "");
}

/** The form of the selected step: every setting of the policy schema, each with its label and error. */
export function StepForm({
  step,
  earlierSteps,
  templates,
  error,
  onChange,
  onTyped,
  onEditTemplate,
  onRemove,
}: {
  step: PolicyStep;
  earlierSteps: string[];
  templates: MessageTemplate[];
  error: FieldError;
  onChange(step: PolicyStep): void;
  /** An amount typed that is not one (or null once it is fixed), by the field's path. */
  onTyped(path: string, problem: string | null): void;
  onEditTemplate(name: string): void;
  onRemove(): void;
}) {
  const id = useId();
  const field = (name: string) => ({
    id: `${id}-${name}`,
    "aria-invalid": error(name) ? true : undefined,
    "aria-describedby": error(name) ? `${id}-${name}-error` : undefined,
  });
  const set = (patch: Partial<PolicyStep>) => onChange({ ...step, ...patch });
  const setConditions = (patch: Partial<PolicyStep["conditions"]>) =>
    set({ conditions: { ...step.conditions, ...patch } });
  // an amount in pt-BR ('1.500,00', the agreement form's parser); empty is no limit, anything else
  // that is not an amount stays in the box, refused beside it, and never becomes "no limit"
  const setAmount = (name: "minAmountCents" | "maxAmountCents", typedText: string) => {
    const cents = typedText.trim() === "" ? null : parseReais(typedText);
    if (typedText.trim() !== "" && cents === null) {
      onTyped(`conditions.${name}`, text.stepForm.invalidAmount);
      return;
    }
    onTyped(`conditions.${name}`, null);
    setConditions({ [name]: cents });
  };
  const toggleBand = (band: ScoreBand, on: boolean) =>
    setConditions({
      scoreBands: SCORE_BANDS.filter((entry) =>
        entry === band ? on : step.conditions.scoreBands.includes(entry),
      ),
    });
  const toggleChannel = (channel: Channel, on: boolean) => {
    const channels = on ? [...step.channels, channel] : step.channels.filter((entry) => entry !== channel);
    const templatesOfStep = { ...step.templates };
    if (!on) delete templatesOfStep[channel];
    else if (!templatesOfStep[channel]) {
      const guess = `${channel}.${dayLabel(step.offsetDays).toLowerCase()}`;
      const known =
        templates.find((template) => template.name === guess) ??
        templates.find((template) => template.channel === channel);
      if (known) templatesOfStep[channel] = known.name;
    }
    set({ channels: CHANNELS.filter((entry) => channels.includes(entry)), templates: templatesOfStep });
  };
  const setWindow = (part: "start" | "end", value: string) => {
    const current = step.window ?? { start: "", end: "" };
    const next = { ...current, [part]: value };
    set({ window: next.start === "" && next.end === "" ? null : next });
  };

  return (
    <fieldset className="card">
      <legend>{text.stepForm.legend(step.name)}</legend>
      <div className="step-form">
        <div className="field">
          <label htmlFor={`${id}-name`}>{text.stepForm.name}</label>
          <input
            {...field("name")}
            value={step.name}
            onChange={(event) => set({ name: event.target.value })}
          />
          <FieldMessage id={`${id}-name-error`} message={error("name")} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-offsetDays`}>{text.stepForm.offsetDays}</label>
          <input
            {...field("offsetDays")}
            type="number"
            value={step.offsetDays}
            onChange={(event) => set({ offsetDays: Number.parseInt(event.target.value || "0", 10) })}
          />
          <FieldMessage id={`${id}-offsetDays-error`} message={error("offsetDays")} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-dayKind`}>{text.stepForm.dayKind}</label>
          <select
            {...field("dayKind")}
            value={step.dayKind}
            onChange={(event) => set({ dayKind: event.target.value as PolicyStep["dayKind"] })}
          >
            <option value="calendar">{text.dayKinds.calendar}</option>
            <option value="business">{text.dayKinds.business}</option>
          </select>
        </div>
        <fieldset
          className="wide channel-choices"
          aria-describedby={error("channels") ? `${id}-channels-error` : undefined}
        >
          <legend>{text.stepForm.channels}</legend>
          {CHANNELS.map((channel) => (
            <label key={channel}>
              <input
                type="checkbox"
                checked={step.channels.includes(channel)}
                onChange={(event) => toggleChannel(channel, event.target.checked)}
              />{" "}
              {text.channels[channel]}
            </label>
          ))}
          <FieldMessage id={`${id}-channels-error`} message={error("channels")} />
        </fieldset>
        {step.channels.map((channel) => {
          const options = templates.filter((template) => template.channel === channel);
          const current = step.templates[channel] ?? "";
          return (
            <div className="field" key={channel}>
              <label htmlFor={`${id}-templates.${channel}`}>
                {text.stepForm.template(text.channels[channel] ?? channel)}
              </label>
              <select
                {...field(`templates.${channel}`)}
                value={current}
                onChange={(event) => set({ templates: { ...step.templates, [channel]: event.target.value } })}
              >
                <option value="">{text.stepForm.none}</option>
                {current && !options.some((template) => template.name === current) ? (
                  <option value={current}>{templateTitle(current)}</option>
                ) : null}
                {options.map((template) => (
                  <option key={template.name} value={template.name}>
                    {templateTitle(template.name)}
                  </option>
                ))}
              </select>
              <FieldMessage id={`${id}-templates.${channel}-error`} message={error(`templates.${channel}`)} />
              {current && channel !== "webhook" ? (
                <button type="button" className="secondary" onClick={() => onEditTemplate(current)}>
                  {text.stepForm.editTemplate(templateTitle(current))}
                </button>
              ) : null}
            </div>
          );
        })}
        <div className="field">
          <label htmlFor={`${id}-window.start`}>{text.stepForm.windowStart}</label>
          <input
            {...field("window.start")}
            type="time"
            value={step.window?.start ?? ""}
            onChange={(event) => setWindow("start", event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-window.end`}>{text.stepForm.windowEnd}</label>
          <input
            {...field("window.end")}
            type="time"
            value={step.window?.end ?? ""}
            onChange={(event) => setWindow("end", event.target.value)}
          />
          <FieldMessage
            id={`${id}-window-error`}
            message={error("window") ?? error("window.start") ?? error("window.end")}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-conditions.minAmountCents`}>{text.stepForm.minAmount}</label>
          <input
            {...field("conditions.minAmountCents")}
            inputMode="decimal"
            defaultValue={centsToReais(step.conditions.minAmountCents)}
            onBlur={(event) => setAmount("minAmountCents", event.target.value)}
          />
          <FieldMessage
            id={`${id}-conditions.minAmountCents-error`}
            message={error("conditions.minAmountCents")}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-conditions.maxAmountCents`}>{text.stepForm.maxAmount}</label>
          <input
            {...field("conditions.maxAmountCents")}
            inputMode="decimal"
            defaultValue={centsToReais(step.conditions.maxAmountCents)}
            onBlur={(event) => setAmount("maxAmountCents", event.target.value)}
          />
          <FieldMessage
            id={`${id}-conditions.maxAmountCents-error`}
            message={error("conditions.maxAmountCents")}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-conditions.onlyWithoutChannel`}>{text.stepForm.onlyWithoutChannel}</label>
          <select
            {...field("conditions.onlyWithoutChannel")}
            value={step.conditions.onlyWithoutChannel ?? ""}
            onChange={(event) =>
              setConditions({
                onlyWithoutChannel: (event.target.value ||
                  null) as PolicyStep["conditions"]["onlyWithoutChannel"],
              })
            }
          >
            <option value="">{text.stepForm.none}</option>
            <option value="email">{text.channels.email}</option>
            <option value="sms">{text.channels.sms}</option>
            <option value="whatsapp">{text.channels.whatsapp}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-conditions.onlyIf.step`}>{text.stepForm.onlyIfStep}</label>
          <select
            {...field("conditions.onlyIf.step")}
            value={step.conditions.onlyIf?.step ?? ""}
            onChange={(event) =>
              setConditions({
                onlyIf: event.target.value
                  ? { step: event.target.value, outcome: step.conditions.onlyIf?.outcome ?? "failed" }
                  : null,
              })
            }
          >
            <option value="">{text.stepForm.none}</option>
            {earlierSteps.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
          <FieldMessage id={`${id}-conditions.onlyIf.step-error`} message={error("conditions.onlyIf.step")} />
        </div>
        {step.conditions.onlyIf ? (
          <div className="field">
            <label htmlFor={`${id}-conditions.onlyIf.outcome`}>{text.stepForm.onlyIfOutcome}</label>
            <select
              {...field("conditions.onlyIf.outcome")}
              value={step.conditions.onlyIf.outcome}
              onChange={(event) =>
                setConditions({
                  onlyIf: {
                    step: step.conditions.onlyIf?.step ?? "",
                    outcome: event.target.value as "failed" | "succeeded",
                  },
                })
              }
            >
              <option value="failed">{text.stepForm.outcomes.failed}</option>
              <option value="succeeded">{text.stepForm.outcomes.succeeded}</option>
            </select>
          </div>
        ) : null}
        <fieldset
          className="wide"
          aria-invalid={error("conditions.scoreBands") ? true : undefined}
          aria-describedby={[
            `${id}-conditions.scoreBands-hint`,
            error("conditions.scoreBands") ? `${id}-conditions.scoreBands-error` : null,
          ]
            .filter(Boolean)
            .join(" ")}
        >
          <legend>{text.stepForm.scoreBands}</legend>
          {SCORE_BANDS.map((band) => (
            <label key={band}>
              <input
                type="checkbox"
                checked={step.conditions.scoreBands.includes(band)}
                onChange={(event) => toggleBand(band, event.target.checked)}
              />{" "}
              {text.stepForm.bands[band]}
            </label>
          ))}
          <small id={`${id}-conditions.scoreBands-hint`}>{text.stepForm.scoreBandsHint}</small>
          <FieldMessage id={`${id}-conditions.scoreBands-error`} message={error("conditions.scoreBands")} />
        </fieldset>
        <label className="wide">
          <input
            type="checkbox"
            checked={step.conditions.verifiedContactsOnly}
            onChange={(event) => setConditions({ verifiedContactsOnly: event.target.checked })}
          />{" "}
          {text.stepForm.verifiedContactsOnly}
        </label>
        <div className="wide actions-row">
          <button type="button" className="secondary" onClick={onRemove}>
            {text.stepForm.removeStep}
          </button>
        </div>
      </div>
    </fieldset>
  );
}
