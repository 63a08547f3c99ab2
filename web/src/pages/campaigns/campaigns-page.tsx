import { Link } from "react-router";
import { campaignsText } from "../../../../src/i18n/pt-BR/campaigns.ts";
import { dashboardCampaigns as text } from "../../../../src/i18n/pt-BR/dashboard-campaigns.ts";
import { DataTable } from "../../app/components/data-table.tsx";
import { formatDate } from "../../app/format.ts";
import { usePageTitle } from "../../app/page-title.ts";
import { useOperator } from "../../app/session.tsx";
import { WhenLoaded } from "../../app/ui.tsx";
import { useApiData } from "../../app/use-api.ts";
import type { Campaign, GroupName } from "./campaign-types.ts";
import { NewCampaign } from "./new-campaign.tsx";

/** What a campaign offers, in the words its messages use. */
export function offerText(offer: Campaign["offer"]): string {
  const percent =
    offer.principalDiscountBps > 0
      ? `${(offer.principalDiscountBps / 100).toLocaleString("pt-BR", { maximumFractionDigits: 2 })}%`
      : null;
  return campaignsText.summary(offer.installments, percent, offer.waiveFine || offer.waiveInterest);
}

/** The tenant's campaigns; analysts and admins may create one below. */
export function CampaignsPage() {
  usePageTitle(text.title);
  const operator = useOperator();
  const campaigns = useApiData<{ data: Campaign[] }>("/v1/campaigns");
  const groups = useApiData<{ data: GroupName[] }>("/v1/groups");
  return (
    <>
      <h1>{text.title}</h1>
      <p>{text.intro}</p>
      <WhenLoaded loaded={campaigns}>
        {(data) => (
          <DataTable
            caption={text.caption}
            scrollLabel={text.caption}
            empty={text.empty}
            columns={[
              { label: text.columns.name },
              { label: text.columns.offer },
              { label: text.columns.channels },
              { label: text.columns.validUntil },
              { label: text.columns.holdout, numeric: true },
              { label: text.columns.created },
            ]}
            rows={data.data}
            rowKey={(campaign) => campaign.id}
            cells={(campaign) => (
              <>
                <td>
                  <Link to={`/campanhas/${campaign.id}`}>{campaign.name}</Link>
                </td>
                <td>{offerText(campaign.offer)}</td>
                <td>{campaign.channels.map((channel) => text.channels[channel]).join(", ")}</td>
                <td>{formatDate(campaign.validUntil)}</td>
                <td className="number">{campaign.holdoutPercent}%</td>
                <td>{formatDate(campaign.createdOn)}</td>
              </>
            )}
          />
        )}
      </WhenLoaded>
      {/* creating a campaign is the `write` permission, as agreements are (src/http/permissions.ts) */}
      {operator.role !== "viewer" ? (
        <NewCampaign groups={groups.data?.data ?? []} onCreated={campaigns.reload} />
      ) : null}
    </>
  );
}
