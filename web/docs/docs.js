import { loadTokens } from "/js/session.js";

/**
 * Swagger UI over docs/openapi.yaml. Served by the local stack, "Try it out" calls the API of the
 * origin serving this page (the local gateway: same origin, no CORS), and the access token the web
 * page keeps for this tab (sessionStorage) is pre-authorized; "Authorize" takes a pasted one.
 */

/** The document's security scheme: a Cognito access token in the Authorization header. */
const SCHEME = "cognito";
const authStatus = document.querySelector("[data-testid='docs-auth']");

/** True when a local stack serves this page (its local-only endpoints answer). */
async function servedLocally() {
  try {
    return (await fetch("/_local/health")).ok;
  } catch {
    return false;
  }
}

/** A plugin that lists this page's origin first among the document's servers, so it is the one selected. */
function ownOriginFirst(origin) {
  const withOrigin = (spec) => {
    if (!spec || typeof spec !== "object" || !Array.isArray(spec.servers)) return spec;
    const others = spec.servers.filter((server) => server?.url?.replace(/\/+$/, "") !== origin);
    return { ...spec, servers: [{ url: origin, description: "This local stack (the origin serving these docs)" }, ...others] };
  };
  return () => ({
    statePlugins: { spec: { wrapActions: { updateJsonSpec: (original) => (spec, ...rest) => original(withOrigin(spec), ...rest) } } },
  });
}

const local = await servedLocally();
const accessToken = loadTokens()?.accessToken;

const ui = window.SwaggerUIBundle({
  url: "/docs/openapi.yaml",
  dom_id: "#swagger-ui",
  deepLinking: true,
  tryItOutEnabled: false,
  displayRequestDuration: true,
  plugins: local ? [ownOriginFirst(window.location.origin)] : [],
  onComplete() {
    if (accessToken) {
      ui.preauthorizeApiKey(SCHEME, accessToken);
      authStatus.textContent = "Authorized with the access token of the web page's signed-in user";
    } else {
      authStatus.textContent = "Not signed in: sign in on the web page, or paste an access token in Authorize";
    }
    document.body.dataset.ready = "true";
  },
});
window.ui = ui;
