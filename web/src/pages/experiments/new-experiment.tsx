import { type FormEvent, useState } from "react";
import { dashboardExperiments as text } from "../../../../src/i18n/pt-BR/dashboard-experiments.ts";
import { ApiError, api } from "../../app/api.ts";
import { FieldError, reasonFor } from "../../app/components/field-error.tsx";
import { FormOutcome } from "../../app/components/form-outcome.tsx";
import type { Experiment, PolicyName, TCreateExperiment } from "./experiment-types.ts";

const FIELDS = ["name", "controlPolicyId", "variantPolicyId", "holdoutPercent", "horizonDays"] as const;

/**
 * Starts an experiment through `POST /v1/experiments`; the server validates and its refusal is shown
 * beside the field it names (a variant equal to the control, a holdout over 50%…).
 */
export function NewExperiment({ policies, onCreated }: { policies: PolicyName[]; onCreated: () => void }) {
  const [name, setName] = useState("");
  const [controlPolicyId, setControlPolicyId] = useState(policies.find((policy) => policy.active)?.id ?? "");
  const [variantPolicyId, setVariantPolicyId] = useState("");
  const [holdoutPercent, setHoldoutPercent] = useState("0");
  const [horizonDays, setHorizonDays] = useState("30");
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setDone(null);
    const holdout = Number(holdoutPercent.replace(",", "."));
    const horizon = Number(horizonDays);
    if (holdoutPercent.trim() === "" || !Number.isFinite(holdout)) {
      setError(new ApiError(400, "validation", text.numberNeeded("holdoutPercent"), "holdoutPercent"));
      return;
    }
    if (horizonDays.trim() === "" || !Number.isFinite(horizon)) {
      setError(new ApiError(400, "validation", text.numberNeeded("horizonDays"), "horizonDays"));
      return;
    }
    const body: TCreateExperiment = {
      name,
      controlPolicyId,
      variantPolicyId: variantPolicyId || null,
      holdoutPercent: holdout,
      horizonDays: horizon,
    };
    try {
      const created = await api.post<Experiment & { assigned: number }>("/v1/experiments", body);
      setDone(text.created(created.name, created.assigned));
      setName("");
      onCreated();
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
  return (
    <section className="card" aria-labelledby="new-experiment">
      <h2 id="new-experiment">{text.newTitle}</h2>
      <form className="stacked-form" onSubmit={submit} noValidate>
        <label htmlFor="name">{text.fieldName}</label>
        <input
          id="name"
          value={name}
          maxLength={100}
          onChange={(event) => setName(event.target.value)}
          {...described("name")}
        />
        <FieldError id="name-error" message={problem("name")} />
        <label htmlFor="controlPolicyId">{text.fieldControl}</label>
        <select
          id="controlPolicyId"
          value={controlPolicyId}
          onChange={(event) => setControlPolicyId(event.target.value)}
          {...described("controlPolicyId")}
        >
          {policies.map((policy) => (
            <option key={policy.id} value={policy.id}>
              {policy.name}
            </option>
          ))}
        </select>
        <FieldError id="controlPolicyId-error" message={problem("controlPolicyId")} />
        <label htmlFor="variantPolicyId">{text.fieldVariant}</label>
        <select
          id="variantPolicyId"
          value={variantPolicyId}
          onChange={(event) => setVariantPolicyId(event.target.value)}
          {...described("variantPolicyId", "variantPolicyId-hint")}
        >
          <option value="">{text.noVariantOption}</option>
          {policies.map((policy) => (
            <option key={policy.id} value={policy.id}>
              {policy.name}
            </option>
          ))}
        </select>
        <small id="variantPolicyId-hint">{text.variantHint}</small>
        <FieldError id="variantPolicyId-error" message={problem("variantPolicyId")} />
        <label htmlFor="holdoutPercent">{text.fieldHoldout}</label>
        <input
          id="holdoutPercent"
          inputMode="decimal"
          value={holdoutPercent}
          onChange={(event) => setHoldoutPercent(event.target.value)}
          {...described("holdoutPercent")}
        />
        <FieldError id="holdoutPercent-error" message={problem("holdoutPercent")} />
        <label htmlFor="horizonDays">{text.fieldHorizon}</label>
        <input
          id="horizonDays"
          inputMode="numeric"
          value={horizonDays}
          onChange={(event) => setHorizonDays(event.target.value)}
          {...described("horizonDays")}
        />
        <FieldError id="horizonDays-error" message={problem("horizonDays")} />
        <FormOutcome error={general} notice={done} />
        <button type="submit">{text.create}</button>
      </form>
    </section>
  );
}
