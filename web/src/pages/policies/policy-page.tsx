import { useEffect, useState } from "react";
import { dashboardPolicies as text } from "../../../../src/i18n/pt-BR/dashboard-policies.ts";
import { fieldReason } from "../../../../src/shared/field-messages.ts";
import { ApiError, api } from "../../app/api.ts";
import { usePageTitle } from "../../app/page-title.ts";
import { useMay } from "../../app/permissions.ts";
import { ErrorBox } from "../../app/ui.tsx";
import { useApiData } from "../../app/use-api.ts";
import { PolicyTimeline, StepsTable } from "./policy-timeline.tsx";
import type { MessageTemplate, Policy, PolicyStep } from "./policy-types.ts";
import { StepForm } from "./step-form.tsx";
import { TemplateEditor } from "./template-editor.tsx";

const SHOWN_IN_STEP_FORM =
  /^(name|offsetDays|channels|templates\.[a-z]+|window(\.start|\.end)?|conditions\.(minAmountCents|maxAmountCents|onlyIf\.step|scoreBands(\.\d+)?))$/;

/**
 * The policy editor: the régua as a timeline and as a table, the selected step's form, the
 * template editor with its live preview. The whole policy is saved at once through
 * `PUT /v1/policies/{name}`; the server's errors appear beside the field they name.
 */
