/** The API's group shapes as the pages read them (see src/modules/groups/group.ts). */
export interface GroupView {
  id: string;
  name: string;
  purpose: "general" | "protest" | "bureau" | "agency";
  description: string;
  members: number;
  removalsDue: number;
}

export interface RemovalView {
  groupId: string;
  groupName: string;
  customerId: string;
  name: string;
  document: string;
  settledOn: string;
  removalDueOn: string;
  businessDaysLeft: number;
}

export interface MemberView {
  customerId: string;
  name: string;
  document: string;
  overdueCents: number;
  daysOverdue: number;
  noticeSentOn: string | null;
  settledOn: string | null;
  removalDueOn: string | null;
}
