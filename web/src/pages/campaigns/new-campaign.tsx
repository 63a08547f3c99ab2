import { type FormEvent, useState } from "react";
import { dashboardCampaigns as text } from "../../../../src/i18n/pt-BR/dashboard-campaigns.ts";
import { ApiError, api } from "../../app/api.ts";
import { FieldError, reasonFor } from "../../app/components/field-error.tsx";
import { FormOutcome } from "../../app/components/form-outcome.tsx";
import { formatCents, parseReais } from "../../app/format.ts";
import type { CampaignCreated, GroupName, TCreateCampaign } from "./campaign-types.ts";

const FIELDS = [
  "name",
  "selection",
  "selection.daysOverdueFrom",
  "selection.daysOverdueTo",
  "selection.amountFromCents",
  "selection.amountToCents",
  "selection.scoreBands",
  "selection.groupId",
  "offer.installments",
  "offer.principalDiscountBps",
  "offer.waiveFine",
  "offer.waiveInterest",
  "channels",
  "validUntil",
  "holdoutPercent",
] as const;

const BANDS = ["low", "medium", "high"] as const;
const CHANNELS = ["email", "sms", "whatsapp"] as const;

/**
 * Creates a campaign through `POST /v1/campaigns` (or counts it first, dryRun): the server checks
 * the terms against the operator's agreement limits and the date, and its refusal is shown beside
 * the field it names.
 */
