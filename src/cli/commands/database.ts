import type { Command } from "commander";
import { databaseOptionsFromEnv, openDatabase } from "../../db/connect.ts";
import { migrate } from "../../db/migrate.ts";
import { sealPlaintextSecrets } from "../../db/seal-secrets.ts";
import { printJson } from "../run.ts";

export function register(program: Command): void {
  program
    .command("migrate")
    .description(
      "aplica as migrações pendentes ao banco (DATABASE_URL ou o embutido em REGUA_DATA_DIR/.regua)",
    )
    .option("--json", "saída em JSON")
    .action(async (options: { json?: boolean }) => {
      const handle = await openDatabase(databaseOptionsFromEnv());
      try {
        const result = await migrate(handle);
        // secrets stored before they were encrypted at rest are sealed on the upgrade
        await sealPlaintextSecrets(handle.db);
        const applied = result.applied.map((migration) => `${migration.version}_${migration.name}`);
        if (options.json)
          printJson({ database: handle.kind, applied, alreadyApplied: result.alreadyApplied });
        else if (applied.length === 0) process.stdout.write("Banco já está atualizado.\n");
        else process.stdout.write(`Migrações aplicadas: ${applied.join(", ")}\n`);
      } finally {
        await handle.close();
      }
    });
}
