import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { formatDocument } from "../../../../src/domain/documents.ts";
import { dashboardWork } from "../../../../src/i18n/pt-BR/dashboard-work.ts";
import { type ApiError, api } from "../../app/api.ts";
import { DataTable } from "../../app/components/data-table.tsx";
import { FormOutcome } from "../../app/components/form-outcome.tsx";
import { LabelOptions } from "../../app/components/label-options.tsx";
import { formatDate } from "../../app/format.ts";
import { usePageTitle } from "../../app/page-title.ts";
import { useMay } from "../../app/permissions.ts";
import { WhenLoaded } from "../../app/ui.tsx";
import { useApiData } from "../../app/use-api.ts";
import type { GroupView, RemovalView } from "./group-types.ts";

const text = dashboardWork.groups;

/** The groups, the bureau removals due with their deadline, and a form to create a group. */
export function GroupsPage() {
  usePageTitle(text.title);
  const groups = useApiData<{ data: GroupView[] }>("/v1/groups");
  const removals = useApiData<{ data: RemovalView[] }>("/v1/groups/removals-due");
  const mayWrite = useMay("write");
  return (
    <>
      <h1>{text.title}</h1>
      <p>{text.rules}</p>
      <WhenLoaded loaded={groups}>
        {(data) => (
          <DataTable
            caption={text.caption}
            empty={text.empty}
            columns={[
              { label: text.columns.name },
              { label: text.columns.purpose },
              { label: text.columns.members, numeric: true },
              { label: text.columns.removals, numeric: true },
            ]}
            rows={data.data}
            rowKey={(group) => group.id}
            cells={(group) => (
              <>
                <td>
                  <Link to={`/grupos/${group.id}`}>{group.name}</Link>
                </td>
                <td>{dashboardWork.groupPurpose[group.purpose]}</td>
                <td className="number">{group.members}</td>
                <td className="number">{group.purpose === "bureau" ? group.removalsDue : "—"}</td>
              </>
            )}
          />
        )}
      </WhenLoaded>
      <section aria-labelledby="removals">
        <h2 id="removals">{text.removalsTitle}</h2>
        <WhenLoaded loaded={removals}>
          {(data) =>
            data.data.length === 0 ? (
              <p>{text.removalsEmpty}</p>
            ) : (
              <>
                <DataTable
                  caption={text.removalsCaption}
                  empty={text.removalsEmpty}
                  columns={[
                    { label: text.removalColumns.group },
                    { label: text.removalColumns.customer },
                    { label: text.removalColumns.document },
                    { label: text.removalColumns.settled },
                    { label: text.removalColumns.deadline },
                    { label: text.removalColumns.left, numeric: true },
                  ]}
                  rows={data.data}
                  rowKey={(removal) => `${removal.groupId}-${removal.customerId}`}
                  cells={(removal) => (
                    <>
                      <td>
                        <Link to={`/grupos/${removal.groupId}`}>{removal.groupName}</Link>
                      </td>
                      <td>{removal.name}</td>
                      <td>{formatDocument(removal.document)}</td>
                      <td>{formatDate(removal.settledOn)}</td>
                      <td>{formatDate(removal.removalDueOn)}</td>
                      <td className="number">
                        {removal.businessDaysLeft}
                        {removal.businessDaysLeft < 0 ? (
                          <span className="badge danger"> {text.late}</span>
                        ) : null}
                      </td>
                    </>
                  )}
                />
                <p>
                  <a href="/v1/groups/removals-due?format=csv" download>
                    {text.removalsCsv}
                  </a>
                </p>
              </>
            )
          }
        </WhenLoaded>
      </section>
      {mayWrite ? <NewGroup onCreated={groups.reload} /> : null}
    </>
  );
}

function NewGroup({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState("");
  const [purpose, setPurpose] = useState("general");
  const [description, setDescription] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setDone(null);
    try {
      const group = await api.post<GroupView>("/v1/groups", { name, purpose, description });
      setDone(text.created(group.name));
      setName("");
      setDescription("");
      onCreated();
    } catch (failure) {
      setError(failure as ApiError);
    }
  }
  return (
    <section className="card" aria-labelledby="new-group">
      <h2 id="new-group">{text.newTitle}</h2>
      <form className="stacked-form" onSubmit={submit}>
        <label htmlFor="group-name">{text.fieldName}</label>
        <input id="group-name" required value={name} onChange={(event) => setName(event.target.value)} />
        <label htmlFor="group-purpose">{text.fieldPurpose}</label>
        <select id="group-purpose" value={purpose} onChange={(event) => setPurpose(event.target.value)}>
          <LabelOptions labels={dashboardWork.groupPurpose} />
        </select>
        <label htmlFor="group-description">{text.fieldDescription}</label>
        <input
          id="group-description"
          value={description}
          onChange={(event) => setDescription(event.target.value)}
        />
        <FormOutcome error={error} notice={done} />
        <button type="submit">{text.create}</button>
      </form>
    </section>
  );
}
