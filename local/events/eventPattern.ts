/**
 * EventBridge event-pattern matching, for the local bus and for the tests that check the rules in
 * infra/event-rules.json. Semantics as documented for EventBridge:
 * - every field named by the pattern must match (AND); a leaf is a list of matchers (OR);
 * - an event value that is an array matches if any of its elements matches;
 * - matchers: exact values (string, number, boolean, null), prefix, suffix, equals-ignore-case,
 *   wildcard, anything-but (a value, a list, or {prefix}/{suffix}), exists true/false, numeric
 *   ranges; nested objects recurse; `$or` takes a list of alternative patterns.
 * An operator this module does not know is an error, never a silent non-match.
 */
export type Scalar = string | number | boolean | null;
export type Matcher = Scalar | { [operator: string]: unknown };
export interface EventPattern {
  [field: string]: EventPattern | Matcher[] | EventPattern[];
}

export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  return Object.entries(pattern).every(([field, rule]) => {
    if (field === "$or") return (rule as EventPattern[]).some((alternative) => matchesPattern(alternative, event));
    const present = isObject(event) && Object.prototype.hasOwnProperty.call(event, field);
    const value = present ? (event as Record<string, unknown>)[field] : undefined;
    if (Array.isArray(rule)) return matchesLeaf(rule as Matcher[], present, value);
    if (!present) return false;
    return anyElement(value, (element) => isObject(element) && matchesPattern(rule, element));
  });
}

function matchesLeaf(matchers: Matcher[], present: boolean, value: unknown): boolean {
  return matchers.some((matcher) => {
    if (isObject(matcher) && "exists" in matcher) return matcher.exists === present;
    if (!present) return false;
    return anyElement(value, (element) => matchesValue(matcher, element));
  });
}

function matchesValue(matcher: Matcher, value: unknown): boolean {
  if (!isObject(matcher)) return matcher === value;
  const [operator, argument] = single(matcher);
  switch (operator) {
    case "prefix":
      return typeof value === "string" && stringTest(argument, (s) => value.startsWith(s), (s) => value.toLowerCase().startsWith(s.toLowerCase()));
    case "suffix":
      return typeof value === "string" && stringTest(argument, (s) => value.endsWith(s), (s) => value.toLowerCase().endsWith(s.toLowerCase()));
    case "equals-ignore-case":
      return typeof value === "string" && typeof argument === "string" && value.toLowerCase() === argument.toLowerCase();
    case "wildcard":
      return typeof value === "string" && typeof argument === "string" && wildcardRegExp(argument).test(value);
    case "numeric":
      return typeof value === "number" && numericMatches(argument, value);
    case "anything-but":
      return anythingBut(argument, value);
    default:
      throw new Error(`Unsupported event pattern operator: ${operator}`);
  }
}

function anythingBut(argument: unknown, value: unknown): boolean {
  if (isObject(argument)) {
    const [operator, inner] = single(argument);
    if (typeof value !== "string") return false;
    if (operator === "prefix" && typeof inner === "string") return !value.startsWith(inner);
    if (operator === "suffix" && typeof inner === "string") return !value.endsWith(inner);
    if (operator === "equals-ignore-case") {
      const excluded = (Array.isArray(inner) ? inner : [inner]).map((s) => String(s).toLowerCase());
      return !excluded.includes(value.toLowerCase());
    }
    throw new Error(`Unsupported anything-but operator: ${operator}`);
  }
  const excluded = Array.isArray(argument) ? argument : [argument];
  return !excluded.includes(value);
}

const comparisons: Record<string, (a: number, b: number) => boolean> = {
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  "=": (a, b) => a === b,
  ">=": (a, b) => a >= b,
  ">": (a, b) => a > b,
};

function numericMatches(argument: unknown, value: number): boolean {
  if (!Array.isArray(argument) || argument.length % 2 !== 0) throw new Error("numeric takes [op, number, ...] pairs");
  for (let i = 0; i < argument.length; i += 2) {
    const compare = comparisons[String(argument[i])];
    const bound = argument[i + 1];
    if (!compare || typeof bound !== "number") throw new Error(`Bad numeric condition: ${String(argument[i])} ${String(bound)}`);
    if (!compare(value, bound)) return false;
  }
  return true;
}

/** prefix/suffix take a string, or {"equals-ignore-case": string}. */
function stringTest(argument: unknown, exact: (s: string) => boolean, ignoreCase: (s: string) => boolean): boolean {
  if (typeof argument === "string") return exact(argument);
  if (isObject(argument) && typeof argument["equals-ignore-case"] === "string") return ignoreCase(argument["equals-ignore-case"]);
  throw new Error(`Bad prefix/suffix argument: ${JSON.stringify(argument)}`);
}

function wildcardRegExp(glob: string): RegExp {
  const body = glob.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
  return new RegExp(`^${body}$`, "s");
}

function anyElement(value: unknown, test: (element: unknown) => boolean): boolean {
  return Array.isArray(value) ? value.some(test) : test(value);
}

function single(matcher: Record<string, unknown>): [string, unknown] {
  const entries = Object.entries(matcher);
  if (entries.length !== 1) throw new Error(`A matcher has exactly one operator: ${JSON.stringify(matcher)}`);
  return entries[0] as [string, unknown];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
