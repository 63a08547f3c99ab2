import { PERMISSIONS, type Permission } from "../../../src/http/permissions.ts";
import { useOperator } from "./session.tsx";

/**
 * Whether the signed-in operator may do what a route of `permission` does, read from the server's
 * own permission table: a viewer is never offered a button the API would refuse (and the API
 * refuses it anyway).
 */
export function useMay(permission: Permission): boolean {
  const { role } = useOperator();
  return (PERMISSIONS[permission].roles as readonly string[]).includes(role);
}
