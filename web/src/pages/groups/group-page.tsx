import { type FormEvent, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { formatDocument } from "../../../../src/domain/documents.ts";
import { dashboardWork } from "../../../../src/i18n/pt-BR/dashboard-work.ts";
import { type ApiError, api } from "../../app/api.ts";
import { DataTable } from "../../app/components/data-table.tsx";
import { FormOutcome } from "../../app/components/form-outcome.tsx";
import { formatCents, formatDate } from "../../app/format.ts";
import { usePageTitle } from "../../app/page-title.ts";
import { useMay } from "../../app/permissions.ts";
import { WhenLoaded } from "../../app/ui.tsx";
import { useApiData } from "../../app/use-api.ts";
import type { GroupView, MemberView } from "./group-types.ts";

const text = dashboardWork.group;

/** One group: its members with what they owe today, removal, and the CSV export. */
export function GroupPage() {
  const { groupId } = useParams();
  const group = useApiData<GroupView>(`/v1/groups/${groupId}`);
  const members = useApiData<{ data: MemberView[] }>(`/v1/groups/${groupId}/members?limit=200`);
  const [error, setError] = useState<ApiError | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  usePageTitle(group.data?.name ?? dashboardWork.groups.title);
  // a viewer sees the members; changing the group or its members is for those who write
  const mayWrite = useMay("write");
  async function remove(customerId: string) {
    setError(null);
    setStatus(null);
    try {
      await api.delete(`/v1/groups/${groupId}/members/${customerId}`);
      setStatus(text.removed);
      members.reload();
      group.reload();
    } catch (failure) {
      setError(failure as ApiError);
    }
  }
  return (
    <>
      <p>
        <Link to="/grupos">{text.back}</Link>
      </p>
      <WhenLoaded loaded={group}>
        {(data) => (
          <>
            <h1>{data.name}</h1>
            <p>
              {dashboardWork.groupPurpose[data.purpose]}
              {data.description ? ` — ${data.description}` : ""}
            </p>
            <p>
              <a href={`/v1/groups/${data.id}/export`} download>
                {text.export}
              </a>
            </p>
            {mayWrite ? (
              <GroupEditor
                group={data}
                onSaved={() => {
                  setError(null);
                  setStatus(text.saved);
                  group.reload();
                }}
                onError={(failure) => {
                  setStatus(null);
                  setError(failure);
                }}
              />
            ) : null}
          </>
        )}
      </WhenLoaded>
      <FormOutcome error={error} notice={status} />
      <WhenLoaded loaded={members}>
        {(data) => (
          <DataTable
            caption={text.membersCaption}
            empty={text.empty}
            columns={[
              { label: text.columns.customer },
              { label: text.columns.document },
              { label: text.columns.overdue, numeric: true },
              { label: text.columns.days, numeric: true },
              ...(group.data?.purpose === "bureau"
                ? [
                    { label: text.columns.notice },
                    { label: text.columns.settled },
                    { label: text.columns.deadline },
                  ]
                : []),
              ...(mayWrite ? [{ label: text.columns.actions }] : []),
            ]}
            rows={data.data}
            rowKey={(member) => member.customerId}
            cells={(member) => (
              <>
                <td>
                  <Link to={`/clientes/${member.customerId}`}>{member.name}</Link>
                </td>
                <td>{formatDocument(member.document)}</td>
                <td className="number">{formatCents(member.overdueCents)}</td>
                <td className="number">{member.daysOverdue}</td>
                {group.data?.purpose === "bureau" ? (
                  <>
                    <td>{member.noticeSentOn ? formatDate(member.noticeSentOn) : "—"}</td>
                    <td>{member.settledOn ? formatDate(member.settledOn) : "—"}</td>
                    <td>{member.removalDueOn ? formatDate(member.removalDueOn) : "—"}</td>
                  </>
                ) : null}
                {mayWrite ? (
                  <td>
                    <button type="button" className="secondary" onClick={() => remove(member.customerId)}>
                      {group.data?.purpose === "bureau"
                        ? text.removeBureau(member.name)
                        : text.remove(member.name)}
                    </button>
                  </td>
                ) : null}
              </>
            )}
          />
        )}
      </WhenLoaded>
    </>
  );
}

/**
 * Rename or describe the group; an admin may delete it. The server refuses to delete a group with
 * members, or a bureau group with a record, and its message says why.
 */
function GroupEditor({
  group,
  onSaved,
  onError,
}: {
  group: GroupView;
  onSaved: () => void;
  onError: (error: ApiError) => void;
}) {
  const mayDelete = useMay("admin");
  const navigate = useNavigate();
  const [name, setName] = useState(group.name);
  const [description, setDescription] = useState(group.description);
  async function save(event: FormEvent) {
    event.preventDefault();
    try {
      await api.patch(`/v1/groups/${group.id}`, { name, description });
      onSaved();
    } catch (failure) {
      onError(failure as ApiError);
    }
  }
  async function remove() {
    if (!window.confirm(text.confirmDelete(group.name))) return;
    try {
      await api.delete(`/v1/groups/${group.id}`);
      navigate("/grupos");
    } catch (failure) {
      onError(failure as ApiError);
    }
  }
  return (
    <details className="card">
      <summary>{text.edit}</summary>
      <form onSubmit={save}>
        <label>
          {text.name}{" "}
          <input required maxLength={100} value={name} onChange={(event) => setName(event.target.value)} />
        </label>{" "}
        <label>
          {text.description}{" "}
          <input
            maxLength={1000}
            value={description}
            onChange={(event) => setDescription(event.target.value)}
          />
        </label>{" "}
        <button type="submit">{text.save}</button>{" "}
        {mayDelete ? (
          <button type="button" className="secondary" onClick={remove}>
            {text.delete}
          </button>
        ) : null}
      </form>
    </details>
  );
}
