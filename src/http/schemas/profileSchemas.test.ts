import { describe, expect, it } from "vitest";
import { ValidationError } from "../../domain/errors.js";
import { validate } from "../validate.js";
import { findUsersQuery, suspendUserBody, updateProfileBody } from "./profileSchemas.js";

const issuesOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.details;
    throw error;
  }
  throw new Error("expected a ValidationError");
};

describe("updateProfileBody", () => {
  it.each(["Zoë", "Jean-Luc", "O'Connor", "Nguyễn Văn", "Ｍａｒｉａ", "José".normalize("NFD"), "李", "a".repeat(100)])(
    "accepts the name %j",
    (name) => {
      expect(validate(updateProfileBody, { firstName: name })).toEqual({ firstName: name });
    },
  );

  it.each(["", " ", "R2D2", "Anne_Marie", "<script>", "a".repeat(101), "Ann\n"])("refuses the name %j", (name) => {
    expect(issuesOf(() => validate(updateProfileBody, { lastName: name }))).toEqual([
      expect.objectContaining({ field: "lastName" }),
    ]);
  });

  it.each(["+14155550123", "+12", "+123456789012345"])("accepts the E.164 phone %s", (phone) => {
    expect(validate(updateProfileBody, { phone })).toEqual({ phone });
  });

  it.each(["14155550123", "+0123", "+1", "+1234567890123456", "+1 415 555 0123"])("refuses the phone %s", (phone) => {
    expect(issuesOf(() => validate(updateProfileBody, { phone }))).toEqual([expect.objectContaining({ field: "phone" })]);
  });

  it("keeps phone null (clear) apart from absent", () => {
    expect(validate(updateProfileBody, { phone: null })).toEqual({ phone: null });
  });

  it("reports each unknown field by name, and an empty body as a body issue", () => {
    expect(issuesOf(() => validate(updateProfileBody, { firstName: "A", status: "active", version: 9 }))).toEqual([
      { field: "status", message: "Unknown field" },
      { field: "version", message: "Unknown field" },
    ]);
    expect(issuesOf(() => validate(updateProfileBody, {}))).toEqual([expect.objectContaining({ field: "body" })]);
    expect(issuesOf(() => validate(updateProfileBody, undefined))).toEqual([expect.objectContaining({ field: "body" })]);
  });
});

describe("suspendUserBody", () => {
  it("trims the reason and bounds it to 1..500 characters", () => {
    expect(validate(suspendUserBody, { reason: "  spam  " })).toEqual({ reason: "spam" });
    expect(issuesOf(() => validate(suspendUserBody, { reason: "  " }))).toEqual([expect.objectContaining({ field: "reason" })]);
    expect(issuesOf(() => validate(suspendUserBody, { reason: "x".repeat(501) }))).toEqual([
      expect.objectContaining({ field: "reason" }),
    ]);
  });
});

describe("findUsersQuery", () => {
  it("requires a valid address", () => {
    expect(validate(findUsersQuery, { email: " a@example.com " })).toEqual({ email: "a@example.com" });
    expect(issuesOf(() => validate(findUsersQuery, {}))).toEqual([expect.objectContaining({ field: "email" })]);
    expect(issuesOf(() => validate(findUsersQuery, { email: `${"a".repeat(250)}@example.com` }))).toEqual([
      expect.objectContaining({ field: "email" }),
    ]);
  });
});
