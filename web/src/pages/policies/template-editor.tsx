import { type FormEvent, useEffect, useId, useState } from "react";
import { dashboardPolicies as text } from "../../../../src/i18n/pt-BR/dashboard-policies.ts";
import { templateTitle } from "../../../../src/i18n/pt-BR/template-names.ts";
import { fieldReason } from "../../../../src/shared/field-messages.ts";
import { ApiError, api } from "../../app/api.ts";
import { ErrorBox } from "../../app/ui.tsx";
import type { MessageTemplate } from "./policy-types.ts";

interface Preview {
  rendered: { subject: string | null; text: string; parameters: string[] };
  html: string | null;
  sms: { segments: number; maxSegments: number; encoding: string } | null;
  problems: string[];
}

/** How long the text must rest before the preview is asked again. */
const PREVIEW_DELAY_MS = 400;

function draftBody(template: MessageTemplate, subject: string, body: string) {
  return {
    subject: template.subject === null && subject === "" ? null : subject,
    body,
    whatsappTemplate: template.whatsappTemplate,
    whatsappLanguage: template.whatsappLanguage,
    whatsappParameters: template.whatsappParameters,
  };
}

/**
 * One template's text with its live preview (sample data or a chosen customer's, asked of the
 * server a moment after the typing stops), save, and a test sent to the operator's own e-mail.
 */
