/**
 * A parser and evaluator for the subset of HCL expressions this repository's Terraform uses:
 * literals, string templates, references, function calls, tuples, objects, for-expressions,
 * splats, conditionals and operators. It exists so the offline checks can *evaluate* the module
 * (validations, locals, policy documents) rather than pattern-match its text.
 *
 * Anything it does not understand is an error, never a guess: an unknown reference, function or
 * syntax makes evaluation throw, so a check cannot silently pass on something it did not read.
 */

export type Value = null | boolean | number | string | Value[] | { [key: string]: Value };

export type Node =
  | { kind: 'literal'; value: Value }
  | { kind: 'template'; parts: (string | Node)[] }
  | { kind: 'ref'; root: string; path: PathStep[] }
  | { kind: 'index'; target: Node; path: PathStep[] }
  | { kind: 'call'; name: string; args: Node[]; expand: boolean }
  | { kind: 'tuple'; items: Node[] }
  | { kind: 'object'; entries: { key: Node; value: Node }[] }
  | { kind: 'for'; keyVar?: string; valueVar: string; collection: Node; key?: Node; value: Node; cond?: Node; object: boolean; group: boolean }
  | { kind: 'unary'; op: '!' | '-'; operand: Node }
  | { kind: 'binary'; op: string; left: Node; right: Node }
  | { kind: 'conditional'; cond: Node; then: Node; else: Node };

export type PathStep = { attr: string } | { index: Node } | { splat: true };

export class ExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpressionError';
  }
}

// ---------------------------------------------------------------------------------------------
// Lexer

type Token =
  | { t: 'num'; v: number }
  | { t: 'ident'; v: string }
  | { t: 'str'; parts: (string | Node)[] }
  | { t: 'op'; v: string }
  | { t: 'eof' };

const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '=>', '...', '[*]', '.*', '?', ':', '(', ')', '[', ']', '{', '}', ',', '.', '!', '-', '+', '*', '/', '%', '<', '>', '='];

class Lexer {
  private pos = 0;
  constructor(private readonly src: string) {}

  tokens(): Token[] {
    const out: Token[] = [];
    for (;;) {
      const token = this.next();
      out.push(token);
      if (token.t === 'eof') return out;
    }
  }

  private next(): Token {
    const src = this.src;
    while (this.pos < src.length && /\s/.test(src[this.pos]!)) this.pos++;
    if (this.pos >= src.length) return { t: 'eof' };
    const c = src[this.pos]!;
    if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(src.slice(this.pos))!;
      this.pos += m[0].length;
      return { t: 'num', v: Number(m[0]) };
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(this.pos))!;
      this.pos += m[0].length;
      return { t: 'ident', v: m[0] };
    }
    if (c === '"') {
      this.pos++;
      const parts = readTemplate(src, this, '"');
      return { t: 'str', parts };
    }
    for (const op of OPERATORS) {
      if (src.startsWith(op, this.pos)) {
        this.pos += op.length;
        return { t: 'op', v: op };
      }
    }
    throw new ExpressionError(`unexpected character "${c}" in: ${src}`);
  }

  get position() {
    return this.pos;
  }
  set position(p: number) {
    this.pos = p;
  }
}

/**
 * Reads template content up to `end` (a quote, or the end of input for a top-level template).
 * Quoted strings process escapes; top-level templates (from hcl2json) are already unescaped.
 */
function readTemplate(src: string, lexer: { position: number }, end: '"' | 'eof'): (string | Node)[] {
  const parts: (string | Node)[] = [];
  let text = '';
  let pos = lexer.position;
  for (;;) {
    if (pos >= src.length) {
      if (end === '"') throw new ExpressionError(`unterminated string in: ${src}`);
      break;
    }
    const c = src[pos]!;
    if (end === '"' && c === '"') {
      pos++;
      break;
    }
    if (c === '$' && src[pos + 1] === '$' && src[pos + 2] === '{') {
      text += '${';
      pos += 3;
      continue;
    }
    if (c === '$' && src[pos + 1] === '{') {
      if (text) parts.push(text);
      text = '';
      const close = findClosingBrace(src, pos + 2);
      parts.push(parseExpression(src.slice(pos + 2, close).replace(/^~|~$/g, '')));
      pos = close + 1;
      continue;
    }
    if (c === '%' && src[pos + 1] === '{') throw new ExpressionError(`template directives are not supported: ${src}`);
    if (end === '"' && c === '\\') {
      const e = src[pos + 1];
      const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };
      if (e && e in escapes) {
        text += escapes[e];
        pos += 2;
        continue;
      }
      if (e === 'u') {
        text += String.fromCharCode(parseInt(src.slice(pos + 2, pos + 6), 16));
        pos += 6;
        continue;
      }
      throw new ExpressionError(`unknown escape \\${e} in: ${src}`);
    }
    text += c;
    pos++;
  }
  if (text || parts.length === 0) parts.push(text);
  lexer.position = pos;
  return parts;
}

