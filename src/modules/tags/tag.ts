import { z } from "zod";

/**
 * Glossary: a tag is a free label ("vip", "inadimplente-2025") on a customer or on an invoice. Policies
 * choose whom they govern by customer tags; `GET /v1/invoices?tag=` matches an invoice's own tag or
 * its customer's.
 */
export interface TagCount {
  tag: string;
  customers: number;
  invoices: number;
}

export const ZTag = z
  .string()
  .trim()
  .min(1, { error: "a tag não pode ser vazia" })
  .max(100, { error: "uma tag tem no máximo 100 caracteres" });

export const ZAddTags = z.strictObject({
  tags: z
    .array(ZTag)
    .min(1, { error: "informe ao menos uma tag" })
    .max(50, { error: "no máximo 50 tags por vez" })
    .transform((tags) => [...new Set(tags)]),
});
export type TAddTags = z.input<typeof ZAddTags>;
