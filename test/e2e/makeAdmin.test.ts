import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { api, apiUrl, deployed, registerUser, signIn } from "./stack.js";

const run = promisify(execFile);

describe.skipIf(deployed)("npm run admin -- EMAIL", () => {
  it("puts a user in the admins group; their next sign-in may call the admin routes", async () => {
    const user = await registerUser();
    expect((await api("GET", `/admin/users/${user.userId}`, { token: user.accessToken })).status).toBe(403);

    const { stdout } = await run("npx", ["tsx", "local/makeAdmin.ts", user.email], {
      env: { ...process.env, API_URL: apiUrl() },
    });
    expect(stdout).toContain("admins");

    const again = await signIn(user.email);
    const response = await api("GET", `/admin/users/${user.userId}`, { token: again.AccessToken ?? "" });
    expect(response.status).toBe(200);
  });

  it("says so when no stack answers", async () => {
    const failed = await run("npx", ["tsx", "local/makeAdmin.ts", "nobody@example.com"], {
      env: { ...process.env, API_URL: "http://127.0.0.1:9" },
    }).catch((error: { code: number; stderr: string }) => error);
    expect("code" in failed && failed.code).toBe(1);
    expect("stderr" in failed && failed.stderr).toContain("npm start");
  });
});
