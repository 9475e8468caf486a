import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: unknown;
}

export interface CfnTemplate {
  Parameters?: Record<string, { Type: string; Default?: string }>;
  Resources: Record<string, CfnResource>;
}

export function readTemplate(packageDir: string): CfnTemplate {
  return JSON.parse(readFileSync(join(packageDir, "cloudformation-template-update-stack.json"), "utf8")) as CfnTemplate;
}

export function resourcesOfType(template: CfnTemplate, type: string): [string, CfnResource][] {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

/** IAM statements as CloudFormation writes them (Action/Resource may be a value or a list). */
export interface IamStatement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

export const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** The API Gateway path of a resource, rebuilt from its ParentId chain. */
export function resourcePath(template: CfnTemplate, logicalId: string): string {
  const parts: string[] = [];
  let current: string | undefined = logicalId;
  while (current) {
    const props: Record<string, unknown> = template.Resources[current]?.Properties ?? {};
    parts.unshift(String(props.PathPart));
    const parent = props.ParentId as { Ref?: string } | undefined;
    current = parent?.Ref;
  }
  return `/${parts.join("/")}`;
}
