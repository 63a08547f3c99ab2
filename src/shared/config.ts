/**
 * Configuration read from the environment, one function per setting, so that every entry point
 * (server, worker, CLI) reads a setting the same way.
 */

/**
 * Where Régua's public pages and short links live (REGUA_PUBLIC_URL); without it, this machine on
 * the port `npm start` listens on (PORT, default 3000), so the links of a local run open.
 */
export function publicUrl(env: NodeJS.ProcessEnv = process.env): string {
  const port = Number(env.PORT) > 0 ? env.PORT : "3000";
  return (env.REGUA_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, "");
}
