import { useEffect, useRef } from "react";
import { Navigate, NavLink, Outlet, useLocation } from "react-router";
import { dashboardApp } from "../../../src/i18n/pt-BR/dashboard-app.ts";
import { navigation } from "./routes.tsx";
import { useSession } from "./session.tsx";
import { Loading } from "./ui.tsx";

/**
 * The frame around every signed-in page: a skip link, the header with the sections (from the one
 * route table), who is signed in, and the page. Without a session it sends the operator to sign in
 * and back here afterwards.
 */
export function Layout() {
  const { state, signOut } = useSession();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);

  // After a navigation, focus moves to the page so keyboard and screen-reader users start there.
  useEffect(() => {
    if (location.key !== "default") main.current?.focus();
  }, [location.key]);

  if (state.status === "loading") return <Loading />;
  if (state.status === "anonymous") {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  const { operator } = state;
  return (
    <div className="shell">
      <a className="skip-link" href="#conteudo">
        {dashboardApp.skipToContent}
      </a>
      <header className="topbar">
        <span className="brand">{dashboardApp.productName}</span>
        <nav aria-label={dashboardApp.navigationLabel}>
          <ul>
            {navigation.map((entry) => (
              <li key={entry.path}>
                <NavLink to={entry.path} end={entry.path === "/"}>
                  {entry.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span>
            {dashboardApp.signedInAs(
              operator.name || operator.email,
              dashboardApp.roles[operator.role] ?? operator.role,
            )}
          </span>
          <button type="button" className="link-button" onClick={() => void signOut()}>
            {dashboardApp.signOut}
          </button>
        </div>
      </header>
      <main id="conteudo" ref={main} tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

export function NotFound() {
  return (
    <section>
      <h1>{dashboardApp.notFoundTitle}</h1>
      <p>{dashboardApp.notFoundBody}</p>
      <NavLink to="/">{dashboardApp.backHome}</NavLink>
    </section>
  );
}