export function TemplateEditor({ template, onClose }: { template: MessageTemplate; onClose(): void }) {
  const id = useId();
  const [subject, setSubject] = useState(template.subject ?? "");
  const [body, setBody] = useState(template.body);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [previewError, setPreviewError] = useState<ApiError | null>(null);
  const [updating, setUpdating] = useState(false);
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [customer, setCustomer] = useState<{ id: string; name: string } | null>(null);

  useEffect(() => {
    let cancelled = false;
    setUpdating(true);
    const timer = setTimeout(() => {
      api
        .post<Preview>("/v1/templates/preview", {
          name: template.name,
          ...draftBody(template, subject, body),
          ...(customer ? { customerId: customer.id } : {}),
        })
        .then((result) => {
          if (cancelled) return;
          setPreview(result);
          setPreviewError(null);
        })
        .catch((error: unknown) => {
          if (!cancelled && error instanceof ApiError) setPreviewError(error);
        })
        .finally(() => {
          if (!cancelled) setUpdating(false);
        });
    }, PREVIEW_DELAY_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [template, subject, body, customer]);

  const save = async () => {
    setNotice(null);
    try {
      await api.put(`/v1/templates/${encodeURIComponent(template.name)}`, draftBody(template, subject, body));
      setSaveError(null);
      setNotice(text.templateEditor.saved);
    } catch (error) {
      if (error instanceof ApiError) setSaveError(error);
    }
  };
  const testSend = async () => {
    setNotice(null);
    try {
      const sent = await api.post<{ sentTo: string }>(
        `/v1/templates/${encodeURIComponent(template.name)}/test-send`,
        draftBody(template, subject, body),
      );
      setSaveError(null);
      setNotice(text.templateEditor.testSent(sent.sentTo));
    } catch (error) {
      if (error instanceof ApiError) setSaveError(error);
    }
  };
  const errorOf = (field: string) =>
    saveError?.field === field ? fieldReason(field, saveError.message) : null;

  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>
        {text.templateEditor.heading(templateTitle(template.name))}{" "}
        <small>({template.custom ? text.templateEditor.custom : text.templateEditor.standard})</small>
      </h2>
      <div className="template-editor">
        {template.subject !== null || subject !== "" ? (
          <div className="field wide">
            <label htmlFor={`${id}-subject`}>{text.templateEditor.subject}</label>
            <input
              id={`${id}-subject`}
              value={subject}
              aria-invalid={errorOf("subject") ? true : undefined}
              aria-describedby={errorOf("subject") ? `${id}-subject-error` : undefined}
              onChange={(event) => setSubject(event.target.value)}
            />
            {errorOf("subject") ? (
              <span id={`${id}-subject-error`} className="field-error" role="alert">
                {errorOf("subject")}
              </span>
            ) : null}
          </div>
        ) : null}
        <div className="field">
          <label htmlFor={`${id}-body`}>{text.templateEditor.body}</label>
          <textarea
            id={`${id}-body`}
            value={body}
            aria-invalid={errorOf("body") ? true : undefined}
            aria-describedby={`${id}-body-hint${errorOf("body") ? ` ${id}-body-error` : ""}`}
            onChange={(event) => setBody(event.target.value)}
          />
          <small id={`${id}-body-hint`}>{text.templateEditor.bodyHint}</small>
          {errorOf("body") ? (
            <span id={`${id}-body-error`} className="field-error" role="alert">
              {errorOf("body")}
            </span>
          ) : null}
        </div>
        <div className="field" aria-live="polite" aria-busy={updating}>
          <h3>{customer ? text.templateEditor.previewOf(customer.name) : text.templateEditor.preview}</h3>
          <CustomerChoice chosen={customer} onChoose={setCustomer} />
          {updating ? <small>{text.templateEditor.previewUpdating}</small> : null}
          {previewError ? <ErrorBox error={previewError} /> : null}
          {preview ? (
            <>
              {preview.rendered.subject ? (
                <p>
                  <strong data-testid="preview-subject">{preview.rendered.subject}</strong>
                </p>
              ) : null}
              <div className="preview-text" data-testid="preview-text">
                {preview.rendered.text}
              </div>
              {preview.sms ? (
                <p>
                  {text.templateEditor.smsParts(
                    preview.sms.segments,
                    preview.sms.maxSegments,
                    preview.sms.encoding,
                  )}
                </p>
              ) : null}
              {preview.html ? (
                <iframe
                  className="preview-frame"
                  title={text.templateEditor.previewFrame}
                  sandbox=""
                  srcDoc={preview.html}
                />
              ) : null}
              {preview.problems.length > 0 ? (
                <div className="error-box">
                  <strong>{text.templateEditor.problems}</strong>
                  <ul>
                    {preview.problems.map((problem) => (
                      <li key={problem}>{problem}</li>
                    ))}
                  </ul>
                </div>
              ) : null}
            </>
          ) : null}
        </div>
        <div className="wide actions-row">
          <button type="button" onClick={() => void save()}>
            {text.templateEditor.save}
          </button>
          <button type="button" className="secondary" onClick={() => void testSend()}>
            {text.templateEditor.testSend}
          </button>
          <button type="button" className="secondary" onClick={onClose}>
            {text.templateEditor.close}
          </button>
        </div>
        {saveError && !errorOf("body") && !errorOf("subject") ? <ErrorBox error={saveError} /> : null}
        {notice ? (
          <p className="notice wide" role="status">
            {notice}
          </p>
        ) : null}
      </div>
    </section>
  );
}

/** Picks the customer whose data the preview uses: the first match of a search, or sample data. */
function CustomerChoice({
  chosen,
  onChoose,
}: {
  chosen: { id: string; name: string } | null;
  onChoose(customer: { id: string; name: string } | null): void;
}) {
  const id = useId();
  const [search, setSearch] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  async function find(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    try {
      const page = await api.get<{ data: { id: string; name: string }[] }>(
        `/v1/customer-overview?search=${encodeURIComponent(search)}&limit=1`,
      );
      const [found] = page.data;
      if (found) onChoose({ id: found.id, name: found.name });
      else setProblem(text.templateEditor.customerNotFound(search));
    } catch (error) {
      if (error instanceof ApiError) setProblem(error.message);
    }
  }
  if (chosen) {
    return (
      <button type="button" className="secondary" onClick={() => onChoose(null)}>
        {text.templateEditor.sampleData}
      </button>
    );
  }
  return (
    <form onSubmit={find}>
      <label htmlFor={`${id}-search`}>{text.templateEditor.customerSearch}</label>{" "}
      <input
        id={`${id}-search`}
        type="search"
        value={search}
        onChange={(event) => setSearch(event.target.value)}
      />{" "}
      <button type="submit" className="secondary" disabled={search.trim() === ""}>
        {text.templateEditor.customerFind}
      </button>
      {problem ? <p role="alert">{problem}</p> : null}
    </form>
  );
}