export function NewCampaign({ groups, onCreated }: { groups: GroupName[]; onCreated: () => void }) {
  const [form, setForm] = useState({
    name: "",
    daysFrom: "60",
    daysTo: "",
    amountFrom: "",
    amountTo: "",
    groupId: "",
    installments: "0",
    discount: "0",
    validUntil: "",
    holdout: "10",
  });
  const [bands, setBands] = useState<string[]>([]);
  const [channels, setChannels] = useState<string[]>(["email"]);
  const [waiveFine, setWaiveFine] = useState(true);
  const [waiveInterest, setWaiveInterest] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) =>
    setForm({ ...form, [key]: event.target.value });
  const toggle = (list: string[], value: string) =>
    list.includes(value) ? list.filter((entry) => entry !== value) : [...list, value];

  function number(value: string, field: string, label: string): number | null | ApiError {
    if (value.trim() === "") return null;
    const parsed = Number(value.replace(",", "."));
    return Number.isFinite(parsed)
      ? parsed
      : new ApiError(400, "validation", text.numberNeeded(label), field);
  }

  function reais(value: string, field: string, label: string): number | null | ApiError {
    if (value.trim() === "") return null;
    return parseReais(value) ?? new ApiError(400, "validation", text.numberNeeded(label), field);
  }

  async function submit(event: FormEvent, dryRun: boolean) {
    event.preventDefault();
    setError(null);
    setDone(null);
    const values = {
      daysFrom: number(form.daysFrom, "selection.daysOverdueFrom", text.fieldDaysFrom),
      daysTo: number(form.daysTo, "selection.daysOverdueTo", text.fieldDaysTo),
      amountFrom: reais(form.amountFrom, "selection.amountFromCents", text.fieldAmountFrom),
      amountTo: reais(form.amountTo, "selection.amountToCents", text.fieldAmountTo),
      installments: number(form.installments, "offer.installments", text.fieldInstallments),
      discount: number(form.discount, "offer.principalDiscountBps", text.fieldDiscount),
      holdout: number(form.holdout, "holdoutPercent", text.fieldHoldout),
    };
    const invalid = Object.values(values).find((value) => value instanceof ApiError);
    if (invalid instanceof ApiError) return setError(invalid);
    const value = (key: keyof typeof values) => values[key] as number | null;
    const body: TCreateCampaign = {
      name: form.name,
      selection: {
        daysOverdueFrom: value("daysFrom") ?? 1,
        daysOverdueTo: value("daysTo"),
        amountFromCents: value("amountFrom"),
        amountToCents: value("amountTo"),
        scoreBands: bands as (typeof BANDS)[number][],
        groupId: form.groupId || null,
      },
      offer: {
        installments: value("installments") ?? 0,
        principalDiscountBps: Math.round((value("discount") ?? 0) * 100),
        waiveFine,
        waiveInterest,
      },
      channels: channels as (typeof CHANNELS)[number][],
      validUntil: form.validUntil,
      holdoutPercent: value("holdout") ?? 0,
      dryRun,
    };
    try {
      const created = await api.post<CampaignCreated>("/v1/campaigns", body);
      const excluded =
        created.excluded.length > 0
          ? ` ${text.excluded(created.excluded.length, created.excluded[0]!.reason)}`
          : "";
      setDone(
        (dryRun
          ? text.simulated(created.eligible, created.matched, formatCents(created.debtCents))
          : text.created(created.offered, created.holdout)) + excluded,
      );
      if (!dryRun) onCreated();
    } catch (failure) {
      setError(failure as ApiError);
    }
  }

  const problem = (field: string) => reasonFor(error, field);
  const described = (field: string, hint?: string) => {
    const ids = [hint, problem(field) ? `${field}-error` : null].filter(Boolean).join(" ");
    return { "aria-describedby": ids || undefined, "aria-invalid": problem(field) ? true : undefined };
  };
  const general =
    error && !(error.field && (FIELDS as readonly string[]).includes(error.field)) ? error : null;
  const input = (
    id: keyof typeof form,
    field: string,
    label: string,
    extra: Record<string, unknown> = {},
  ) => (
    <>
      <label htmlFor={field}>{label}</label>
      <input id={field} value={form[id]} onChange={set(id)} {...described(field)} {...extra} />
      <FieldError id={`${field}-error`} message={problem(field)} />
    </>
  );
  return (
    <section className="card" aria-labelledby="new-campaign">
      <h2 id="new-campaign">{text.newTitle}</h2>
      <form className="stacked-form" onSubmit={(event) => submit(event, false)} noValidate>
        {input("name", "name", text.fieldName, { maxLength: 100 })}
        <fieldset>
          <legend>{text.selectionTitle}</legend>
          <FieldError id="selection-error" message={problem("selection")} />
          {input("daysFrom", "selection.daysOverdueFrom", text.fieldDaysFrom, { inputMode: "numeric" })}
          {input("daysTo", "selection.daysOverdueTo", text.fieldDaysTo, { inputMode: "numeric" })}
          {input("amountFrom", "selection.amountFromCents", text.fieldAmountFrom, { inputMode: "decimal" })}
          {input("amountTo", "selection.amountToCents", text.fieldAmountTo, { inputMode: "decimal" })}
          <small>{text.amountHint}</small>
          <fieldset>
            <legend>{text.fieldBands}</legend>
            {BANDS.map((band) => (
              <label key={band}>
                <input
                  type="checkbox"
                  checked={bands.includes(band)}
                  onChange={() => setBands(toggle(bands, band))}
                />{" "}
                {text.bands[band]}
              </label>
            ))}
          </fieldset>
          <label htmlFor="selection.groupId">{text.fieldGroup}</label>
          <select
            id="selection.groupId"
            value={form.groupId}
            onChange={set("groupId")}
            {...described("selection.groupId")}
          >
            <option value="">{text.anyGroup}</option>
            {groups.map((group) => (
              <option key={group.id} value={group.id}>
                {group.name}
              </option>
            ))}
          </select>
          <FieldError id="selection.groupId-error" message={problem("selection.groupId")} />
        </fieldset>
        <fieldset>
          <legend>{text.offerTitle}</legend>
          {input("installments", "offer.installments", text.fieldInstallments, { inputMode: "numeric" })}
          {input("discount", "offer.principalDiscountBps", text.fieldDiscount, { inputMode: "decimal" })}
          <label>
            <input
              type="checkbox"
              checked={waiveFine}
              onChange={() => setWaiveFine(!waiveFine)}
              {...described("offer.waiveFine")}
            />{" "}
            {text.fieldWaiveFine}
          </label>
          <FieldError id="offer.waiveFine-error" message={problem("offer.waiveFine")} />
          <label>
            <input
              type="checkbox"
              checked={waiveInterest}
              onChange={() => setWaiveInterest(!waiveInterest)}
              {...described("offer.waiveInterest")}
            />{" "}
            {text.fieldWaiveInterest}
          </label>
          <FieldError id="offer.waiveInterest-error" message={problem("offer.waiveInterest")} />
        </fieldset>
        <fieldset>
          <legend>{text.sendTitle}</legend>
          <fieldset>
            <legend>{text.fieldChannels}</legend>
            {CHANNELS.map((channel) => (
              <label key={channel}>
                <input
                  type="checkbox"
                  checked={channels.includes(channel)}
                  onChange={() => setChannels(toggle(channels, channel))}
                />{" "}
                {text.channels[channel]}
              </label>
            ))}
            <FieldError id="channels-error" message={problem("channels")} />
          </fieldset>
          {input("validUntil", "validUntil", text.fieldValidUntil, { type: "date" })}
          {input("holdout", "holdoutPercent", text.fieldHoldout, { inputMode: "decimal" })}
        </fieldset>
        <FormOutcome error={general} notice={done} />
        <button type="button" className="secondary" onClick={(event) => submit(event, true)}>
          {text.simulate}
        </button>{" "}
        <button type="submit">{text.create}</button>
      </form>
    </section>
  );
}