/** Finds the `}` closing an interpolation that starts at `start`, skipping nested braces and strings. */
function findClosingBrace(src: string, start: number): number {
  let depth = 0;
  for (let i = start; i < src.length; i++) {
    const c = src[i];
    if (c === '"') {
      for (i++; i < src.length && src[i] !== '"'; i++) {
        if (src[i] === '\\') i++;
        else if (src[i] === '$' && src[i + 1] === '{') i = findClosingBrace(src, i + 2);
      }
    } else if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  throw new ExpressionError(`unterminated interpolation in: ${src}`);
}

// ---------------------------------------------------------------------------------------------
// Parser

class Parser {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly src: string,
  ) {}

  parseAll(): Node {
    const node = this.expr();
    if (this.peek().t !== 'eof') throw this.error('unexpected input after expression');
    return node;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!;
  }
  private take(): Token {
    return this.tokens[this.i++]!;
  }
  private isOp(v: string, offset = 0) {
    const t = this.peek(offset);
    return t.t === 'op' && t.v === v;
  }
  private isIdent(v: string, offset = 0) {
    const t = this.peek(offset);
    return t.t === 'ident' && t.v === v;
  }
  private expectOp(v: string) {
    if (!this.isOp(v)) throw this.error(`expected "${v}"`);
    this.i++;
  }
  private ident(): string {
    const t = this.take();
    if (t.t !== 'ident') throw this.error('expected a name');
    return t.v;
  }
  private error(message: string) {
    return new ExpressionError(`${message} in: ${this.src}`);
  }

  expr(): Node {
    const cond = this.binary(0);
    if (this.isOp('?')) {
      this.i++;
      const then = this.expr();
      this.expectOp(':');
      return { kind: 'conditional', cond, then, else: this.expr() };
    }
    return cond;
  }

  private static readonly LEVELS = [['||'], ['&&'], ['==', '!='], ['<', '>', '<=', '>='], ['+', '-'], ['*', '/', '%']];

  private binary(level: number): Node {
    if (level === Parser.LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const t = this.peek();
      if (t.t === 'op' && Parser.LEVELS[level]!.includes(t.v)) {
        this.i++;
        left = { kind: 'binary', op: t.v, left, right: this.binary(level + 1) };
      } else return left;
    }
  }

  private unary(): Node {
    if (this.isOp('!') || this.isOp('-')) {
      const op = (this.take() as { v: '!' | '-' }).v;
      return { kind: 'unary', op, operand: this.unary() };
    }
    return this.postfix(this.primary());
  }

  private postfix(node: Node): Node {
    const path: PathStep[] = [];
    for (;;) {
      if (this.isOp('.') && this.peek(1).t === 'ident') {
        this.i++;
        path.push({ attr: this.ident() });
      } else if (this.isOp('.') && this.peek(1).t === 'num') {
        this.i++;
        path.push({ index: { kind: 'literal', value: (this.take() as { v: number }).v } });
      } else if (this.isOp('[*]') || this.isOp('.*')) {
        this.i++;
        path.push({ splat: true });
      } else if (this.isOp('[')) {
        this.i++;
        path.push({ index: this.expr() });
        this.expectOp(']');
      } else break;
    }
    if (path.length === 0) return node;
    if (node.kind === 'ref') return { ...node, path: [...node.path, ...path] };
    return { kind: 'index', target: node, path };
  }

  private primary(): Node {
    const t = this.take();
    switch (t.t) {
      case 'num':
        return { kind: 'literal', value: t.v };
      case 'str':
        return templateNode(t.parts);
      case 'ident': {
        if (t.v === 'true' || t.v === 'false') return { kind: 'literal', value: t.v === 'true' };
        if (t.v === 'null') return { kind: 'literal', value: null };
        if (this.isOp('(')) return this.call(t.v);
        return { kind: 'ref', root: t.v, path: [] };
      }
      case 'op':
        if (t.v === '(') {
          const inner = this.expr();
          this.expectOp(')');
          return inner;
        }
        if (t.v === '[') return this.isIdent('for') ? this.forExpr(false) : this.tuple();
        if (t.v === '{') return this.isIdent('for') ? this.forExpr(true) : this.object();
        throw this.error(`unexpected "${t.v}"`);
      default:
        throw this.error('unexpected end of expression');
    }
  }

  private call(name: string): Node {
    this.expectOp('(');
    const args: Node[] = [];
    let expand = false;
    while (!this.isOp(')')) {
      args.push(this.expr());
      if (this.isOp('...')) {
        this.i++;
        expand = true;
      }
      if (!this.isOp(')')) this.expectOp(',');
    }
    this.i++;
    return { kind: 'call', name, args, expand };
  }

  private tuple(): Node {
    const items: Node[] = [];
    while (!this.isOp(']')) {
      items.push(this.expr());
      if (!this.isOp(']')) this.expectOp(',');
    }
    this.i++;
    return { kind: 'tuple', items };
  }

  private object(): Node {
    const entries: { key: Node; value: Node }[] = [];
    while (!this.isOp('}')) {
      const keyToken = this.peek();
      const key: Node =
        keyToken.t === 'ident' && (this.isOp('=', 1) || this.isOp(':', 1))
          ? (this.i++, { kind: 'literal', value: keyToken.v })
          : this.expr();
      if (this.isOp('=') || this.isOp(':')) this.i++;
      else throw this.error('expected "=" in object');
      entries.push({ key, value: this.expr() });
      if (this.isOp(',')) this.i++;
    }
    this.i++;
    return { kind: 'object', entries };
  }

  private forExpr(object: boolean): Node {
    this.i++; // for
    const first = this.ident();
    let keyVar: string | undefined;
    let valueVar = first;
    if (this.isOp(',')) {
      this.i++;
      keyVar = first;
      valueVar = this.ident();
    }
    if (!this.isIdent('in')) throw this.error('expected "in"');
    this.i++;
    const collection = this.expr();
    this.expectOp(':');
    let key: Node | undefined;
    let value = this.expr();
    let group = false;
    if (object) {
      this.expectOp('=>');
      key = value;
      value = this.expr();
      if (this.isOp('...')) {
        this.i++;
        group = true;
      }
    }
    let cond: Node | undefined;
    if (this.isIdent('if')) {
      this.i++;
      cond = this.expr();
    }
    this.expectOp(object ? '}' : ']');
    return { kind: 'for', keyVar, valueVar, collection, key, value, cond, object, group };
  }
}

