import { useEffect, useState } from "react";
import { jobs as text } from "../../../../src/i18n/pt-BR/jobs.ts";
import type { BulkJobView } from "../../../../src/modules/bulk-jobs/bulk-job.ts";
import { ApiError, api } from "../api.ts";
import { ErrorBox } from "../ui.tsx";

const POLL_MS = 500;

/**
 * A background job's progress (GET /v1/jobs/{id}, polled until it ends): a bar with "done of
 * total", the items left out and why, the file to download and, when it ends, `onFinished`.
 */
export function JobProgress({
  jobId,
  finishedNotice,
  onFinished,
}: {
  jobId: string;
  /** what to say when the job is done, from its result */
  finishedNotice: (job: BulkJobView) => string;
  onFinished?: (job: BulkJobView) => void;
}) {
  const [job, setJob] = useState<BulkJobView | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: polls one job; the callback may change each render
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const current = await api.get<BulkJobView>(`/v1/jobs/${jobId}`);
        if (stopped) return;
        setJob(current);
        setError(null);
        if (current.state === "done" || current.state === "failed") {
          onFinished?.(current);
          return;
        }
      } catch (failure) {
        if (stopped) return;
        setError(
          failure instanceof ApiError ? failure : new ApiError(0, "unexpected", String(failure), null),
        );
      }
      timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [jobId]);

  if (!job) return error ? <ErrorBox error={error} /> : null;
  const kind = text.kinds[job.kind] ?? job.kind;
  return (
    <div className="job-progress">
      <progress max={100} value={job.percent} aria-label={kind} aria-valuetext={`${job.percent}%`} />{" "}
      <span>
        {text.progress(kind, job.done, job.total)}
        {job.file && job.state !== "done" ? `; ${text.fileProgress(job.file.done, job.file.total)}` : ""} —{" "}
        {text.states[job.state] ?? job.state}
      </span>
      {error ? <ErrorBox error={error} /> : null}
      {job.state === "done" ? (
        <p className="notice" role="status">
          {finishedNotice(job)}{" "}
          {job.fileUrl ? (
            <a href={job.fileUrl} download={job.fileName ?? undefined}>
              {text.download}
            </a>
          ) : null}
        </p>
      ) : null}
      {job.state === "failed" ? <ErrorBox error={job.failure ?? text.failed} /> : null}
      {job.errors.length > 0 ? (
        <details>
          <summary>{text.errorsTitle(job.errors.length)}</summary>
          <ul>
            {job.errors.map((item) => (
              <li key={`${item.customerId ?? ""}-${item.message}`}>
                {item.name ?? item.customerId ?? ""}: {item.message}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
