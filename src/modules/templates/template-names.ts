import type { Executor } from "../../db/database.ts";
import { defaultTemplate } from "./default-templates.ts";
import { findStoredTemplateNames } from "./template.repository.ts";

/**
 * Which template names exist for a tenant: its own stored templates (`message_templates`) and the
 * defaults Régua ships. Read from the database every time, so every process (API, worker, CLI)
 * agrees and a restart changes nothing; one tenant's templates never make another's names valid.
 */

/** Of `names`, those neither stored by the tenant nor among the defaults, in their given order. */
export async function unknownTemplateNames(
  db: Executor,
  tenantId: string,
  names: string[],
): Promise<string[]> {
  const candidates = [...new Set(names)].filter((name) => !defaultTemplate(name));
  const stored = new Set(await findStoredTemplateNames(db, tenantId, candidates));
  return candidates.filter((name) => !stored.has(name));
}
