import type { DatabaseHandle } from "../../src/db/connect.ts";
import type { Clock } from "../../src/shared/clock.ts";
import { apiKeyFor, client, operatorSession, startServer, type TestServer } from "./http.ts";
import { openTestDatabase } from "./test-database.ts";

/**
 * Where an API test over real HTTP starts: its own database cloned from the template, the API
 * listening on the loopback, a client, one tenant, and a write API key of that tenant.
 */
export interface ApiTest<T extends { id: string; slug: string }> {
  handle: DatabaseHandle;
  server: TestServer;
  call: ReturnType<typeof client>;
  tenant: T;
  key: { key: string; id: string };
  /** A new operator of the tenant with that role, signed in. */
  operator(
    role: "admin" | "analyst" | "viewer",
  ): Promise<{ cookie: string; csrf: string; operatorId: string }>;
  /** Stops the server, then closes the database. */
  close(): Promise<void>;
}

/** Starts an API test on a tenant made by `createTenant` (`apiTenant`, or one with the default régua). */
export async function startApiTest<T extends { id: string; slug: string }>(
  clock: Clock,
  createTenant: (handle: DatabaseHandle) => Promise<T>,
): Promise<ApiTest<T>> {
  const handle = await openTestDatabase();
  let server: TestServer | undefined;
  try {
    server = await startServer(handle, clock);
    const tenant = await createTenant(handle);
    const key = await apiKeyFor(handle, tenant.id, "write");
    const started = server;
    return {
      handle,
      server,
      call: client(server),
      tenant,
      key,
      operator: (role) => operatorSession(handle, tenant, role, clock),
      close: async () => {
        await started.close();
        await handle.close();
      },
    };
  } catch (error) {
    // a start that failed halfway leaves nothing listening or open behind it
    await server?.close();
    await handle.close();
    throw error;
  }
}
