import { execFile } from "node:child_process";
import {
  appendFileSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { onPostgres } from "./test-database.ts";

/**
 * A real streaming replica for the read-replica tests: a small PostgreSQL primary and its standby,
 * made by `pg_basebackup -R`, both clusters in a temp dir on free ports, run as the `postgres` OS
 * user (PostgreSQL refuses to run as root). The primary is a cluster of its own rather than the
 * suite's server at 5432: a base backup copies a whole cluster, and a developer's server holds
 * gigabytes of bench databases; a fresh one copies in a second and needs no change to the
 * server's pg_hba.conf (initdb's own allows local replication).
 */
const BIN = process.env.REGUA_PG_BIN ?? "/usr/lib/postgresql/15/bin";
const run = promisify(execFile);

/** Why a replica cannot be made here, or null when it can. */
export function replicaUnavailableReason(): string | null {
  if (!onPostgres)
    return "a réplica só existe no PostgreSQL (REGUA_TEST_DB=postgres); o PGlite não tem réplica";
  for (const tool of ["initdb", "pg_ctl", "pg_basebackup"]) {
    if (!existsSync(join(BIN, tool))) return `sem ${join(BIN, tool)} (REGUA_PG_BIN aponta os binários)`;
  }
  if (process.getuid?.() !== 0)
    return "os clusters rodam como o usuário postgres via runuser: é preciso ser root";
  if (!/^postgres:/m.test(readFileSync("/etc/passwd", "utf8"))) return "sem o usuário postgres do sistema";
  return null;
}

export interface ReplicaPair {
  primaryUrl: string;
  replicaUrl: string;
  /** Runs one statement on the replica (pause or resume replay, read the standby's state). */
  onReplica(statement: string): Promise<pg.QueryResult>;
  /** Stops the replica (fast shutdown), to see reads fall back to the primary. */
  stopReplica(): Promise<void>;
  /** Stops both clusters and removes their folder. */
  close(): Promise<void>;
}

const FOLDER_PREFIX = "regua-replica-";
/** The test process that owns a pair, so that a later run can stop a pair a killed run left behind. */
const OWNER_FILE = "owner.pid";

const asPostgres = (folder: string, tool: string, args: string[]) =>
  run("runuser", ["-u", "postgres", "--", join(BIN, tool), ...args], { cwd: folder });

export async function startReplicaPair(): Promise<ReplicaPair> {
  await reapAbandonedPairs();
  const folder = mkdtempSync(join(tmpdir(), FOLDER_PREFIX));
  writeFileSync(join(folder, OWNER_FILE), String(process.pid));
  const { uid, gid } = postgresUser();
  chownSync(folder, uid, gid);
  const primaryDir = join(folder, "primary");
  const replicaDir = join(folder, "replica");
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  const started: string[] = [];
  const stop = (dir: string) => stopCluster(folder, dir);
  try {
    await asPostgres(folder, "initdb", ["-D", primaryDir, "-U", "postgres", "-A", "trust", "--no-sync"]);
    // a throwaway cluster: durability is not what is tested, speed of setup is
    appendFileSync(
      join(primaryDir, "postgresql.conf"),
      [
        `port = ${primaryPort}`,
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${folder}'`,
        "fsync = off",
        "full_page_writes = off",
        "max_connections = 40",
        "shared_buffers = 32MB",
        "",
      ].join("\n"),
    );
    await asPostgres(folder, "pg_ctl", ["-D", primaryDir, "-l", join(folder, "primary.log"), "-w", "start"]);
    started.push(primaryDir);
    // -R writes primary_conninfo and standby.signal: the copy starts as a streaming standby
    await asPostgres(folder, "pg_basebackup", [
      "-h",
      "127.0.0.1",
      "-p",
      String(primaryPort),
      "-U",
      "postgres",
      "-D",
      replicaDir,
      "-R",
      "-X",
      "stream",
      "--no-sync",
    ]);
    appendFileSync(join(replicaDir, "postgresql.conf"), `port = ${replicaPort}\n`);
    await asPostgres(folder, "pg_ctl", ["-D", replicaDir, "-l", join(folder, "replica.log"), "-w", "start"]);
    started.push(replicaDir);
    const replicaUrl = `postgres://postgres@127.0.0.1:${replicaPort}/postgres`;
    const recovering = await query(replicaUrl, "select pg_is_in_recovery() as standby");
    if (!recovering.rows[0]?.standby) throw new Error("the copy started as a primary, not as a standby");
    return {
      primaryUrl: `postgres://postgres@127.0.0.1:${primaryPort}/postgres`,
      replicaUrl,
      onReplica: (statement) => query(replicaUrl, statement),
      stopReplica: () => stop(replicaDir),
      async close() {
        for (const dir of started.reverse()) await stop(dir);
        rmSync(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    for (const dir of started.reverse()) await stop(dir);
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
}

async function stopCluster(folder: string, dir: string): Promise<void> {
  await asPostgres(folder, "pg_ctl", ["-D", dir, "-m", "fast", "-w", "stop"]).catch(() => undefined);
}

/** Stops and removes the pairs of test processes that ended without closing them (killed, timed out). */
async function reapAbandonedPairs(): Promise<void> {
  for (const name of readdirSync(tmpdir()).filter((entry) => entry.startsWith(FOLDER_PREFIX))) {
    const folder = join(tmpdir(), name);
    const ownerFile = join(folder, OWNER_FILE);
    // no owner yet: another run is making it this instant
    if (!existsSync(ownerFile) || isRunning(Number(readFileSync(ownerFile, "utf8")))) continue;
    for (const cluster of ["replica", "primary"]) await stopCluster(folder, join(folder, cluster));
    rmSync(folder, { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function query(url: string, statement: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(statement);
  } finally {
    await client.end();
  }
}

function postgresUser(): { uid: number; gid: number } {
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((entry) => entry.startsWith("postgres:"));
  const [, , uid, gid] = line?.split(":") ?? [];
  return { uid: Number(uid), gid: Number(gid) };
}

/** A port nobody listens on now (the kernel's pick), for a cluster to take. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
