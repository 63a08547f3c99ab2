/**
 * The one message catalogue: everything an operator or a debtor reads on a page, in Brazilian
 * Portuguese, one file per area. Server-rendered pages and the dashboard (through Vite) both
 * import from here.
 */
export {};