function templateNode(parts: (string | Node)[]): Node {
  if (parts.length === 1 && typeof parts[0] !== 'string') return parts[0]!; // "${x}" is x itself
  if (parts.every((p) => typeof p === 'string')) return { kind: 'literal', value: parts.join('') };
  return { kind: 'template', parts };
}

/** Parses an expression in HCL source syntax (as found inside `${...}`). */
export function parseExpression(src: string): Node {
  return new Parser(new Lexer(src).tokens(), src).parseAll();
}

/**
 * Parses a value as hcl2json returns it: strings may be templates ("${...}"), arrays and objects
 * hold further values. Returns an AST whose literals are plain JSON.
 */
export function parseJsonValue(value: unknown): Node {
  if (typeof value === 'string') {
    if (!value.includes('${')) return { kind: 'literal', value };
    const holder = { position: 0 };
    return templateNode(readTemplate(value, holder, 'eof'));
  }
  if (Array.isArray(value)) return { kind: 'tuple', items: value.map(parseJsonValue) };
  if (value !== null && typeof value === 'object') {
    return {
      kind: 'object',
      entries: Object.entries(value).map(([k, v]) => ({ key: { kind: 'literal', value: k }, value: parseJsonValue(v) })),
    };
  }
  return { kind: 'literal', value: value as Value };
}

// ---------------------------------------------------------------------------------------------
// References

export interface Reference {
  root: string;
  /** Leading attribute names, up to the first index or splat: `aws_s3_bucket.this.arn` -> ["this", "arn"]. */
  attrs: string[];
}

