import type { Kysely, Transaction } from "kysely";
import type { ContractTable } from "../modules/contracts/contract.table.ts";
import type { ContactTable, CustomerTable } from "../modules/customers/customer.table.ts";
import type { InvoiceTable } from "../modules/invoices/invoice.table.ts";
import type { PaymentTable } from "../modules/payments/payment.table.ts";
import type { ApiKeyTable, TenantTable } from "../modules/tenants/tenant.table.ts";

/** Every table the product reads or writes, by name; each module owns its `*.table.ts`. */
export interface Database {
  tenants: TenantTable;
  api_keys: ApiKeyTable;
  customers: CustomerTable;
  contacts: ContactTable;
  contracts: ContractTable;
  invoices: InvoiceTable;
  payments: PaymentTable;
}

/** Repository functions take either the database or a transaction: the caller owns the transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;
