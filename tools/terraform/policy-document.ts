/**
 * Renders the arguments of a `data "aws_iam_policy_document"` (already evaluated) to the JSON the
 * AWS provider produces: statement keys in the provider's order, one-element lists as strings,
 * `principals { type = "*" identifiers = ["*"] }` as `"Principal": "*"`, conditions grouped by test.
 * Action and resource order is sorted: IAM gives it no meaning and it makes diffs stable.
 */
import type { Value } from './expression';

type Args = Record<string, Value>;

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: '*' | Record<string, string | string[]>;
  NotPrincipal?: '*' | Record<string, string | string[]>;
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

const list = (v: Value | undefined, what: string): string[] => {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new Error(`${what} must be a list of strings`);
  return v as string[];
};

const compact = (values: string[]): string | string[] => {
  const unique = [...new Set(values)].sort();
  return unique.length === 1 ? unique[0]! : unique;
};

function principals(blocks: Value | undefined): PolicyStatement['Principal'] | undefined {
  const entries = (blocks as Args[] | undefined) ?? [];
  if (entries.length === 0) return undefined;
  if (entries.length === 1 && entries[0]!.type === '*') {
    const ids = list(entries[0]!.identifiers, 'principals.identifiers');
    if (ids.length !== 1 || ids[0] !== '*') throw new Error('principals of type "*" must have identifiers ["*"]');
    return '*';
  }
  const out: Record<string, string[]> = {};
  for (const p of entries) {
    if (typeof p.type !== 'string' || p.type === '*') throw new Error('a "*" principal cannot be combined with others');
    out[p.type] = [...(out[p.type] ?? []), ...list(p.identifiers, 'principals.identifiers')];
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, compact(v)]));
}

export function renderPolicyDocument(args: Args): string {
  for (const key of ['source_policy_documents', 'override_policy_documents', 'policy_id']) {
    if (args[key] !== undefined && args[key] !== null) throw new Error(`aws_iam_policy_document.${key} is not supported offline`);
  }
  const statements: PolicyStatement[] = ((args.statement as Args[] | undefined) ?? []).map((s) => {
    const statement: PolicyStatement = { Effect: (s.effect as 'Allow' | 'Deny' | undefined) ?? 'Allow' };
    if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') throw new Error(`effect must be Allow or Deny, got ${s.effect}`);
    if (typeof s.sid === 'string' && s.sid) statement.Sid = s.sid;
    const actions = list(s.actions, 'actions');
    if (actions.length) statement.Action = compact(actions);
    const notActions = list(s.not_actions, 'not_actions');
    if (notActions.length) statement.NotAction = compact(notActions);
    const resources = list(s.resources, 'resources');
    if (resources.length) statement.Resource = compact(resources);
    const notResources = list(s.not_resources, 'not_resources');
    if (notResources.length) statement.NotResource = compact(notResources);
    const principal = principals(s.principals);
    if (principal) statement.Principal = principal;
    const notPrincipal = principals(s.not_principals);
    if (notPrincipal) statement.NotPrincipal = notPrincipal;
    const conditions = (s.condition as Args[] | undefined) ?? [];
    if (conditions.length) {
      const grouped: Record<string, Record<string, string[]>> = {};
      for (const c of conditions) {
        const test = String(c.test);
        const variable = String(c.variable);
        grouped[test] ??= {};
        grouped[test][variable] = [...(grouped[test][variable] ?? []), ...list(c.values, 'condition.values')];
      }
      statement.Condition = Object.fromEntries(
        Object.entries(grouped).map(([test, vars]) => [test, Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, compact(v)]))]),
      );
    }
    return orderKeys(statement);
  });
  const document: PolicyDocument = { Version: '2012-10-17', Statement: statements };
  return JSON.stringify(document, null, 2);
}

const KEY_ORDER = ['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition'];
function orderKeys(statement: PolicyStatement): PolicyStatement {
  return Object.fromEntries(KEY_ORDER.filter((k) => k in statement).map((k) => [k, statement[k as keyof PolicyStatement]])) as unknown as PolicyStatement;
}
