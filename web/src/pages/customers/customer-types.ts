/**
 * The customer view's data as the API sends it (GET /v1/customers/{id}/overview and /timeline):
 * dates as 'YYYY-MM-DD', instants as ISO strings, money in cents.
 */
export interface CustomerOverview {
  asOf: string;
  /** the tenant's IANA zone: instants are shown as dates there */
  timeZone: string;
  customer: {
    id: string;
    externalId: string;
    name: string;
    document: string;
    kind: string;
    address: {
      street: string | null;
      number: string | null;
      district: string | null;
      city: string | null;
      state: string | null;
      postalCode: string | null;
    };
    tags: string[];
    creditLimitCents: number | null;
    anonymizedAt: string | null;
    contacts: {
      id: string;
      channel: string;
      value: string;
      consentAt: string | null;
      optedOutAt: string | null;
      verifiedOwner: boolean;
      unusableReason: string | null;
    }[];
  };
  standing: { standing: string; since: string | null; reason: string } | null;
  pause: { id: string; until: string; reason: string } | null;
  badges: {
    overdueInvoices: number;
    overdueCents: number;
    openCents: number;
    totalDueTodayCents: number;
    creditLimitExceeded: boolean;
  };
  invoices: {
    id: string;
    externalId: string;
    description: string;
    dueDate: string;
    status: string;
    amountCents: number;
    paidCents: number;
    daysOverdue: number;
    /** The agreement in force that replaced it ("Em acordo"): its installments are what is owed. */
    agreement: { id: string; status: "proposed" | "active" } | null;
    /** The agreement this invoice is a payment of ("Acordo nº 12 — parcela 2/3"). */
    installment: { agreementId: string; agreementNumber: number; number: number; count: number } | null;
    owed: boolean;
    today: {
      outstandingPrincipalCents: number;
      fineCents: number;
      interestCents: number;
      totalDueCents: number;
    } | null;
  }[];
  agreements: {
    id: string;
    number: number;
    status: string;
    totalCents: number;
    concessionCents: number;
    createdAt: string;
  }[];
}

export interface TimelineEntry {
  at: string;
  kind: string;
  id: string;
  data: Record<string, unknown>;
}

export interface TimelinePage {
  data: TimelineEntry[];
  next_cursor: string | null;
}
