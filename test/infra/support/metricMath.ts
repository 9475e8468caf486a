/**
 * A small evaluator of the CloudWatch metric math the alarms use (IF, FILL, comparisons, + - * /),
 * for one datapoint: each metric id maps to its value, or to undefined when it has no data then.
 * Enough to test what an alarm's expression answers for given counts; anything else throws.
 */
type Value = number | undefined;

export function evaluateMetricMath(expression: string, values: Record<string, Value>): Value {
  const tokens = expression.match(/\s*(>=|<=|==|!=|[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?|[-+*/(),<>])/g)?.map((t) => t.trim()) ?? [];
  if (tokens.join("") !== expression.replace(/\s+/g, "")) throw new Error(`cannot read ${expression}`);
  let at = 0;
  const peek = () => tokens[at];
  const take = (wanted?: string) => {
    const token = tokens[at++];
    if (wanted !== undefined && token !== wanted) throw new Error(`expected ${wanted}, got ${token} in ${expression}`);
    return token!;
  };
  const arithmetic = (a: Value, op: string, b: Value): Value => {
    if (a === undefined || b === undefined) return undefined;
    if (op === "+") return a + b;
    if (op === "-") return a - b;
    if (op === "*") return a * b;
    return a / b;
  };
  const compare = (a: Value, op: string, b: Value): Value => {
    if (a === undefined || b === undefined) return undefined;
    const result = { ">=": a >= b, "<=": a <= b, ">": a > b, "<": a < b, "==": a === b, "!=": a !== b }[op];
    return result ? 1 : 0;
  };
  const primary = (): Value => {
    const token = take();
    if (token === "(") {
      const inner = comparison();
      take(")");
      return inner;
    }
    if (/^\d/.test(token)) return Number(token);
    if (token === "IF" || token === "FILL") {
      take("(");
      const args = [comparison()];
      while (peek() === ",") {
        take(",");
        args.push(comparison());
      }
      take(")");
      if (token === "FILL") return args[0] ?? args[1];
      return args[0] === undefined ? undefined : args[0] !== 0 ? args[1] : args[2];
    }
    if (!(token in values)) throw new Error(`unknown metric id ${token} in ${expression}`);
    return values[token];
  };
  const term = (): Value => {
    let value = primary();
    while (peek() === "*" || peek() === "/") value = arithmetic(value, take(), primary());
    return value;
  };
  const sum = (): Value => {
    let value = term();
    while (peek() === "+" || peek() === "-") value = arithmetic(value, take(), term());
    return value;
  };
  const comparison = (): Value => {
    const left = sum();
    const op = peek();
    return op && [">=", "<=", ">", "<", "==", "!="].includes(op) ? compare(left, take(), sum()) : left;
  };
  const result = comparison();
  if (at !== tokens.length) throw new Error(`unread ${tokens.slice(at).join(" ")} in ${expression}`);
  return result;
}
