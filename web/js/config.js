/**
 * Where the page finds its endpoints.
 *
 * Deployed against AWS: publish a `config.json` beside index.html, for example
 *   {"apiUrl": "https://api.example.com/v1", "region": "eu-west-1",
 *    "userPoolId": "eu-west-1_AbCdEf", "clientId": "1a2b3c..."}
 * (`cognitoEndpoint` defaults to the regional Cognito endpoint). The local mailbox and event
 * panels stay hidden then: those endpoints exist only on one machine.
 *
 * Local stack (`npm start`): there is no config.json and the gateway answers `/_local/config`.
 */

const REQUIRED = ["apiUrl", "region", "userPoolId", "clientId"];

async function fetchJson(url) {
  const response = await fetch(url, { cache: "no-store", headers: { Accept: "application/json" } });
  if (!response.ok) return undefined;
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

function complete(raw, local) {
  const missing = REQUIRED.filter((key) => typeof raw[key] !== "string" || raw[key] === "");
  if (missing.length > 0) throw new Error(`Configuration is missing ${missing.join(", ")}`);
  return {
    apiUrl: raw.apiUrl.replace(/\/+$/, ""),
    region: raw.region,
    userPoolId: raw.userPoolId,
    clientId: raw.clientId,
    cognitoEndpoint: raw.cognitoEndpoint || `https://cognito-idp.${raw.region}.amazonaws.com/`,
    local,
  };
}

export async function loadConfig() {
  const deployed = await fetchJson(new URL("config.json", document.baseURI));
  if (deployed) return complete(deployed, false);
  const local = await fetchJson(new URL("/_local/config", document.baseURI));
  if (local) return complete(local, true);
  throw new Error("No configuration: neither config.json nor /_local/config answered");
}
