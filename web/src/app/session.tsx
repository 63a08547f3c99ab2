import { createContext, type ReactNode, use, useCallback, useEffect, useMemo, useState } from "react";
import { ApiError, api, setCsrfToken, setUnauthorizedHandler } from "./api.ts";

/** The signed-in operator, as `GET /v1/session` and `POST /v1/session` describe them. */
export interface Operator {
  id: string;
  tenantId: string;
  email: string;
  name: string;
  role: "admin" | "analyst" | "viewer";
}

interface SessionResponse {
  operator: Operator;
  csrfToken: string;
}

export type SessionState =
  | { status: "loading" }
  | { status: "anonymous" }
  | { status: "signed-in"; operator: Operator };

interface SessionContextValue {
  state: SessionState;
  signIn(credentials: { tenant: string; email: string; password: string }): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

/** Holds who is signed in; asks the server once at start (the cookie itself is invisible to scripts). */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: "loading" });

  const forget = useCallback(() => {
    setCsrfToken(null);
    setState({ status: "anonymous" });
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(forget);
    let cancelled = false;
    api
      .get<SessionResponse>("/v1/session")
      .then((session) => {
        if (cancelled) return;
        setCsrfToken(session.csrfToken);
        setState({ status: "signed-in", operator: session.operator });
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        if (!(error instanceof ApiError) || error.status !== 0) forget();
        else setState({ status: "anonymous" });
      });
    return () => {
      cancelled = true;
      setUnauthorizedHandler(null);
    };
  }, [forget]);

  const signIn = useCallback(async (credentials: { tenant: string; email: string; password: string }) => {
    const session = await api.post<SessionResponse>("/v1/session", credentials);
    setCsrfToken(session.csrfToken);
    setState({ status: "signed-in", operator: session.operator });
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.delete("/v1/session");
    } finally {
      forget();
    }
  }, [forget]);

  const value = useMemo(() => ({ state, signIn, signOut }), [state, signIn, signOut]);
  return <SessionContext value={value}>{children}</SessionContext>;
}

export function useSession(): SessionContextValue {
  const value = use(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}

/** The signed-in operator; only inside the layout, which renders nothing else without one. */
export function useOperator(): Operator {
  const { state } = useSession();
  if (state.status !== "signed-in") throw new Error("useOperator without a session");
  return state.operator;
}
