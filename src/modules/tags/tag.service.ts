import type { Executor } from "../../db/database.ts";
import { notFound, validationError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/validation.ts";
import { addTagsTo, countTags, removeTagFrom, type Tagged } from "./tag.repository.ts";
import { type TAddTags, type TagCount, ZAddTags, ZTag } from "./tag.ts";

const NAMES: Record<Tagged, string> = { customers: "Cliente", invoices: "Fatura" };

export async function addTags(
  db: Executor,
  tenantId: string,
  target: Tagged,
  id: string,
  input: TAddTags,
): Promise<{ tags: string[] }> {
  const { tags } = parseInput(ZAddTags, input);
  const result = await addTagsTo(db, target, tenantId, id, tags);
  if (!result) throw notFound(NAMES[target], id);
  return { tags: result };
}

export async function removeTag(
  db: Executor,
  tenantId: string,
  target: Tagged,
  id: string,
  tag: string,
): Promise<{ tags: string[] }> {
  const parsed = ZTag.safeParse(tag);
  if (!parsed.success) throw validationError("tag", "informe a tag a remover (1 a 100 caracteres)");
  const result = await removeTagFrom(db, target, tenantId, id, parsed.data);
  if (!result) throw notFound(NAMES[target], id);
  return { tags: result };
}

export function listTags(db: Executor, tenantId: string): Promise<TagCount[]> {
  return countTags(db, tenantId);
}
