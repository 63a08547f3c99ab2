import { createBrowserRouter } from "react-router";
import { Layout, NotFound } from "./layout.tsx";
import { LoginPage } from "./login.tsx";
import { routes } from "./routes.tsx";

/** The app lives under /app/ (served by the API's Fastify app; see src/http/web-app.ts). */
export const router = createBrowserRouter(
  [
    { path: "/login", element: <LoginPage /> },
    {
      path: "/",
      element: <Layout />,
      children: [
        ...routes.map((route) =>
          route.path === "/"
            ? { index: true, element: route.element }
            : { path: route.path, element: route.element },
        ),
        { path: "*", element: <NotFound /> },
      ],
    },
  ],
  { basename: "/app" },
);
