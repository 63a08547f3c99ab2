/** How what a debtor owes today is labelled wherever it is shown (the open-debt read model). */
export const openDebt = {
  /** An original invoice an agreement in force replaced: its installments are what is owed. */
  inAgreement: "Em acordo",
  inAgreementDetail: (status: string) => `coberta por acordo ${status}; devem-se as parcelas`,
  agreementStatuses: { proposed: "proposto", active: "ativo" } as Record<string, string>,
  disputed: "Em contestação",
};
