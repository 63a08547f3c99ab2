import { Link } from "react-router";
import { dashboardExperiments as text } from "../../../../src/i18n/pt-BR/dashboard-experiments.ts";
import { DataTable } from "../../app/components/data-table.tsx";
import { formatDate } from "../../app/format.ts";
import { usePageTitle } from "../../app/page-title.ts";
import { useOperator } from "../../app/session.tsx";
import { WhenLoaded } from "../../app/ui.tsx";
import { useApiData } from "../../app/use-api.ts";
import type { Experiment, PolicyName } from "./experiment-types.ts";
import { NewExperiment } from "./new-experiment.tsx";

/** The tenant's experiments with their status; an admin may start one below. */
export function ExperimentsPage() {
  usePageTitle(text.title);
  const operator = useOperator();
  const experiments = useApiData<{ data: Experiment[] }>("/v1/experiments");
  const policies = useApiData<{ data: PolicyName[] }>("/v1/policies");
  const policyName = (id: string) =>
    policies.data?.data.find((policy) => policy.id === id)?.name ?? text.unknownPolicy;
  return (
    <>
      <h1>{text.title}</h1>
      <p>{text.intro}</p>
      <WhenLoaded loaded={experiments}>
        {(data) => (
          <DataTable
            caption={text.caption}
            scrollLabel={text.caption}
            empty={text.empty}
            columns={[
              { label: text.columns.name },
              { label: text.columns.status },
              { label: text.columns.control },
              { label: text.columns.variant },
              { label: text.columns.holdout, numeric: true },
              { label: text.columns.started },
              { label: text.columns.stopped },
            ]}
            rows={data.data}
            rowKey={(experiment) => experiment.id}
            cells={(experiment) => (
              <>
                <td>
                  <Link to={`/experimentos/${experiment.id}`}>{experiment.name}</Link>
                </td>
                <td>
                  <span className={experiment.status === "running" ? "badge ok" : "badge"}>
                    {text.status[experiment.status]}
                  </span>
                </td>
                <td>{policyName(experiment.controlPolicyId)}</td>
                <td>
                  {experiment.variantPolicyId ? policyName(experiment.variantPolicyId) : text.noVariant}
                </td>
                <td className="number">{experiment.holdoutPercent}%</td>
                <td>{formatDate(experiment.startedOn)}</td>
                <td>{experiment.stoppedOn ? formatDate(experiment.stoppedOn) : "—"}</td>
              </>
            )}
          />
        )}
      </WhenLoaded>
      {/* starting an experiment is the `policies` permission: admins only (src/http/permissions.ts) */}
      {operator.role === "admin" && policies.data ? (
        <NewExperiment policies={policies.data.data} onCreated={experiments.reload} />
      ) : null}
    </>
  );
}