export function PolicyPage() {
  usePageTitle(text.pageTitle);
  const policies = useApiData<{ data: Policy[] }>("/v1/policies");
  const templates = useApiData<{ data: MessageTemplate[] }>("/v1/templates");
  const [policyName, setPolicyName] = useState<string | null>(null);
  const [draft, setDraft] = useState<Policy | null>(null);
  const [selected, choosePosition] = useState<number | null>(null);
  // amounts typed that are not amounts, by the step field's path: shown beside it, and the régua
  // is not saved until they are fixed (never sent as "no condition")
  const [typed, setTyped] = useState<Record<string, string>>({});
  const setSelected = (position: number | null) => {
    choosePosition(position);
    setTyped({});
  };
  const [editing, setEditing] = useState<MessageTemplate | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  // the régua is the administrators' to change; the others read it
  const mayEdit = useMay("policies");

  const list = policies.data?.data ?? [];
  useEffect(() => {
    if (draft || list.length === 0) return;
    const first = list.find((policy) => policy.name === policyName) ?? list[0]!;
    setPolicyName(first.name);
    setDraft(structuredClone(first));
  }, [list, draft, policyName]);

  if (policies.status === "failed") return <ErrorBox error={policies.error} />;

  const choose = (name: string) => {
    const policy = list.find((entry) => entry.name === name);
    if (!policy) return;
    setPolicyName(name);
    setDraft(structuredClone(policy));
    setSelected(null);
    setEditing(null);
    setError(null);
    setDirty(false);
  };
  const changeStep = (index: number, step: PolicyStep) => {
    if (!draft) return;
    setDraft({ ...draft, steps: draft.steps.map((entry, position) => (position === index ? step : entry)) });
    setDirty(true);
    setSaved(false);
  };
  const addStep = () => {
    if (!draft) return;
    const step: PolicyStep = {
      name: text.stepForm.newStepName(draft.steps.length + 1),
      offsetDays: 1,
      dayKind: "calendar",
      channels: [],
      templates: {},
      conditions: {
        minAmountCents: null,
        maxAmountCents: null,
        verifiedContactsOnly: false,
        onlyWithoutChannel: null,
        onlyIf: null,
        scoreBands: [],
      },
      window: null,
    };
    setDraft({ ...draft, steps: [...draft.steps, step] });
    setSelected(draft.steps.length);
    setDirty(true);
  };
  const removeStep = (index: number) => {
    if (!draft) return;
    setDraft({ ...draft, steps: draft.steps.filter((_, position) => position !== index) });
    setSelected(null);
    setDirty(true);
  };
  const save = async () => {
    if (!draft) return;
    setSaved(false);
    if (Object.keys(typed).length > 0) return;
    setSaving(true);
    try {
      const result = await api.put<Policy>(`/v1/policies/${encodeURIComponent(draft.name)}`, draft);
      setDraft(structuredClone(result));
      setError(null);
      setSaved(true);
      setDirty(false);
      policies.reload();
    } catch (failure) {
      if (failure instanceof ApiError) setError(failure);
    } finally {
      setSaving(false);
    }
  };
  const openTemplate = async (name: string) => {
    try {
      setEditing(await api.get<MessageTemplate>(`/v1/templates/${encodeURIComponent(name)}`));
    } catch (failure) {
      if (failure instanceof ApiError) setError(failure);
    }
  };

  const stepPrefix = selected === null ? null : `steps.${selected}.`;
  const stepFieldError = (path: string) =>
    typed[path] ??
    (error?.field && stepPrefix && error.field === `${stepPrefix}${path}`
      ? fieldReason(error.field, error.message)
      : null);
  // errors about a field the step form shows appear there, beside it; any other in the box above
  const fieldOfStep =
    error?.field && stepPrefix?.length && error.field.startsWith(stepPrefix)
      ? error.field.slice(stepPrefix.length)
      : null;
  const shownElsewhere = fieldOfStep !== null && SHOWN_IN_STEP_FORM.test(fieldOfStep);

  return (
    <section className="policy-editor">
      <h1>{text.pageTitle}</h1>
      <p>{text.intro}</p>
      {list.length === 0 && policies.status === "ready" ? <p>{text.noPolicies}</p> : null}
      {list.length > 1 ? (
        <div className="field">
          <label htmlFor="policy-choice">{text.policy}</label>
          <select
            id="policy-choice"
            value={policyName ?? ""}
            onChange={(event) => choose(event.target.value)}
          >
            {list.map((policy) => (
              <option key={policy.id} value={policy.name}>
                {policy.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {draft ? (
        <>
          <h2>{draft.name}</h2>
          <PolicyTimeline
            steps={draft.steps}
            selected={selected}
            onSelect={mayEdit ? setSelected : undefined}
          />
          <StepsTable steps={draft.steps} onSelect={mayEdit ? setSelected : undefined} />
          {mayEdit ? (
            <div className="actions-row">
              <button type="button" className="secondary" onClick={addStep}>
                {text.stepForm.addStep}
              </button>
              <button type="button" onClick={() => void save()} disabled={saving}>
                {saving ? text.stepForm.saving : text.stepForm.save}
              </button>
              {dirty ? <span>{text.stepForm.unsaved}</span> : null}
              {Object.keys(typed).length > 0 ? <span role="alert">{text.stepForm.fixFirst}</span> : null}
            </div>
          ) : null}
          {saved ? (
            <p className="notice" role="status">
              {text.stepForm.saved}
            </p>
          ) : null}
          {error && !shownElsewhere ? <ErrorBox error={error} /> : null}
          {mayEdit && selected !== null && draft.steps[selected] ? (
            <StepForm
              key={`${policyName}-${selected}`}
              step={draft.steps[selected]!}
              earlierSteps={draft.steps.slice(0, selected).map((step) => step.name)}
              templates={templates.data?.data ?? []}
              error={stepFieldError}
              onChange={(step) => changeStep(selected, step)}
              onTyped={(path, problem) =>
                setTyped((current) => {
                  const { [path]: _, ...others } = current;
                  return problem ? { ...others, [path]: problem } : others;
                })
              }
              onEditTemplate={(name) => void openTemplate(name)}
              onRemove={() => removeStep(selected)}
            />
          ) : null}
          {mayEdit && editing ? (
            <TemplateEditor key={editing.name} template={editing} onClose={() => setEditing(null)} />
          ) : null}
        </>
      ) : null}
    </section>
  );
}
