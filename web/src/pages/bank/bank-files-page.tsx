import { type FormEvent, useState } from "react";
import { dashboardBank } from "../../../../src/i18n/pt-BR/dashboard-bank.ts";
import { type ApiError, api } from "../../app/api.ts";
import { DataTable } from "../../app/components/data-table.tsx";
import { FormOutcome } from "../../app/components/form-outcome.tsx";
import { formatCents, formatDate } from "../../app/format.ts";
import { usePageTitle } from "../../app/page-title.ts";
import { useMay } from "../../app/permissions.ts";
import { WhenLoaded } from "../../app/ui.tsx";
import { useApiData } from "../../app/use-api.ts";

const text = dashboardBank;

interface ImportReport {
  alreadyImported: boolean;
  dryRun: boolean;
  records: number;
  paid: { count: number; cents: number };
  queued: { count: number; cents: number };
  problems: { line: number; message: string }[];
}

interface QueueItem {
  id: string;
  reason: string;
  ourNumber: string;
  paidCents: number;
  paidOn: string;
  suggestions: { invoiceId: string; externalId: string; customerName: string; why: string }[];
}

/** Upload of a bank's return file and the reconciliation queue (docs/bank-files.md). */
export function BankFilesPage() {
  usePageTitle(text.title);
  const queue = useApiData<{ data: QueueItem[] }>("/v1/reconciliation");
  // a viewer reads the queue; importing files and deciding payments are for those who write
  const mayWrite = useMay("write");
  return (
    <>
      <h1>{text.title}</h1>
      {mayWrite ? <Upload onImported={queue.reload} /> : null}
      <section aria-labelledby="queue">
        <h2 id="queue">{text.queueTitle}</h2>
        <WhenLoaded loaded={queue}>
          {(data) => <Queue items={data.data} onDecided={queue.reload} mayDecide={mayWrite} />}
        </WhenLoaded>
      </section>
    </>
  );
}

function Upload({ onImported }: { onImported: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [dryRun, setDryRun] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      // banks write Latin-1: read it as such so every position stays one character
      const content = new TextDecoder("latin1").decode(await file.arrayBuffer());
      setReport(await api.postText<ImportReport>(`/v1/bank-files${dryRun ? "?dryRun=true" : ""}`, content));
      onImported();
    } catch (failure) {
      setError(failure as ApiError);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section aria-labelledby="upload">
      <h2 id="upload">{text.uploadTitle}</h2>
      <p>{text.uploadHelp}</p>
      <form onSubmit={submit}>
        <label>
          {text.fileLabel}
          <input type="file" required onChange={(event) => setFile(event.target.files?.[0] ?? null)} />
        </label>
        <label>
          <input type="checkbox" checked={dryRun} onChange={(event) => setDryRun(event.target.checked)} />
          {text.dryRunLabel}
        </label>
        <button type="submit" disabled={busy || !file}>
          {busy ? text.uploading : text.upload}
        </button>
      </form>
      <FormOutcome
        error={error}
        notice={
          report
            ? report.alreadyImported
              ? text.alreadyImported
              : `${text.report(report.records, report.paid.count, formatCents(report.paid.cents), report.queued.count, formatCents(report.queued.cents))}${report.dryRun ? ` ${text.dryRunNote}` : ""}`
            : null
        }
      />
      {report && report.problems.length > 0 ? (
        <>
          <h3>{text.problemsTitle}</h3>
          <ul>
            {report.problems.map((problem) => (
              <li key={problem.line}>{text.problemLine(problem.line, problem.message)}</li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function Queue({
  items,
  onDecided,
  mayDecide,
}: {
  items: QueueItem[];
  onDecided: () => void;
  mayDecide: boolean;
}) {
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  async function decide(path: string, body: unknown, done: string) {
    setError(null);
    setNotice(null);
    try {
      await api.post(path, body);
      setNotice(done);
      onDecided();
    } catch (failure) {
      setError(failure as ApiError);
    }
  }
  return (
    <>
      <FormOutcome error={error} notice={notice} />
      <DataTable
        caption={text.queueCaption}
        empty={text.queueEmpty}
        columns={[
          { label: text.columns.paidOn },
          { label: text.columns.value, numeric: true },
          { label: text.columns.ourNumber },
          { label: text.columns.reason },
          ...(mayDecide ? [{ label: text.columns.actions }] : []),
        ]}
        rows={items}
        rowKey={(item) => item.id}
        cells={(item) => (
          <>
            <td>{formatDate(item.paidOn)}</td>
            <td className="number">{formatCents(item.paidCents)}</td>
            <td>{item.ourNumber}</td>
            <td>{text.reasons[item.reason] ?? item.reason}</td>
            {mayDecide ? (
              <td>
                {item.suggestions.length === 0 ? <span>{text.noSuggestion} </span> : null}
                {item.suggestions.map((suggestion) => (
                  <button
                    key={suggestion.invoiceId}
                    type="button"
                    title={`${suggestion.customerName} · ${text.why[suggestion.why] ?? suggestion.why}`}
                    onClick={() =>
                      decide(
                        `/v1/reconciliation/${item.id}/match`,
                        { invoiceId: suggestion.invoiceId },
                        text.matched,
                      )
                    }
                  >
                    {text.matchTo(suggestion.externalId)}
                  </button>
                ))}
                <button
                  type="button"
                  onClick={() => decide(`/v1/reconciliation/${item.id}/refund`, {}, text.refunded)}
                >
                  {text.refund}
                </button>
              </td>
            ) : null}
          </>
        )}
      />
    </>
  );
}