/** Every reference in an expression, with names bound by for-expressions left out. */
export function collectReferences(node: Node, bound: ReadonlySet<string> = new Set()): Reference[] {
  const out: Reference[] = [];
  const visit = (n: Node, scope: ReadonlySet<string>) => {
    switch (n.kind) {
      case 'ref': {
        if (!scope.has(n.root)) {
          const attrs: string[] = [];
          for (const step of n.path) {
            if ('attr' in step) attrs.push(step.attr);
            else break;
          }
          out.push({ root: n.root, attrs });
        }
        for (const step of n.path) if ('index' in step) visit(step.index, scope);
        break;
      }
      case 'index':
        visit(n.target, scope);
        for (const step of n.path) if ('index' in step) visit(step.index, scope);
        break;
      case 'template':
        for (const p of n.parts) if (typeof p !== 'string') visit(p, scope);
        break;
      case 'call':
        n.args.forEach((a) => visit(a, scope));
        break;
      case 'tuple':
        n.items.forEach((a) => visit(a, scope));
        break;
      case 'object':
        n.entries.forEach((e) => (visit(e.key, scope), visit(e.value, scope)));
        break;
      case 'for': {
        visit(n.collection, scope);
        const inner = new Set([...scope, n.valueVar, ...(n.keyVar ? [n.keyVar] : [])]);
        if (n.key) visit(n.key, inner);
        visit(n.value, inner);
        if (n.cond) visit(n.cond, inner);
        break;
      }
      case 'unary':
        visit(n.operand, scope);
        break;
      case 'binary':
        visit(n.left, scope);
        visit(n.right, scope);
        break;
      case 'conditional':
        visit(n.cond, scope);
        visit(n.then, scope);
        visit(n.else, scope);
        break;
      case 'literal':
        break;
    }
  };
  visit(node, bound);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** Resolves a root name (`var`, `local`, `aws_s3_bucket`, `statement`, ...) to a value, or throws. */
export type Scope = (root: string) => Value;

const typeOf = (v: Value) => (v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v === 'object' ? 'object' : typeof v);

function expectType<T extends Value>(v: Value, type: string, what: string): T {
  if (typeOf(v) !== type) throw new ExpressionError(`${what} must be a ${type}, got ${typeOf(v)}`);
  return v as T;
}

function equal(a: Value, b: Value): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function toRegExp(pattern: string): RegExp {
  // RE2 and JavaScript agree on the constructs used here; flags RE2 spells inline are not supported.
  if (/\(\?[a-z]/.test(pattern)) throw new ExpressionError(`inline regex flags are not supported: ${pattern}`);
  return new RegExp(pattern, 'u');
}

const FUNCTIONS: Record<string, (...args: Value[]) => Value> = {
  length: (v) => (typeof v === 'string' ? [...v].length : Array.isArray(v) ? v.length : v && typeof v === 'object' ? Object.keys(v).length : fail(`length() of ${typeOf(v)}`)),
  regex: (pattern, s) => {
    const m = toRegExp(expectType<string>(pattern, 'string', 'regex pattern')).exec(expectType<string>(s, 'string', 'regex input'));
    if (!m) throw new ExpressionError(`regex: no match for ${JSON.stringify(s)}`);
    return m.length > 1 ? m.slice(1).map((g) => g ?? null) : m[0];
  },
  alltrue: (list) => expectType<Value[]>(list, 'list', 'alltrue argument').every((v) => v === true),
  anytrue: (list) => expectType<Value[]>(list, 'list', 'anytrue argument').some((v) => v === true),
  startswith: (s, p) => expectType<string>(s, 'string', 'startswith').startsWith(expectType<string>(p, 'string', 'prefix')),
  endswith: (s, p) => expectType<string>(s, 'string', 'endswith').endsWith(expectType<string>(p, 'string', 'suffix')),
  strcontains: (s, p) => expectType<string>(s, 'string', 'strcontains').includes(expectType<string>(p, 'string', 'substring')),
  floor: (n) => Math.floor(expectType<number>(n, 'number', 'floor')),
  ceil: (n) => Math.ceil(expectType<number>(n, 'number', 'ceil')),
  lower: (s) => expectType<string>(s, 'string', 'lower').toLowerCase(),
  upper: (s) => expectType<string>(s, 'string', 'upper').toUpperCase(),
  trimsuffix: (s, x) => {
    const str = expectType<string>(s, 'string', 'trimsuffix');
    const suffix = expectType<string>(x, 'string', 'suffix');
    return suffix && str.endsWith(suffix) ? str.slice(0, -suffix.length) : str;
  },
  replace: (s, a, b) => expectType<string>(s, 'string', 'replace').split(expectType<string>(a, 'string', 'search')).join(expectType<string>(b, 'string', 'replacement')),
  coalesce: (...args) => {
    const found = args.find((a) => a !== null && a !== '');
    if (found === undefined) throw new ExpressionError('coalesce: no non-null, non-empty argument');
    return found;
  },
  one: (list) => {
    const l = expectType<Value[]>(list, 'list', 'one argument');
    if (l.length > 1) throw new ExpressionError('one: list has more than one element');
    return l[0] ?? null;
  },
  concat: (...lists) => lists.flatMap((l) => expectType<Value[]>(l, 'list', 'concat argument')),
  flatten: (list) => (expectType<Value[]>(list, 'list', 'flatten argument') as Value[]).flat(Infinity as 1) as Value[],
  distinct: (list) => expectType<Value[]>(list, 'list', 'distinct argument').filter((v, i, all) => all.findIndex((w) => equal(v, w)) === i),
  toset: (list) => FUNCTIONS.distinct!(list),
  tolist: (list) => expectType<Value[]>(list, 'list', 'tolist argument'),
  tostring: (v) => (v === null ? null : typeof v === 'object' ? fail('tostring of a collection') : String(v)),
  contains: (list, v) => expectType<Value[]>(list, 'list', 'contains argument').some((w) => equal(w, v)),
  keys: (obj) => Object.keys(expectType<Record<string, Value>>(obj, 'object', 'keys argument')).sort(),
  values: (obj) => {
    const o = expectType<Record<string, Value>>(obj, 'object', 'values argument');
    return Object.keys(o).sort().map((k) => o[k]!);
  },
  merge: (...objs) => Object.assign({}, ...objs.filter((o) => o !== null).map((o) => expectType<Record<string, Value>>(o, 'object', 'merge argument'))),
  lookup: (obj, key, fallback) => {
    const o = expectType<Record<string, Value>>(obj, 'object', 'lookup argument');
    const k = expectType<string>(key, 'string', 'lookup key');
    if (k in o) return o[k]!;
    if (fallback === undefined) throw new ExpressionError(`lookup: no key ${k}`);
    return fallback;
  },
  format: (fmt, ...args) => {
    let i = 0;
    return expectType<string>(fmt, 'string', 'format').replace(/%[sd%]/g, (m) => (m === '%%' ? '%' : String(args[i++])));
  },
  jsonencode: (v) => JSON.stringify(v),
  join: (sep, list) => expectType<Value[]>(list, 'list', 'join list').join(expectType<string>(sep, 'string', 'join separator')),
};

function fail(message: string): never {
  throw new ExpressionError(message);
}

export const SUPPORTED_FUNCTIONS = new Set([...Object.keys(FUNCTIONS), 'can', 'try']);

/** Evaluates an AST. `scope` supplies every root name; unknown names must make it throw. */
export function evaluate(node: Node, scope: Scope): Value {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'template':
      return node.parts
        .map((p) => {
          if (typeof p === 'string') return p;
          const v = evaluate(p, scope);
          if (v === null || typeof v === 'object') throw new ExpressionError(`cannot interpolate a ${typeOf(v)} into a string`);
          return String(v);
        })
        .join('');
    case 'ref':
      return walk(scope(node.root), node.path, scope, node.root);
    case 'index':
      return walk(evaluate(node.target, scope), node.path, scope, '(expression)');
    case 'call': {
      if (node.name === 'can' || node.name === 'try') {
        for (const arg of node.args) {
          try {
            const v = evaluate(arg, scope);
            if (node.name === 'can') return true;
            return v;
          } catch (err) {
            if (!(err instanceof ExpressionError)) throw err;
            if (node.name === 'can') return false;
          }
        }
        throw new ExpressionError('try: no argument could be evaluated');
      }
      const fn = FUNCTIONS[node.name];
      if (!fn) throw new ExpressionError(`unsupported function ${node.name}()`);
      let args = node.args.map((a) => evaluate(a, scope));
      if (node.expand) args = [...args.slice(0, -1), ...expectType<Value[]>(args[args.length - 1]!, 'list', 'expanded argument')];
      return fn(...args);
    }
    case 'tuple':
      return node.items.map((i) => evaluate(i, scope));
    case 'object': {
      const out: Record<string, Value> = {};
      for (const e of node.entries) out[String(evaluate(e.key, scope))] = evaluate(e.value, scope);
      return out;
    }
    case 'for': {
      const coll = evaluate(node.collection, scope);
      const pairs: [Value, Value][] = Array.isArray(coll)
        ? coll.map((v, i) => [i, v])
        : coll && typeof coll === 'object'
          ? Object.keys(coll).sort().map((k) => [k, coll[k]!])
          : fail(`for expression over a ${typeOf(coll)}`);
      const results: [Value, Value][] = [];
      for (const [k, v] of pairs) {
        const inner: Scope = (root) => (root === node.valueVar ? v : root === node.keyVar ? k : scope(root));
        if (node.cond && evaluate(node.cond, inner) !== true) continue;
        results.push([node.key ? evaluate(node.key, inner) : null, evaluate(node.value, inner)]);
      }
      if (!node.object) return results.map(([, v]) => v);
      const out: Record<string, Value> = {};
      for (const [k, v] of results) {
        const key = String(k);
        if (node.group) out[key] = [...((out[key] as Value[]) ?? []), v];
        else if (key in out) throw new ExpressionError(`duplicate key ${key} in for expression`);
        else out[key] = v;
      }
      return out;
    }
    case 'unary': {
      const v = evaluate(node.operand, scope);
      return node.op === '!' ? !expectType<boolean>(v, 'boolean', 'operand of !') : -expectType<number>(v, 'number', 'operand of -');
    }
    case 'binary': {
      if (node.op === '&&' || node.op === '||') {
        // HCL evaluates both sides; so do we, so an error on either side is never hidden.
        const l = expectType<boolean>(evaluate(node.left, scope), 'boolean', `left of ${node.op}`);
        const r = expectType<boolean>(evaluate(node.right, scope), 'boolean', `right of ${node.op}`);
        return node.op === '&&' ? l && r : l || r;
      }
      const l = evaluate(node.left, scope);
      const r = evaluate(node.right, scope);
      if (node.op === '==') return equal(l, r);
      if (node.op === '!=') return !equal(l, r);
      const a = expectType<number>(l, 'number', `left of ${node.op}`);
      const b = expectType<number>(r, 'number', `right of ${node.op}`);
      switch (node.op) {
        case '<': return a < b;
        case '>': return a > b;
        case '<=': return a <= b;
        case '>=': return a >= b;
        case '+': return a + b;
        case '-': return a - b;
        case '*': return a * b;
        case '/': return a / b;
        case '%': return a % b;
      }
      throw new ExpressionError(`unsupported operator ${node.op}`);
    }
    case 'conditional': {
      const c = expectType<boolean>(evaluate(node.cond, scope), 'boolean', 'condition');
      return evaluate(c ? node.then : node.else, scope);
    }
  }
}

function walk(value: Value, path: PathStep[], scope: Scope, name: string): Value {
  let v = value;
  for (let i = 0; i < path.length; i++) {
    const step = path[i]!;
    if ('splat' in step) {
      const list = v === null ? [] : Array.isArray(v) ? v : [v];
      return list.map((item) => walk(item, path.slice(i + 1), scope, name));
    }
    if ('attr' in step) {
      if (v === null || typeof v !== 'object' || Array.isArray(v) || !(step.attr in v)) {
        throw new ExpressionError(`${name} has no attribute "${step.attr}"`);
      }
      v = v[step.attr]!;
      name = `${name}.${step.attr}`;
    } else {
      const key = evaluate(step.index, scope);
      if (Array.isArray(v) && typeof key === 'number' && key >= 0 && key < v.length) v = v[key]!;
      else if (v && typeof v === 'object' && !Array.isArray(v) && typeof key === 'string' && key in v) v = v[key]!;
      else throw new ExpressionError(`${name} has no element [${JSON.stringify(key)}]`);
      name = `${name}[${JSON.stringify(key)}]`;
    }
  }
  return v;
}
