import { type FormEvent, useState } from "react";
import { Navigate, useNavigate, useSearchParams } from "react-router";
import { dashboardApp } from "../../../src/i18n/pt-BR/dashboard-app.ts";
import { ApiError } from "./api.ts";
import { usePageTitle } from "./page-title.ts";
import { useSession } from "./session.tsx";
import { ErrorBox, Loading } from "./ui.tsx";

const text = dashboardApp.login;

/** Only paths inside the app are followed after sign-in (never another site). */
function safeNext(next: string | null): string {
  return next?.startsWith("/") && !next.startsWith("//") ? next : "/";
}

/** The sign-in page: credor (slug), e-mail and password → `POST /v1/session`. */
export function LoginPage() {
  usePageTitle(text.title);
  const { state, signIn } = useSession();
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const next = safeNext(search.get("next"));

  if (state.status === "loading") return <Loading />;
  if (state.status === "signed-in" && !submitting) return <Navigate to={next} replace />;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setSubmitting(true);
    setError(null);
    try {
      await signIn({
        tenant: String(form.get("tenant") ?? ""),
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
      });
      navigate(next, { replace: true });
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <main id="conteudo" className="login">
      <h1>{text.title}</h1>
      <p>{text.intro}</p>
      {error ? <ErrorBox title={text.failed} error={error} /> : null}
      <form onSubmit={(event) => void submit(event)} className="stacked-form">
        <label htmlFor="login-tenant">{text.tenant}</label>
        <input
          id="login-tenant"
          name="tenant"
          required
          autoComplete="organization"
          aria-describedby="login-tenant-hint"
        />
        <small id="login-tenant-hint">{text.tenantHint}</small>
        <label htmlFor="login-email">{text.email}</label>
        <input id="login-email" name="email" type="email" required autoComplete="username" />
        <label htmlFor="login-password">{text.password}</label>
        <input id="login-password" name="password" type="password" required autoComplete="current-password" />
        <button type="submit" disabled={submitting}>
          {submitting ? text.submitting : text.submit}
        </button>
      </form>
    </main>
  );
}
