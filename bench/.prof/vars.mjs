// src/vars/template.ts
import { dirname as dirname2, isAbsolute as isAbsolute3 } from "node:path";

// src/errors.ts
import { readFileSync } from "node:fs";
var PghaError = class extends Error {
  code;
  constructor(code, message, options2) {
    super(message, options2);
    this.code = code;
    this.name = new.target.name;
  }
};
var ConfigError = class extends PghaError {
  loc;
  constructor(message, loc, options2) {
    super("config", message, options2);
    this.loc = loc;
  }
  /** `file:line:col: message`, then the offending line and a caret under the column. */
  format() {
    return formatAt(this.message, this.loc);
  }
};
var ConfigErrors = class extends PghaError {
  errors;
  constructor(errors) {
    super("config", errors.map((e) => e.format()).join("\n\n"));
    this.errors = errors;
  }
};
var sourceCache = /* @__PURE__ */ new Map();
function sourceLine(loc) {
  let lines = sourceCache.get(loc.file);
  if (!lines) {
    try {
      lines = readFileSync(loc.file, "utf8").split("\n");
    } catch {
      return void 0;
    }
    sourceCache.set(loc.file, lines);
  }
  return lines[loc.line - 1];
}
function registerSource(file, text2) {
  sourceCache.set(file, text2.split("\n"));
}
function formatLoc(loc) {
  return `${loc.file}:${loc.line}:${loc.col}`;
}
function formatAt(message, loc) {
  if (!loc) return message;
  const head = `${formatLoc(loc)}: ${message}`;
  const line = sourceLine(loc);
  if (line === void 0) return head;
  const gutter = `${loc.line} | `;
  const caret = " ".repeat(gutter.length + Math.max(0, loc.col - 1)) + "^";
  return `${head}
  ${gutter}${line.replace(/\t/g, " ")}
  ${caret}`;
}

// src/yaml-source.ts
import { readFileSync as readFileSync2 } from "node:fs";
import { LineCounter, parseDocument, visit, isMap, isSeq, isScalar, isAlias } from "yaml";
var positions = /* @__PURE__ */ new WeakMap();
function locOf(container, key) {
  if (container === null || typeof container !== "object") return void 0;
  const p = positions.get(container);
  if (!p) return void 0;
  if (key === void 0) return p.self;
  return p.entries.get(key) ?? p.self;
}
function copyLoc(from, to) {
  const p = positions.get(from);
  if (p) positions.set(to, p);
}
function parseYaml(text2, file) {
  registerSource(file, text2);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text2, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  const at = (offset) => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col };
  };
  const problems = [...doc.errors, ...doc.warnings.filter((w) => w.code === "DUPLICATE_KEY")];
  if (problems.length > 0) throw new ConfigErrors(explain(problems, doc, text2, at));
  return toJs(doc, doc.contents, at);
}
function loadYamlFile(file, from) {
  let text2;
  try {
    text2 = readFileSync2(file, "utf8");
  } catch (err) {
    const why = err.code === "ENOENT" ? "file not found" : err.message;
    throw new ConfigErrors([new ConfigError(`cannot read ${file}: ${why}`, from)]);
  }
  return parseYaml(text2, file);
}
function explain(problems, doc, text2, at) {
  const firstKeys = /* @__PURE__ */ new Map();
  visit(doc, {
    Map(_, map) {
      const seen = /* @__PURE__ */ new Map();
      for (const pair of map.items) {
        const k = pair.key;
        if (!k || !isScalar(k) || !k.range) continue;
        const key = String(k.value);
        if (seen.has(key)) firstKeys.set(k.range[0], { key, first: seen.get(key) });
        else seen.set(key, k.range[0]);
      }
    }
  });
  const lines = text2.split("\n");
  const out = [];
  const tabLines = /* @__PURE__ */ new Set();
  for (const e of problems) {
    let offset = e.pos[0];
    const loc = at(offset);
    const line = lines[loc.line - 1] ?? "";
    const indent2 = /^[ \t]*/.exec(line)[0];
    if (indent2.includes("	")) {
      if (!tabLines.has(loc.line)) out.push(new ConfigError("YAML syntax error: a tab in the indentation; YAML indents with spaces only, replace the tab with spaces", { ...loc, col: indent2.indexOf("	") + 1 }));
      tabLines.add(loc.line);
      continue;
    }
    const first2 = line.split(":")[0].trim();
    let message = `YAML syntax error: ${e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}`;
    const quote2 = /Missing closing (["'])quote/.exec(e.message)?.[1];
    const bracket = /end with an? ([\]}])/.exec(e.message)?.[1];
    if (e.code === "DUPLICATE_KEY") {
      const dup = firstKeys.get(offset);
      message = dup ? `duplicate key '${dup.key}' (first set at line ${at(dup.first).line}): a mapping holds each key once; remove or rename one` : "duplicate key: a key appears twice in this mapping; remove or rename one";
    } else if (quote2) {
      offset = text2.lastIndexOf(quote2, offset - 1);
      message = `YAML syntax error: this ${quote2 === '"' ? "double" : "single"} quote is never closed; add the closing ${quote2}`;
    } else if (bracket) {
      const opener = unclosed(text2, offset, bracket === "]" ? "[" : "{", bracket);
      if (opener >= 0) offset = opener;
      message = `YAML syntax error: this '${bracket === "]" ? "[" : "{"}' is never closed; end the ${bracket === "]" ? "list" : "mapping"} with '${bracket}' on the same entry`;
    } else if (e.code === "BAD_INDENT" && /same column/.test(e.message) && first2 !== "") {
      offset += line.length - line.trimStart().length - (loc.col - 1);
      message = `YAML syntax error: '${first2}' is not indented like the keys above it; keys of one mapping start at the same column`;
    }
    out.push(new ConfigError(message, at(Math.max(0, offset))));
  }
  return out;
}
function unclosed(text2, end, open, close) {
  let depth = 0;
  for (let i = Math.min(end, text2.length) - 1; i >= 0; i--) {
    if (text2[i] === close) depth++;
    else if (text2[i] === open && depth-- === 0) return i;
  }
  return -1;
}
function toJs(doc, node, at) {
  if (node === null || node === void 0) return null;
  if (isAlias(node)) return toJs(doc, node.resolve(doc), at);
  if (isScalar(node)) return node.value;
  if (isMap(node)) {
    const out = {};
    const pos = { self: at(node.range?.[0] ?? 0), entries: /* @__PURE__ */ new Map(), keys: /* @__PURE__ */ new Map() };
    for (const pair of node.items) {
      const keyNode = pair.key;
      const key = String(keyNode && isScalar(keyNode) ? keyNode.value : toJs(doc, keyNode, at));
      if (key === "<<") {
        const merged = toJs(doc, pair.value, at);
        for (const m2 of Array.isArray(merged) ? merged : [merged]) {
          if (m2 && typeof m2 === "object") {
            for (const [k, v] of Object.entries(m2)) if (!(k in out)) out[k] = v;
          }
        }
        continue;
      }
      const valueNode = pair.value;
      if (keyNode?.range) pos.keys.set(key, at(keyNode.range[0]));
      pos.entries.set(key, at((valueNode?.range ?? keyNode?.range ?? node.range ?? [0])[0]));
      out[key] = toJs(doc, valueNode, at);
    }
    positions.set(out, pos);
    return out;
  }
  if (isSeq(node)) {
    const pos = { self: at(node.range?.[0] ?? 0), entries: /* @__PURE__ */ new Map(), keys: /* @__PURE__ */ new Map() };
    const out = node.items.map((item, i) => {
      const n = item;
      pos.entries.set(i, at((n?.range ?? node.range ?? [0])[0]));
      return toJs(doc, n, at);
    });
    positions.set(out, pos);
    return out;
  }
  return null;
}

// src/vars/jinja/errors.ts
var JinjaError = class extends Error {
  constructor(message, pos, syntax = false) {
    super(message);
    this.pos = pos;
    this.syntax = syntax;
  }
  pos;
  syntax;
};
var Undefined = class {
  constructor(text2, pos, root = false) {
    this.text = text2;
    this.pos = pos;
    this.root = root;
  }
  text;
  pos;
  root;
};
function undefinedError(u) {
  return new JinjaError(`undefined variable '${u.text}'`, u.pos);
}

// src/vars/unsafe.ts
var UnsafeText = class {
  constructor(text2) {
    this.text = text2;
  }
  text;
};
function isUnsafe(v) {
  return v instanceof UnsafeText;
}

// src/vars/jinja/loop.ts
var loops = /* @__PURE__ */ new WeakSet();
var isLoop = (v) => typeof v === "object" && v !== null && loops.has(v);
function loopInfo(items, i) {
  const n = items.length;
  const info = {
    index: i + 1,
    index0: i,
    revindex: n - i,
    revindex0: n - i - 1,
    first: i === 0,
    last: i === n - 1,
    length: n,
    depth: 1,
    depth0: 0
  };
  if (i > 0) info.previtem = items[i - 1];
  if (i < n - 1) info.nextitem = items[i + 1];
  loops.add(info);
  return info;
}

// src/vars/jinja/filters/data.ts
import { parseAllDocuments, parse as parseYaml2 } from "yaml";

// src/vars/jinja/crypto.ts
import { createHash, randomInt } from "node:crypto";

// src/vars/jinja/values.ts
var PyFloat = class {
  constructor(value) {
    this.value = value;
  }
  value;
};
var NativeText = class {
  constructor(text2) {
    this.text = text2;
  }
  text;
};
var ValueError = class extends Error {
};
var tuples = /* @__PURE__ */ new WeakSet();
function tuple(items) {
  tuples.add(items);
  return items;
}
var isTuple = (v) => Array.isArray(v) && tuples.has(v);
function float(n) {
  return Number.isInteger(n) ? new PyFloat(n) : n;
}
var isFloat = (v) => v instanceof PyFloat || typeof v === "number" && !Number.isInteger(v);
var isInt = (v) => typeof v === "number" && Number.isInteger(v);
var isNumber = (v) => typeof v === "number" || typeof v === "boolean" || v instanceof PyFloat;
function num(v) {
  if (v instanceof PyFloat) return v.value;
  if (typeof v === "boolean") return v ? 1 : 0;
  return v;
}
function isMapping(v) {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
function typeName(v) {
  if (v === null || v === void 0) return "NoneType";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (v instanceof PyFloat) return "float";
  if (typeof v === "string" || isUnsafe(v)) return "str";
  if (Array.isArray(v)) return isTuple(v) ? "tuple" : "list";
  if (isMapping(v)) return "dict";
  return "object";
}
function truthy(v) {
  if (v === null || v === void 0) return false;
  if (v instanceof PyFloat) return v.value !== 0;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return isUnsafe(v) ? v.text !== "" : Object.keys(v).length > 0;
  return Boolean(v);
}
function floatRepr(n) {
  if (Number.isNaN(n)) return "nan";
  if (!Number.isFinite(n)) return n > 0 ? "inf" : "-inf";
  if (n === 0) return Object.is(n, -0) ? "-0.0" : "0.0";
  const [mantissa, expText] = n.toExponential().split("e");
  const exp = Number(expText);
  const sign = mantissa.startsWith("-") ? "-" : "";
  const digits = mantissa.replace(/^-/, "").replace(".", "");
  if (exp >= -4 && exp < 16) {
    if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
    const int = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
    const frac = digits.slice(exp + 1);
    return `${sign}${int}.${frac === "" ? "0" : frac}`;
  }
  const m2 = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const e = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : `${Math.abs(exp)}`;
  return `${sign}${m2}e${exp < 0 ? "-" : "+"}${e}`;
}
var REPR_ESCAPES = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "	": "\\t" };
function strRepr(s2) {
  const quote2 = s2.includes("'") && !s2.includes('"') ? '"' : "'";
  let out = quote2;
  for (const ch of s2) {
    const code = ch.codePointAt(0);
    if (REPR_ESCAPES[ch]) out += REPR_ESCAPES[ch];
    else if (ch === quote2) out += "\\" + ch;
    else if (code < 32 || code === 127) out += "\\x" + code.toString(16).padStart(2, "0");
    else if (code >= 128 && code < 160) out += "\\x" + code.toString(16).padStart(2, "0");
    else if (code === 173 || code >= 55296 && code <= 57343) out += "\\u" + code.toString(16).padStart(4, "0");
    else out += ch;
  }
  return out + quote2;
}
function pyRepr(v) {
  if (typeof v === "string") return strRepr(v);
  if (isUnsafe(v)) return strRepr(v.text);
  if (Array.isArray(v)) {
    const items = v.map(pyRepr);
    if (!isTuple(v)) return `[${items.join(", ")}]`;
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
  }
  if (isMapping(v)) return `{${Object.entries(v).map(([k, x]) => `${strRepr(k)}: ${pyRepr(x)}`).join(", ")}}`;
  return pyStr(v);
}
function pyStr(v) {
  if (typeof v === "string") return v;
  if (v === null || v === void 0) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : floatRepr(v);
  if (v instanceof PyFloat) return floatRepr(v.value);
  if (isUnsafe(v)) return v.text;
  if (v instanceof NativeText) return v.text;
  if (Array.isArray(v) || isMapping(v)) return pyRepr(v);
  return String(v);
}
function pyEquals(a, b) {
  if (a === b) return true;
  if (isNumber(a) && isNumber(b)) return num(a) === num(b);
  if (isUnsafe(a) || isUnsafe(b)) return pyEquals(isUnsafe(a) ? a.text : a, isUnsafe(b) ? b.text : b);
  if (Array.isArray(a) && Array.isArray(b)) {
    return isTuple(a) === isTuple(b) && a.length === b.length && a.every((x, i) => pyEquals(x, b[i]));
  }
  if (isMapping(a) && isMapping(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && pyEquals(a[k], b[k]));
  }
  return (a === null || a === void 0) && (b === null || b === void 0);
}
function pyCompare(a, b, op = "<") {
  if (isNumber(a) && isNumber(b)) {
    const x = num(a);
    const y = num(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b) && isTuple(a) === isTuple(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!pyEquals(a[i], b[i])) return pyCompare(a[i], b[i], op);
    }
    return a.length - b.length;
  }
  throw new ValueError(`'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}
function pyContains(container, item) {
  if (typeof container === "string") {
    if (typeof item !== "string") throw new ValueError(`'in <string>' requires string as left operand, not ${typeName(item)}`);
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((x) => pyEquals(x, item));
  if (isMapping(container)) return (typeof item === "string" || isInt(item)) && Object.hasOwn(container, String(item));
  throw new ValueError(`argument of type '${typeName(container)}' is not iterable`);
}
function iterate(v, what = "value") {
  if (Array.isArray(v)) return v;
  if (typeof v === "string") return [...v];
  if (isMapping(v)) return Object.keys(v);
  throw new ValueError(`'${typeName(v)}' object is not iterable${what === "value" ? "" : ` (${what})`}`);
}
function toPlain(v) {
  if (v instanceof PyFloat) return v.value;
  if (isUnsafe(v)) return v.text;
  if (Array.isArray(v)) return v.some(needsPlain) ? v.map(toPlain) : v;
  if (isMapping(v)) {
    if (!Object.values(v).some(needsPlain)) return v;
    const out = {};
    for (const [k, x] of Object.entries(v)) out[k] = toPlain(x);
    return out;
  }
  return v;
}
function needsPlain(v) {
  if (v instanceof PyFloat || isUnsafe(v)) return true;
  if (v !== null && typeof v === "object" && Object.isFrozen(v)) return false;
  if (Array.isArray(v)) return v.some(needsPlain);
  if (isMapping(v)) return Object.values(v).some(needsPlain);
  return false;
}

// src/vars/jinja/crypto.ts
var ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
function digest(name, data) {
  const node = { blake2b: "blake2b512", blake2s: "blake2s256", sha3_224: "sha3-224", sha3_256: "sha3-256", sha3_384: "sha3-384", sha3_512: "sha3-512" }[name] ?? name;
  try {
    return createHash(node).update(data, "utf8").digest("hex");
  } catch {
    throw new ValueError(`unsupported hash type ${name}`);
  }
}
function uuid5(namespace, name) {
  const ns = namespace.replace(/[{}-]/g, "").replace(/^urn:uuid:/i, "");
  if (!/^[0-9a-fA-F]{32}$/.test(ns)) throw new ValueError(`Invalid value '${namespace}' for 'namespace': badly formed hexadecimal UUID string`);
  const h = createHash("sha1").update(Buffer.from(ns, "hex")).update(name, "utf8").digest();
  h[6] = h[6] & 15 | 80;
  h[8] = h[8] & 63 | 128;
  const hex = h.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
var ORDER_512 = [
  [0, 21, 42],
  [22, 43, 1],
  [44, 2, 23],
  [3, 24, 45],
  [25, 46, 4],
  [47, 5, 26],
  [6, 27, 48],
  [28, 49, 7],
  [50, 8, 29],
  [9, 30, 51],
  [31, 52, 10],
  [53, 11, 32],
  [12, 33, 54],
  [34, 55, 13],
  [56, 14, 35],
  [15, 36, 57],
  [37, 58, 16],
  [59, 17, 38],
  [18, 39, 60],
  [40, 61, 19],
  [62, 20, 41]
];
var ORDER_256 = [[0, 10, 20], [21, 1, 11], [12, 22, 2], [3, 13, 23], [24, 4, 14], [15, 25, 5], [6, 16, 26], [27, 7, 17], [18, 28, 8], [9, 19, 29]];
function b64(b2, b1, b0, n) {
  let w = b2 << 16 | b1 << 8 | b0;
  let out = "";
  for (let i = 0; i < n; i++) {
    out += ALPHABET[w & 63];
    w >>= 6;
  }
  return out;
}
function shaCrypt(algo, password, salt, rounds) {
  const H = (...parts) => {
    const h = createHash(algo);
    for (const p of parts) h.update(p);
    return h.digest();
  };
  const P = Buffer.from(password, "utf8");
  const S = Buffer.from(salt.slice(0, 16), "utf8");
  const size = algo === "sha512" ? 64 : 32;
  const repeatTo = (src, len) => Buffer.concat(Array.from({ length: Math.ceil(len / size) }, () => src)).subarray(0, len);
  const B = H(P, S, P);
  const aParts = [P, S, repeatTo(B, P.length)];
  for (let n = P.length; n > 0; n >>= 1) aParts.push(n & 1 ? B : P);
  const A = H(...aParts);
  const DP = H(...Array.from({ length: P.length }, () => P));
  const Pseq = repeatTo(DP, P.length);
  const DS = H(...Array.from({ length: 16 + A[0] }, () => S));
  const Sseq = repeatTo(DS, S.length);
  const r = rounds === void 0 ? 5e3 : Math.min(999999999, Math.max(1e3, rounds));
  let C = A;
  for (let i = 0; i < r; i++) {
    const parts = [i & 1 ? Pseq : C];
    if (i % 3) parts.push(Sseq);
    if (i % 7) parts.push(Pseq);
    parts.push(i & 1 ? C : Pseq);
    C = H(...parts);
  }
  let out = "";
  for (const [a, b, c] of algo === "sha512" ? ORDER_512 : ORDER_256) out += b64(C[a], C[b], C[c], 4);
  out += algo === "sha512" ? b64(0, 0, C[63], 2) : b64(0, C[31], C[30], 3);
  const prefix = algo === "sha512" ? "$6$" : "$5$";
  return `${prefix}${rounds === void 0 ? "" : `rounds=${r}$`}${salt.slice(0, 16)}$${out}`;
}
function passwordHash(password, hashtype, salt, saltSize, rounds) {
  const algo = { sha512: "sha512", sha512_crypt: "sha512", sha256: "sha256", sha256_crypt: "sha256" }[hashtype];
  if (!algo) throw new ValueError(`password_hash: '${hashtype}' is not supported by pgha (sha512 and sha256 are)`);
  const implicit = algo === "sha512" ? 656e3 : 535e3;
  const s2 = salt ?? Array.from({ length: saltSize ?? 16 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
  if (/[^./0-9A-Za-z]/.test(s2)) throw new ValueError("invalid characters in salt");
  if (s2.length > 16) throw new ValueError("invalid salt size");
  return shaCrypt(algo, password, s2, rounds === implicit ? void 0 : rounds);
}

// src/vars/jinja/json.ts
function quote(s2, ensureAscii) {
  let out = '"';
  for (const ch of s2) {
    const code = ch.codePointAt(0);
    const esc = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "	": "\\t", "\b": "\\b", "\f": "\\f" };
    if (esc[ch]) out += esc[ch];
    else if (code < 32 || ensureAscii && code > 126) {
      if (code > 65535) {
        const v = code - 65536;
        out += `\\u${(55296 + (v >> 10)).toString(16).padStart(4, "0")}\\u${(56320 + (v & 1023)).toString(16).padStart(4, "0")}`;
      } else out += `\\u${code.toString(16).padStart(4, "0")}`;
    } else out += ch;
  }
  return out + '"';
}
function jsonDumps(value, opts = {}) {
  const indent2 = opts.indent === void 0 || opts.indent === null ? void 0 : typeof opts.indent === "number" ? " ".repeat(opts.indent) : opts.indent;
  const [itemSep, keySep] = opts.separators ?? (indent2 === void 0 ? [", ", ": "] : [",", ": "]);
  const ascii = opts.ensureAscii ?? true;
  const dump = (v, level) => {
    if (typeof v === "string") return quote(v, ascii);
    if (v === null || v === void 0) return "null";
    if (v === true) return "true";
    if (v === false) return "false";
    if (isNumber(v)) {
      const x = num(v);
      if (Number.isNaN(x)) return "NaN";
      if (!Number.isFinite(x)) return x > 0 ? "Infinity" : "-Infinity";
      return isFloat(v) ? floatRepr(x) : String(x);
    }
    const nl = indent2 === void 0 ? "" : "\n" + indent2.repeat(level + 1);
    const end = indent2 === void 0 ? "" : "\n" + indent2.repeat(level);
    if (Array.isArray(v)) {
      if (v.length === 0) return "[]";
      return `[${nl}${v.map((x) => dump(x, level + 1)).join(itemSep + nl)}${end}]`;
    }
    if (isMapping(v)) {
      let entries = Object.entries(v);
      if (entries.length === 0) return "{}";
      if (opts.sortKeys) entries = entries.sort(([a], [b]) => pyCompare(a, b));
      return `{${nl}${entries.map(([k, x]) => quote(k, ascii) + keySep + dump(x, level + 1)).join(itemSep + nl)}${end}}`;
    }
    throw new ValueError(`Object of type ${typeof v} is not JSON serializable`);
  };
  return dump(value, 0);
}
function jsonLoads(text2) {
  const s2 = text2.replace(/\bNaN\b|-?\bInfinity\b/g, (m2) => `"\0${m2}"`);
  let parsed2;
  try {
    parsed2 = JSON.parse(s2, function(_key, value) {
      if (typeof value === "string" && value.startsWith("\0")) return value === "\0NaN" ? NaN : value.startsWith("\0-") ? -Infinity : Infinity;
      return value;
    });
  } catch (err) {
    throw new ValueError(`Expecting value: ${err.message}`);
  }
  return markFloats(parsed2, text2);
}
function markFloats(v, text2) {
  if (!/[.eE]/.test(text2)) return v;
  const floats = [...text2.matchAll(/"(?:[^"\\]|\\.)*"|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g)].filter((m2) => m2[1] !== void 0).map((m2) => /[.eE]/.test(m2[1]));
  let i = 0;
  const walk2 = (x) => {
    if (typeof x === "number") return floats[i++] && Number.isInteger(x) ? new PyFloat(x) : x;
    if (Array.isArray(x)) return x.map(walk2);
    if (isMapping(x)) {
      const out = {};
      for (const [k, y] of Object.entries(x)) out[k] = walk2(y);
      return out;
    }
    return x;
  };
  return walk2(v);
}

// src/vars/jinja/types.ts
var arg = (v, fallback) => v === void 0 ? fallback : v;

// src/vars/jinja/yaml-dump.ts
var RESOLVERS = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:<<)$/,
  /^(?:~|null|Null|NULL|)$/,
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/,
  /^(?:=)$/,
  /^(?:!|&|\*)$/
];
function represent(v, defaultFlow) {
  if (typeof v === "string") return { kind: "scalar", value: v, plainImplicit: !RESOLVERS.some((r) => r.test(v)) };
  if (v === null || v === void 0) return { kind: "scalar", value: "null", plainImplicit: true };
  if (typeof v === "boolean") return { kind: "scalar", value: v ? "true" : "false", plainImplicit: true };
  if (isNumber(v)) {
    if (!isFloat(v)) return { kind: "scalar", value: String(num(v)), plainImplicit: true };
    const x = num(v);
    let s2 = Number.isNaN(x) ? ".nan" : x === Infinity ? ".inf" : x === -Infinity ? "-.inf" : floatRepr(x).toLowerCase();
    if (!s2.includes(".") && s2.includes("e")) s2 = s2.replace("e", ".0e");
    return { kind: "scalar", value: s2, plainImplicit: true };
  }
  if (Array.isArray(v)) {
    const items = v.map((x) => represent(x, defaultFlow));
    return { kind: "seq", items, flow: defaultFlow ?? items.every((i) => i.kind === "scalar") };
  }
  if (isMapping(v)) {
    const entries = Object.entries(v).sort(([a], [b]) => pyCompare(a, b));
    const items = entries.flatMap(([k, x]) => [represent(k, defaultFlow), represent(x, defaultFlow)]);
    return { kind: "map", items, flow: defaultFlow ?? items.every((i) => i.kind === "scalar") };
  }
  throw new ValueError(`cannot represent an object: ${String(v)}`);
}
var BREAKS = "\n\x85\u2028\u2029";
var SPACE_OR_BREAK = "\0 	\r\n\x85\u2028\u2029";
function analyze(s2) {
  if (s2 === "") return { empty: true, multiline: false, allowFlowPlain: false, allowBlockPlain: true, allowSingleQuoted: true };
  let blockIndicators = false;
  let flowIndicators = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  if (s2.startsWith("---") || s2.startsWith("...")) blockIndicators = flowIndicators = true;
  let precededByWs = true;
  let followedByWs = s2.length === 1 || SPACE_OR_BREAK.includes(s2[1]);
  let previousSpace = false;
  let previousBreak = false;
  const chars = [...s2];
  for (let index3 = 0; index3 < chars.length; index3++) {
    const ch = chars[index3];
    if (index3 === 0) {
      if ("#,[]{}&*!|>'\"%@`".includes(ch)) flowIndicators = blockIndicators = true;
      if ("?:".includes(ch)) {
        flowIndicators = true;
        if (followedByWs) blockIndicators = true;
      }
      if (ch === "-" && followedByWs) flowIndicators = blockIndicators = true;
    } else {
      if (",?[]{}".includes(ch)) flowIndicators = true;
      if (ch === ":") {
        flowIndicators = true;
        if (followedByWs) blockIndicators = true;
      }
      if (ch === "#" && precededByWs) flowIndicators = blockIndicators = true;
    }
    if (BREAKS.includes(ch)) lineBreaks = true;
    const code = ch.codePointAt(0);
    if (!(ch === "\n" || code >= 32 && code <= 126)) {
      const printable = (ch === "\x85" || code >= 160 && code <= 55295 || code >= 57344 && code <= 65533 || code >= 65536 && code < 1114111) && ch !== "\uFEFF";
      if (!printable) special = true;
    }
    if (ch === " ") {
      if (index3 === 0) leadingSpace = true;
      if (index3 === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (BREAKS.includes(ch)) {
      if (index3 === 0) leadingBreak = true;
      if (index3 === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = previousBreak = false;
    }
    precededByWs = SPACE_OR_BREAK.includes(ch);
    followedByWs = index3 + 2 >= chars.length || SPACE_OR_BREAK.includes(chars[index3 + 2]);
  }
  let allowFlowPlain = true;
  let allowBlockPlain = true;
  let allowSingleQuoted = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) allowFlowPlain = allowBlockPlain = false;
  if (breakSpace) allowFlowPlain = allowBlockPlain = allowSingleQuoted = false;
  if (spaceBreak || special) allowFlowPlain = allowBlockPlain = allowSingleQuoted = false;
  if (lineBreaks) allowFlowPlain = allowBlockPlain = false;
  if (flowIndicators) allowFlowPlain = false;
  if (blockIndicators) allowBlockPlain = false;
  return { empty: false, multiline: lineBreaks, allowFlowPlain, allowBlockPlain, allowSingleQuoted };
}
var ESCAPES = {
  "\0": "0",
  "\x07": "a",
  "\b": "b",
  "	": "t",
  "\n": "n",
  "\v": "v",
  "\f": "f",
  "\r": "r",
  "\x1B": "e",
  '"': '"',
  "\\": "\\",
  "\x85": "N",
  "\xA0": "_",
  "\u2028": "L",
  "\u2029": "P"
};
var Emitter = class {
  out = "";
  indents = [];
  indent;
  flowLevel = 0;
  column = 0;
  whitespace = true;
  indention = true;
  bestIndent;
  bestWidth = 80;
  constructor(indent2) {
    this.bestIndent = indent2 > 1 && indent2 < 10 ? indent2 : 2;
  }
  write(data) {
    this.out += data;
    this.column += [...data].length;
  }
  increaseIndent(flow = false, indentless = false) {
    this.indents.push(this.indent);
    if (this.indent === void 0) this.indent = flow ? this.bestIndent : 0;
    else if (!indentless) this.indent += this.bestIndent;
  }
  indicator(indicator, needWhitespace, whitespace = false, indention = false) {
    const data = this.whitespace || !needWhitespace ? indicator : " " + indicator;
    this.whitespace = whitespace;
    this.indention = this.indention && indention;
    this.write(data);
  }
  writeIndent() {
    const indent2 = this.indent ?? 0;
    if (!this.indention || this.column > indent2 || this.column === indent2 && !this.whitespace) this.lineBreak();
    if (this.column < indent2) {
      this.whitespace = true;
      this.write(" ".repeat(indent2 - this.column));
    }
  }
  lineBreak(data = "\n") {
    this.whitespace = true;
    this.indention = true;
    this.out += data;
    this.column = 0;
  }
  node(n, ctx) {
    if (n.kind === "scalar") {
      this.increaseIndent(true);
      this.scalar(n, ctx);
      this.indent = this.indents.pop();
      return;
    }
    const empty = n.items.length === 0;
    if (n.kind === "seq") {
      if (this.flowLevel > 0 || n.flow || empty) this.flowCollection(n, "[", "]");
      else this.blockSequence(n, ctx.mapping === true);
    } else if (this.flowLevel > 0 || n.flow || empty) this.flowCollection(n, "{", "}");
    else this.blockMapping(n);
  }
  simpleKey(n) {
    if (n.kind !== "scalar") return n.items.length === 0;
    const a = analyze(n.value);
    return [...n.value].length < 128 && !a.empty && !a.multiline;
  }
  flowCollection(n, open, close) {
    this.indicator(open, true, true);
    this.flowLevel++;
    this.increaseIndent(true);
    const step = n.kind === "map" ? 2 : 1;
    for (let i = 0; i < n.items.length; i += step) {
      if (i > 0) this.indicator(",", false);
      if (this.column > this.bestWidth) this.writeIndent();
      if (n.kind === "seq") {
        this.node(n.items[i], { sequence: true });
        continue;
      }
      const [key, value] = [n.items[i], n.items[i + 1]];
      if (this.simpleKey(key)) {
        this.node(key, { mapping: true, simpleKey: true });
        this.indicator(":", false);
      } else {
        this.indicator("?", true);
        this.node(key, { mapping: true });
        if (this.column > this.bestWidth) this.writeIndent();
        this.indicator(":", true);
      }
      this.node(value, { mapping: true });
    }
    this.indent = this.indents.pop();
    this.flowLevel--;
    this.indicator(close, false);
  }
  blockSequence(n, mappingContext) {
    this.increaseIndent(false, mappingContext && !this.indention);
    for (const item of n.items) {
      this.writeIndent();
      this.indicator("-", true, false, true);
      this.node(item, { sequence: true });
    }
    this.indent = this.indents.pop();
  }
  blockMapping(n) {
    this.increaseIndent(false);
    for (let i = 0; i < n.items.length; i += 2) {
      const [key, value] = [n.items[i], n.items[i + 1]];
      this.writeIndent();
      if (this.simpleKey(key)) {
        this.node(key, { mapping: true, simpleKey: true });
        this.indicator(":", false);
      } else {
        this.indicator("?", true, false, true);
        this.node(key, { mapping: true });
        this.writeIndent();
        this.indicator(":", true, false, true);
      }
      this.node(value, { mapping: true });
    }
    this.indent = this.indents.pop();
  }
  scalar(n, ctx) {
    const a = analyze(n.value);
    const simpleKey = ctx.simpleKey === true;
    let style;
    if (n.plainImplicit && !(simpleKey && (a.empty || a.multiline)) && (this.flowLevel > 0 && a.allowFlowPlain || this.flowLevel === 0 && a.allowBlockPlain)) style = "";
    else if (a.allowSingleQuoted && !(simpleKey && a.multiline)) style = "'";
    else style = '"';
    const split = !simpleKey;
    if (style === "") this.plain(n.value, split);
    else if (style === "'") this.singleQuoted(n.value, split);
    else this.doubleQuoted(n.value, split);
  }
  plain(text2, split) {
    if (text2 === "") return;
    if (!this.whitespace) this.write(" ");
    this.whitespace = false;
    this.indention = false;
    let spaces = false;
    let breaks = false;
    let start = 0;
    const t = [...text2];
    for (let end = 0; end <= t.length; end++) {
      const ch = end < t.length ? t[end] : void 0;
      if (spaces) {
        if (ch !== " ") {
          if (start + 1 === end && this.column > this.bestWidth && split) {
            this.writeIndent();
            this.whitespace = false;
            this.indention = false;
          } else this.write(t.slice(start, end).join(""));
          start = end;
        }
      } else if (breaks) {
        if (ch === void 0 || !BREAKS.includes(ch)) {
          if (t[start] === "\n") this.lineBreak();
          for (const br of t.slice(start, end)) this.lineBreak(br);
          this.writeIndent();
          this.whitespace = false;
          this.indention = false;
          start = end;
        }
      } else if (ch === void 0 || (" " + BREAKS).includes(ch)) {
        this.write(t.slice(start, end).join(""));
        start = end;
      }
      if (ch !== void 0) {
        spaces = ch === " ";
        breaks = BREAKS.includes(ch);
      }
    }
  }
  singleQuoted(text2, split) {
    this.indicator("'", true);
    let spaces = false;
    let breaks = false;
    let start = 0;
    const t = [...text2];
    for (let end = 0; end <= t.length; end++) {
      const ch = end < t.length ? t[end] : void 0;
      if (spaces) {
        if (ch === void 0 || ch !== " ") {
          if (start + 1 === end && this.column > this.bestWidth && split && start !== 0 && end !== t.length) this.writeIndent();
          else this.write(t.slice(start, end).join(""));
          start = end;
        }
      } else if (breaks) {
        if (ch === void 0 || !BREAKS.includes(ch)) {
          if (t[start] === "\n") this.lineBreak();
          for (const br of t.slice(start, end)) this.lineBreak(br);
          this.writeIndent();
          start = end;
        }
      } else if (ch === void 0 || (" " + BREAKS).includes(ch) || ch === "'") {
        if (start < end) {
          this.write(t.slice(start, end).join(""));
          start = end;
        }
      }
      if (ch === "'") {
        this.write("''");
        start = end + 1;
      }
      if (ch !== void 0) {
        spaces = ch === " ";
        breaks = BREAKS.includes(ch);
      }
    }
    this.indicator("'", false);
  }
  doubleQuoted(text2, split) {
    this.indicator('"', true);
    let start = 0;
    const t = [...text2];
    for (let end = 0; end <= t.length; end++) {
      const ch = end < t.length ? t[end] : void 0;
      const code = ch === void 0 ? 0 : ch.codePointAt(0);
      if (ch === void 0 || '"\\\x85\u2028\u2029\uFEFF'.includes(ch) || !(code >= 32 && code <= 126 || code >= 160 && code <= 55295 || code >= 57344 && code <= 65533)) {
        if (start < end) {
          this.write(t.slice(start, end).join(""));
          start = end;
        }
        if (ch !== void 0) {
          const hex = (w) => code.toString(16).toUpperCase().padStart(w, "0");
          this.write(ESCAPES[ch] !== void 0 ? "\\" + ESCAPES[ch] : code <= 255 ? `\\x${hex(2)}` : code <= 65535 ? `\\u${hex(4)}` : `\\U${hex(8)}`);
          start = end + 1;
        }
      }
      if (end > 0 && end < t.length - 1 && (ch === " " || start >= end) && this.column + (end - start) > this.bestWidth && split) {
        const data = t.slice(start, end).join("") + "\\";
        if (start < end) start = end;
        this.write(data);
        this.writeIndent();
        this.whitespace = false;
        this.indention = false;
        if (t[start] === " ") this.write("\\");
      }
    }
    this.indicator('"', false);
  }
};
function yamlDump(value, opts = {}) {
  const e = new Emitter(opts.indent ?? 2);
  e.node(represent(value, opts.defaultFlowStyle), {});
  e.writeIndent();
  return e.out;
}

// src/vars/jinja/filters/data.ts
var defaultFilter = {
  params: ["default_value", "boolean"],
  fn: (_c, v, [fallback, boolean]) => v instanceof Undefined || truthy(boolean) && !truthy(v) ? arg(fallback, "") : v
};
function forced(v) {
  if (v instanceof Undefined) throw undefinedError(v);
  return v;
}
var PYYAML_TAGS = (tags) => tags.map(
  (t) => typeof t === "object" && t.tag === "tag:yaml.org,2002:bool" && t.test ? { ...t, test: new RegExp(t.test.source.replace(/Y\|y\||N\|n\|/, "")) } : t
);
function fromYaml(text2) {
  try {
    return parseYaml2(text2, { version: "1.1", maxAliasCount: 1e3, customTags: PYYAML_TAGS }) ?? null;
  } catch (err) {
    throw new ValueError(`from_yaml: ${err.message.split("\n")[0]}`);
  }
}
function jsonOptions(kw, nice) {
  const known = ["indent", "sort_keys", "separators", "ensure_ascii", "vault_to_text", "preprocess_unsafe"];
  const unknown = Object.keys(kw).find((k) => !known.includes(k));
  if (unknown) throw new ValueError(`unexpected keyword argument '${unknown}'`);
  const indent2 = kw.indent === void 0 ? nice ? 4 : void 0 : kw.indent === null ? void 0 : typeof kw.indent === "string" ? kw.indent : num(kw.indent);
  const separators = Array.isArray(kw.separators) ? kw.separators.map(pyStr) : nice ? [",", ": "] : void 0;
  return { indent: indent2, sortKeys: truthy(kw.sort_keys ?? nice), separators, ensureAscii: truthy(kw.ensure_ascii ?? true) };
}
function yamlOptions(kw, nice) {
  const unknown = Object.keys(kw).find((k) => !["indent", "default_flow_style", "width", "allow_unicode"].includes(k));
  if (unknown) throw new ValueError(`unexpected keyword argument '${unknown}'`);
  const dfs = kw.default_flow_style;
  return {
    indent: kw.indent === void 0 ? nice ? 4 : void 0 : num(kw.indent),
    defaultFlowStyle: nice ? false : dfs === void 0 || dfs === null ? void 0 : truthy(dfs)
  };
}
var DATA_FILTERS = {
  default: defaultFilter,
  d: defaultFilter,
  mandatory: {
    params: ["msg"],
    fn: (_c, v, [msg]) => {
      if (!(v instanceof Undefined)) return v;
      if (msg !== void 0 && msg !== null) throw new ValueError(pyStr(msg));
      throw new ValueError(`Mandatory variable '${v.text}' not defined.`);
    }
  },
  ternary: {
    params: ["true_val", "false_val", "none_val"],
    fn: (_c, v, [t, f, n]) => {
      const value = forced(v);
      if (value === null && n !== void 0 && n !== null) return n;
      return truthy(value) ? t : f;
    }
  },
  type_debug: { params: [], fn: (_c, v) => typeName(v) },
  to_json: { params: [], anyKwargs: true, fn: (_c, v, _a, kw) => jsonDumps(v, jsonOptions(kw, false)) },
  to_nice_json: { params: ["indent", "sort_keys"], anyKwargs: true, fn: (_c, v, [indent2, sortKeys], kw) => jsonDumps(v, jsonOptions({ ...kw, indent: indent2, sort_keys: sortKeys }, true)) },
  tojson: {
    params: ["indent"],
    fn: (_c, v, [indent2]) => jsonDumps(v, { sortKeys: true, indent: indent2 === void 0 || indent2 === null ? void 0 : num(indent2) }).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026").replace(/'/g, "\\u0027")
  },
  from_json: { params: [], fn: (_c, v) => jsonLoads(pyStr(v)) },
  to_yaml: { params: [], anyKwargs: true, fn: (_c, v, _a, kw) => yamlDump(v, yamlOptions(kw, false)) },
  to_nice_yaml: { params: ["indent"], anyKwargs: true, fn: (_c, v, [indent2], kw) => yamlDump(v, yamlOptions({ ...kw, indent: indent2 }, true)) },
  from_yaml: { params: [], fn: (_c, v) => typeof v === "string" ? fromYaml(v) : v },
  from_yaml_all: {
    params: [],
    fn: (_c, v) => typeof v === "string" ? parseAllDocuments(v, { version: "1.1", customTags: PYYAML_TAGS }).map((d) => "toJS" in d ? d.toJS() : null) : v
  },
  hash: { params: ["hashtype"], fn: (_c, v, [t]) => digest(pyStr(arg(t, "sha1")), pyStr(v)) },
  md5: { params: [], fn: (_c, v) => digest("md5", pyStr(v)) },
  sha1: { params: [], fn: (_c, v) => digest("sha1", pyStr(v)) },
  checksum: { params: [], fn: (_c, v) => digest("sha1", pyStr(v)) },
  password_hash: {
    params: ["hashtype", "salt", "salt_size", "rounds", "ident"],
    fn: (_c, v, [hashtype, salt, saltSize, rounds]) => passwordHash(
      pyStr(v),
      pyStr(arg(hashtype, "sha512")),
      salt === void 0 || salt === null ? void 0 : pyStr(salt),
      saltSize === void 0 || saltSize === null ? void 0 : num(saltSize),
      rounds === void 0 || rounds === null ? void 0 : num(rounds)
    )
  },
  to_uuid: { params: ["namespace"], fn: (_c, v, [ns]) => uuid5(pyStr(arg(ns, "361E6D51-FAEC-444A-9079-341386DA8E2E")), pyStr(v)) },
  pprint: { params: [], fn: (_c, v) => pyRepr(v) }
};

// src/vars/jinja/format.ts
function formatFloat(x, type, precision, alt = false) {
  if (!Number.isFinite(x)) {
    const s2 = Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
    return /[A-Z]/.test(type) ? s2.toUpperCase() : s2;
  }
  const lower2 = type.toLowerCase();
  let out;
  if (lower2 === "f") out = x.toFixed(precision);
  else if (lower2 === "e") out = expForm(x.toExponential(precision));
  else {
    const p = precision === 0 ? 1 : precision;
    const exp = x === 0 ? 0 : Math.floor(Math.log10(Math.abs(Number(x.toExponential(p - 1)))));
    if (exp < -4 || exp >= p) out = expForm(x.toExponential(p - 1));
    else out = x.toFixed(Math.max(0, p - 1 - exp));
    if (!alt) out = out.replace(/(\.\d*?)0+(e|$)/, "$1$2").replace(/\.(e|$)/, "$1");
  }
  return type === type.toUpperCase() ? out.toUpperCase() : out;
}
var expForm = (s2) => s2.replace(/e([+-])(\d)$/, "e$10$2");
function toInt(v, spec) {
  if (isNumber(v)) return Math.trunc(num(v));
  throw new ValueError(`%${spec} format: a real number is required, not ${typeName(v)}`);
}
function pad(s2, width, left, zero) {
  if (s2.length >= width) return s2;
  if (left) return s2.padEnd(width);
  if (zero) {
    const sign = /^[+\- ]/.test(s2) ? s2[0] : "";
    const prefix = /^[+\- ]?0[xXoO]/.test(s2) ? s2.slice(0, sign.length + 2) : sign;
    return prefix + s2.slice(prefix.length).padStart(width - prefix.length, "0");
  }
  return s2.padStart(width);
}
var signed = (s2, negative, flags) => (negative ? "-" : flags.includes("+") ? "+" : flags.includes(" ") ? " " : "") + s2;
function percentFormat(fmt, values) {
  const positional = isTuple(values) ? values : void 0;
  let next = 0;
  const take = () => {
    if (!positional) {
      if (next++ > 0) throw new ValueError("not enough arguments for format string");
      return values;
    }
    if (next >= positional.length) throw new ValueError("not enough arguments for format string");
    return positional[next++];
  };
  let usedMapping = false;
  const out = fmt.replace(/%(?:\(([^)]*)\))?([#0\- +]*)(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([diouxXeEfFgGcrsa%])?/g, (m2, key, flags, w, p, type) => {
    if (!type) throw new ValueError("incomplete format");
    if (type === "%" && m2 === "%%") return "%";
    let value;
    if (key !== void 0) {
      if (!isMapping(values)) throw new ValueError("format requires a mapping");
      usedMapping = true;
      if (!Object.hasOwn(values, key)) throw new ValueError(`'${key}'`);
      value = values[key];
    }
    const width = w === "*" ? num(take()) : w ? Number(w) : 0;
    const precision = p === "*" ? num(take()) : p !== void 0 ? Number(p) : void 0;
    if (key === void 0) value = take();
    return pad(convert(type, value, flags, precision), width, flags.includes("-"), flags.includes("0"));
  });
  if (positional ? next < positional.length : next === 0 && !usedMapping && !isMapping(values)) {
    throw new ValueError("not all arguments converted during string formatting");
  }
  return out;
}
function convert(type, value, flags, precision) {
  switch (type) {
    case "s":
    case "r":
    case "a": {
      const s2 = type === "s" ? pyStr(value) : pyRepr(value);
      return precision === void 0 ? s2 : s2.slice(0, precision);
    }
    case "d":
    case "i":
    case "u": {
      const n = toInt(value, type);
      return signed(String(Math.abs(n)), n < 0, flags);
    }
    case "o":
    case "x":
    case "X": {
      const n = toInt(value, type);
      let s2 = Math.abs(n).toString(type === "o" ? 8 : 16);
      if (type === "X") s2 = s2.toUpperCase();
      if (flags.includes("#")) s2 = (type === "o" ? "0o" : type === "x" ? "0x" : "0X") + s2;
      return signed(s2, n < 0, flags);
    }
    case "c":
      return typeof value === "string" ? value : String.fromCodePoint(toInt(value, "c"));
    default: {
      if (!isNumber(value)) throw new ValueError(`must be real number, not ${typeName(value)}`);
      const x = num(value);
      return signed(formatFloat(Math.abs(x), type, precision ?? 6, flags.includes("#")), x < 0 || Object.is(x, -0), flags);
    }
  }
}
function formatSpec(value, spec) {
  const m2 = /^(?:(.)?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/s.exec(spec);
  if (!m2) throw new ValueError(`Invalid format specifier '${spec}'`);
  const [, fillChar, alignChar, sign = "-", alt, zero, w, group, p, type] = m2;
  const numeric2 = isNumber(value) && typeof value !== "boolean" ? true : typeof value === "boolean" && type !== void 0;
  let fill = fillChar ?? (zero && !alignChar ? "0" : " ");
  const align = alignChar ?? (zero && numeric2 ? "=" : numeric2 ? ">" : "<");
  const precision = p === void 0 ? void 0 : Number(p);
  let body;
  let negative = false;
  if (!numeric2) {
    if (type !== void 0 && type !== "s") throw new ValueError(`Unknown format code '${type}' for object of type '${typeName(value)}'`);
    body = pyStr(value);
    if (precision !== void 0) body = body.slice(0, precision);
  } else {
    const x = num(value);
    negative = x < 0 || Object.is(x, -0);
    const abs = Math.abs(x);
    const t = type ?? (isFloat(value) ? "" : "d");
    if ("bdoxXc".includes(t) && t !== "") {
      if (!isInt(value) && typeof value !== "boolean") throw new ValueError(`Unknown format code '${t}' for object of type 'float'`);
      body = t === "c" ? String.fromCodePoint(abs) : abs.toString(t === "b" ? 2 : t === "o" ? 8 : t === "d" ? 10 : 16);
      if (t === "X") body = body.toUpperCase();
      if (alt && t !== "d" && t !== "c") body = `0${t}${body}`;
    } else if (t === "%") body = formatFloat(abs * 100, "f", precision ?? 6) + "%";
    else if (t === "") body = precision === void 0 ? floatRepr(abs) : formatFloat(abs, "g", precision, alt !== void 0);
    else body = formatFloat(abs, t === "n" ? "g" : t, precision ?? 6, alt !== void 0);
    if (group) body = body.replace(/^(\d+)/, (d) => d.replace(/\B(?=(\d{3})+(?!\d))/g, group));
  }
  const signText = numeric2 ? negative ? "-" : sign === "+" ? "+" : sign === " " ? " " : "" : "";
  const width = w ? Number(w) : 0;
  const len = signText.length + [...body].length;
  if (len >= width) return signText + body;
  const gap = width - len;
  if (fill === "") fill = " ";
  switch (align) {
    case "<":
      return signText + body + fill.repeat(gap);
    case ">":
      return fill.repeat(gap) + signText + body;
    case "^":
      return fill.repeat(Math.floor(gap / 2)) + signText + body + fill.repeat(Math.ceil(gap / 2));
    default:
      return signText + fill.repeat(gap) + body;
  }
}
function strFormat(fmt, args, kwargs) {
  let auto = 0;
  return fmt.replace(/\{\{|\}\}|\{([^{}!:]*)(?:!([rsa]))?(?::([^{}]*))?\}/g, (m2, field, conv, spec) => {
    if (m2 === "{{") return "{";
    if (m2 === "}}") return "}";
    const path4 = /^([^.[]*)(.*)$/.exec(field ?? "");
    let value;
    if (path4[1] === "") {
      if (auto >= args.length) throw new ValueError(`Replacement index ${auto} out of range for positional args tuple`);
      value = args[auto++];
    } else if (/^\d+$/.test(path4[1])) {
      const i = Number(path4[1]);
      if (i >= args.length) throw new ValueError(`Replacement index ${i} out of range for positional args tuple`);
      value = args[i];
    } else {
      if (!Object.hasOwn(kwargs, path4[1])) throw new ValueError(`'${path4[1]}'`);
      value = kwargs[path4[1]];
    }
    for (const step of path4[2].matchAll(/\.(\w+)|\[([^\]]+)\]/g)) {
      const key = step[1] ?? step[2];
      const container = value;
      if (Array.isArray(container) && /^\d+$/.test(key)) value = container[Number(key)];
      else if (isMapping(container) && Object.hasOwn(container, key)) value = container[key];
      else throw new ValueError(`'${key}'`);
    }
    if (conv) value = conv === "s" ? pyStr(value) : pyRepr(value);
    return formatSpec(value, spec ?? "");
  });
}

// src/vars/jinja/operators.ts
var isIntLike = (v) => typeof v === "boolean" || typeof v === "number" && Number.isInteger(v);
function unsupported(op, a, b) {
  throw new ValueError(`unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
}
function numeric(op, a, b, f) {
  if (!isNumber(a) || !isNumber(b)) unsupported(op, a, b);
  const r = f(num(a), num(b));
  return isFloat(a) || isFloat(b) ? float(r) : r;
}
function repeat(seq2, times) {
  const n = Math.max(0, num(times));
  if (typeof seq2 === "string") return seq2.repeat(n);
  const items = seq2;
  const out = Array.from({ length: n }, () => items).flat();
  return isTuple(items) ? tuple(out) : out;
}
function floorMod(x, y) {
  const r = x % y;
  return r !== 0 && r < 0 !== y < 0 ? r + y : r;
}
function divisor(op, a, b) {
  if (!isNumber(a) || !isNumber(b)) unsupported(op, a, b);
  if (num(b) !== 0) return;
  if (op === "/") throw new ValueError("division by zero");
  if (isFloat(a) || isFloat(b)) throw new ValueError(op === "//" ? "float floor division by zero" : "float modulo");
  throw new ValueError("integer division or modulo by zero");
}
function binary(op, a, b) {
  switch (op) {
    case "+":
      if (typeof a === "string" && typeof b === "string") return a + b;
      if (Array.isArray(a) && Array.isArray(b) && isTuple(a) === isTuple(b)) return isTuple(a) ? tuple([...a, ...b]) : [...a, ...b];
      if (typeof a === "string" || Array.isArray(a)) {
        if (isNumber(b) || typeof b === "string" || Array.isArray(b) || b === null) {
          throw new ValueError(`can only concatenate ${typeName(a)} (not "${typeName(b)}") to ${typeName(a)}`);
        }
      }
      return numeric("+", a, b, (x, y) => x + y);
    case "-":
      return numeric("-", a, b, (x, y) => x - y);
    case "*":
      if ((typeof a === "string" || Array.isArray(a)) && isIntLike(b)) return repeat(a, b);
      if ((typeof b === "string" || Array.isArray(b)) && isIntLike(a)) return repeat(b, a);
      if (typeof a === "string" || Array.isArray(a)) throw new ValueError(`can't multiply sequence by non-int of type '${typeName(b)}'`);
      return numeric("*", a, b, (x, y) => x * y);
    case "/":
      divisor("/", a, b);
      return float(num(a) / num(b));
    case "//":
      divisor("//", a, b);
      return numeric("//", a, b, (x, y) => Math.floor(x / y));
    case "%":
      if (typeof a === "string") return percentFormat(a, b);
      divisor("%", a, b);
      return numeric("%", a, b, floorMod);
    case "**": {
      if (!isNumber(a) || !isNumber(b)) unsupported("** or pow()", a, b);
      const x = num(a);
      const y = num(b);
      if (x === 0 && y < 0) throw new ValueError("0.0 cannot be raised to a negative power");
      const r = x ** y;
      return isFloat(a) || isFloat(b) || y < 0 ? float(r) : r;
    }
    case "~":
      return pyStr(a) + pyStr(b);
  }
}

// src/vars/jinja/py-random.ts
import { createHash as createHash2, randomInt as randomInt2 } from "node:crypto";
var N = 624;
var M = 397;
var MersenneTwister = class {
  mt = new Uint32Array(N);
  i = N + 1;
  constructor(key) {
    this.initGenrand(19650218);
    const mt = this.mt;
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1] ^ mt[i - 1] >>> 30;
      mt[i] = (mt[i] ^ Math.imul(prev, 1664525)) + key[j] + j >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1] ^ mt[i - 1] >>> 30;
      mt[i] = (mt[i] ^ Math.imul(prev, 1566083941)) - i >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = 2147483648;
  }
  initGenrand(s2) {
    this.mt[0] = s2 >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = this.mt[i - 1] ^ this.mt[i - 1] >>> 30;
      this.mt[i] = Math.imul(1812433253, prev) + i >>> 0;
    }
    this.i = N;
  }
  uint32() {
    const mt = this.mt;
    if (this.i >= N) {
      for (let k = 0; k < N; k++) {
        const y2 = mt[k] & 2147483648 | mt[(k + 1) % N] & 2147483647;
        mt[k] = mt[(k + M) % N] ^ y2 >>> 1 ^ (y2 & 1 ? 2567483615 : 0);
      }
      this.i = 0;
    }
    let y = mt[this.i++];
    y ^= y >>> 11;
    y ^= y << 7 & 2636928640;
    y ^= y << 15 & 4022730752;
    y ^= y >>> 18;
    return y >>> 0;
  }
};
function words(n) {
  const out = [];
  for (let x = n; x > 0n; x >>= 32n) out.push(Number(x & 0xffffffffn));
  return out.length > 0 ? out : [0];
}
function seedKey(seed) {
  if (isInt(seed) || typeof seed === "boolean") return words(BigInt(Math.abs(num(seed))));
  const bytes = Buffer.from(pyStr(seed), "utf8");
  const all = Buffer.concat([bytes, createHash2("sha512").update(bytes).digest()]);
  return words(BigInt("0x" + (all.toString("hex") || "0")));
}
function pyRandom(seed) {
  const mt = seed === void 0 ? void 0 : new MersenneTwister(seedKey(seed));
  const bits = (k) => {
    if (!mt) return randomInt2(0, 2 ** Math.min(k, 47));
    if (k <= 32) return mt.uint32() >>> 32 - k;
    let r = 0;
    let scale = 1;
    for (let left = k; left > 0; left -= 32) {
      let w = mt.uint32();
      if (left < 32) w >>>= 32 - left;
      r += w * scale;
      scale *= 2 ** 32;
    }
    return r;
  };
  const randbelow = (n) => {
    const k = n.toString(2).length;
    let r = bits(k);
    while (r >= n) r = bits(k);
    return r;
  };
  return {
    randbelow,
    randrange(start, stop, step) {
      const width = stop - start;
      if (step === 1) {
        if (width > 0) return start + randbelow(width);
        throw new ValueError(`empty range for randrange() (${start}, ${stop}, ${width})`);
      }
      const n = step > 0 ? Math.floor((width + step - 1) / step) : Math.floor((width + step + 1) / step);
      if (n <= 0) throw new ValueError("empty range for randrange()");
      return start + step * randbelow(n);
    },
    shuffle(items) {
      for (let i = items.length - 1; i > 0; i--) {
        const j = randbelow(i + 1);
        [items[i], items[j]] = [items[j], items[i]];
      }
    }
  };
}

// src/vars/jinja/filters/lists.ts
var lower = (v) => typeof v === "string" ? v.toLowerCase() : v;
function seq(name, v) {
  if (v instanceof Undefined) throw undefinedError(v);
  return iterate(v, name);
}
function getter(ctx, attribute, ignoreCase, fallback) {
  const parts = attribute === void 0 || attribute === null ? [] : isInt(attribute) ? [attribute] : pyStr(attribute).split(".").map((p) => /^\d+$/.test(p) ? Number(p) : p);
  return (item) => {
    let v = item;
    for (const p of parts) {
      v = ctx.attribute(v, p);
      if (fallback !== void 0 && fallback !== null && v instanceof Undefined) v = fallback;
    }
    if (v instanceof Undefined) throw undefinedError(v);
    return ignoreCase ? lower(v) : v;
  };
}
function multiGetter(ctx, attribute, ignoreCase) {
  if (typeof attribute !== "string" || !attribute.includes(",")) return getter(ctx, attribute, ignoreCase);
  const getters = attribute.split(",").map((a) => getter(ctx, a, ignoreCase));
  return (item) => getters.map((g) => g(item));
}
function sorted(items, key, reverse) {
  const keyed = items.map((v) => ({ v, k: key(v) }));
  keyed.sort((a, b) => reverse ? pyCompare(b.k, a.k) : pyCompare(a.k, b.k));
  return keyed.map((x) => x.v);
}
function hashKey(v) {
  if (v === null) return "None";
  if (typeof v === "string") return "s" + v;
  if (typeof v === "boolean" || typeof v === "number" || typeof v === "object" && "value" in v && !Array.isArray(v) && !isMapping(v)) return "n" + num(v);
  if (isTuple(v)) {
    const parts = v.map(hashKey);
    return parts.includes(void 0) ? void 0 : `t(${parts.join(",")})`;
  }
  return void 0;
}
function unique(ctx, items, caseSensitive, attribute) {
  const key = getter(ctx, attribute, !truthy(caseSensitive));
  const seen = /* @__PURE__ */ new Set();
  const out = [];
  for (const item of items) {
    const h = hashKey(key(item));
    if (h === void 0) {
      if (caseSensitive === false || attribute !== void 0 && attribute !== null) throw new ValueError("Jinja2's unique filter failed: unhashable item");
      return items.reduce((acc, x) => acc.some((y) => pyEquals(x, y)) ? acc : [...acc, x], []);
    }
    if (!seen.has(h)) {
      seen.add(h);
      out.push(item);
    }
  }
  return out;
}
var has = (items, x) => items.some((y) => pyEquals(x, y));
function flatten(items, levels, skipNulls) {
  const out = [];
  for (const e of items) {
    if (skipNulls && (e === null || e === "None" || e === "null")) continue;
    if (Array.isArray(e)) {
      if (levels === void 0) out.push(...flatten(e, void 0, skipNulls));
      else if (levels >= 1) out.push(...flatten(e, levels - 1, skipNulls));
      else out.push(e);
    } else out.push(e);
  }
  return out;
}
function mergeHash(x, y, recursive, listMerge) {
  if (Object.keys(x).length === 0 || pyEquals(x, y)) return { ...y };
  if (Object.keys(y).length === 0) return x;
  const out = { ...x };
  if (!recursive && listMerge === "replace") return Object.assign(out, y);
  for (const [k, yv] of Object.entries(y)) {
    if (!Object.hasOwn(out, k)) {
      out[k] = yv;
      continue;
    }
    const xv = out[k];
    if (isMapping(xv) && isMapping(yv)) out[k] = recursive ? mergeHash(xv, yv, recursive, listMerge) : yv;
    else if (Array.isArray(xv) && Array.isArray(yv)) {
      const only = (a, b) => a.filter((z) => !has(b, z));
      out[k] = { replace: yv, append: [...xv, ...yv], prepend: [...yv, ...xv], append_rp: [...only(xv, yv), ...yv], prepend_rp: [...yv, ...only(xv, yv)], keep: xv }[listMerge] ?? yv;
    } else out[k] = yv;
  }
  return out;
}
function selectOrReject(ctx, value, args, kwargs, reject, attr) {
  const items = seq(attr ? "selectattr" : "select", value);
  const off = attr ? 1 : 0;
  const pick = attr ? getterLoose(ctx, args[0]) : (x) => x;
  const name = args[off];
  const rest = args.slice(off + 1);
  const pass = (x) => {
    const v = pick(x);
    if (name === void 0) {
      if (v instanceof Undefined) throw undefinedError(v);
      return truthy(v);
    }
    return ctx.test(pyStr(name), v, rest, kwargs);
  };
  return items.filter((x) => pass(x) !== reject);
}
var getterLoose = (ctx, attribute) => (item) => {
  let v = item;
  for (const p of pyStr(attribute).split(".")) v = v instanceof Undefined ? v : ctx.attribute(v, /^\d+$/.test(p) ? Number(p) : p);
  return v;
};
function mapFilter(ctx, value, args, kwargs) {
  if (!truthy(value)) return [];
  const items = seq("map", value);
  if (args.length === 0 && "attribute" in kwargs) {
    const g = getter(ctx, kwargs.attribute, false, kwargs.default);
    return items.map(g);
  }
  if (args.length === 0) throw new ValueError("map requires a filter argument");
  const [name, ...rest] = args;
  return items.map((x) => ctx.filter(pyStr(name), x, rest, kwargs));
}
function product(lists) {
  return lists.reduce((acc, l) => acc.flatMap((a) => l.map((x) => [...a, x])), [[]]);
}
function permutations(items, r) {
  if (r === 0) return [[]];
  return items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)], r - 1).map((p) => [x, ...p]));
}
function combinations(items, r) {
  if (r === 0) return [[]];
  return items.flatMap((x, i) => combinations(items.slice(i + 1), r - 1).map((c) => [x, ...c]));
}
function first(v, last) {
  const items = seq(last ? "last" : "first", v);
  if (items.length === 0) return new Undefined(`No ${last ? "last" : "first"} item, sequence was empty.`, 0);
  return last ? items[items.length - 1] : items[0];
}
function minMax(ctx, v, caseSensitive, attribute, max) {
  const items = seq(max ? "max" : "min", v);
  if (items.length === 0) return new Undefined("No aggregated item, sequence was empty.", 0);
  const key = getter(ctx, attribute, !truthy(caseSensitive));
  let best = items[0];
  let bestKey = key(best);
  for (const x of items.slice(1)) {
    const k = key(x);
    if (max ? pyCompare(k, bestKey) > 0 : pyCompare(k, bestKey) < 0) [best, bestKey] = [x, k];
  }
  return best;
}
function length(v) {
  if (typeof v === "string" || Array.isArray(v)) return [...v].length;
  if (isMapping(v)) return Object.keys(v).length;
  throw new ValueError(`object of type '${typeName(v)}' has no len()`);
}
var tuples2 = (rows) => rows.map((r) => tuple(r));
var LIST_FILTERS = {
  length: { params: [], fn: (_c, v) => length(v) },
  count: { params: [], fn: (_c, v) => length(v) },
  first: { params: [], fn: (_c, v) => first(v, false) },
  last: { params: [], fn: (_c, v) => first(v, true) },
  list: { params: [], fn: (_c, v) => [...seq("list", v)] },
  join: {
    params: ["d", "attribute"],
    fn: (c, v, [d, attribute]) => {
      const items = seq("join", v);
      const pick = attribute === void 0 || attribute === null ? (x) => x : getter(c, attribute, false);
      return items.map((x) => pyStr(pick(x))).join(pyStr(arg(d, "")));
    }
  },
  reverse: {
    params: [],
    fn: (_c, v) => typeof v === "string" ? [...v].reverse().join("") : [...seq("reverse", v)].reverse()
  },
  sort: {
    params: ["reverse", "case_sensitive", "attribute"],
    fn: (c, v, [reverse, cs, attribute]) => sorted(seq("sort", v), multiGetter(c, attribute, !truthy(cs)), truthy(reverse))
  },
  unique: { params: ["case_sensitive", "attribute"], fn: (c, v, [cs, attribute]) => unique(c, seq("unique", v), cs, attribute) },
  min: { params: ["case_sensitive", "attribute"], fn: (c, v, [cs, attribute]) => minMax(c, v, cs, attribute, false) },
  max: { params: ["case_sensitive", "attribute"], fn: (c, v, [cs, attribute]) => minMax(c, v, cs, attribute, true) },
  sum: {
    params: ["attribute", "start"],
    fn: (c, v, [attribute, start]) => {
      const pick = attribute === void 0 || attribute === null ? (x) => x : getter(c, attribute, false);
      const s2 = arg(start, 0);
      if (typeof s2 === "string") throw new ValueError("sum() can't sum strings [use ''.join(seq) instead]");
      return seq("sum", v).reduce((acc, x) => binary("+", acc, pick(x)), s2);
    }
  },
  union: { params: ["b"], fn: (c, v, [b]) => unique(c, [...seq("union", v), ...seq("union", b)], true, void 0) },
  intersect: { params: ["b"], fn: (c, v, [b]) => unique(c, seq("intersect", v).filter((x) => has(seq("intersect", b), x)), true, void 0) },
  difference: { params: ["b"], fn: (c, v, [b]) => unique(c, seq("difference", v).filter((x) => !has(seq("difference", b), x)), true, void 0) },
  symmetric_difference: {
    params: ["b"],
    fn: (c, v, [b]) => {
      const a = seq("symmetric_difference", v);
      const bb = seq("symmetric_difference", b);
      const both = unique(c, a.filter((x) => has(bb, x)), true, void 0);
      return unique(c, [...a, ...bb], true, void 0).filter((x) => !has(both, x));
    }
  },
  flatten: {
    params: ["levels", "skip_nulls"],
    fn: (_c, v, [levels, skipNulls]) => flatten(seq("flatten", v), levels === void 0 || levels === null ? void 0 : num(levels), truthy(arg(skipNulls, true)))
  },
  map: { params: [], variadic: true, anyKwargs: true, fn: (c, v, args, kw) => mapFilter(c, v, args, kw) },
  select: { params: [], variadic: true, anyKwargs: true, fn: (c, v, args, kw) => selectOrReject(c, v, args, kw, false, false) },
  reject: { params: [], variadic: true, anyKwargs: true, fn: (c, v, args, kw) => selectOrReject(c, v, args, kw, true, false) },
  selectattr: { params: [], variadic: true, anyKwargs: true, fn: (c, v, args, kw) => selectOrReject(c, v, args, kw, false, true) },
  rejectattr: { params: [], variadic: true, anyKwargs: true, fn: (c, v, args, kw) => selectOrReject(c, v, args, kw, true, true) },
  batch: {
    params: ["linecount", "fill_with"],
    fn: (_c, v, [linecount, fill]) => {
      const n = num(linecount);
      const out = [];
      for (const x of seq("batch", v)) {
        if (out.length === 0 || out[out.length - 1].length === n) out.push([]);
        out[out.length - 1].push(x);
      }
      const last = out[out.length - 1];
      if (last && fill !== void 0 && fill !== null) while (last.length < n) last.push(fill);
      return out;
    }
  },
  slice: {
    params: ["slices", "fill_with"],
    fn: (_c, v, [slices, fill]) => {
      const items = seq("slice", v);
      const n = num(slices);
      const per = Math.floor(items.length / n);
      const extra = items.length % n;
      const out = [];
      let offset = 0;
      for (let i = 0; i < n; i++) {
        const start = offset + i * per;
        if (i < extra) offset++;
        const part = items.slice(start, offset + (i + 1) * per);
        if (fill !== void 0 && fill !== null && i >= extra) part.push(fill);
        out.push(part);
      }
      return out;
    }
  },
  groupby: {
    params: ["attribute", "default", "case_sensitive"],
    fn: (c, v, [attribute, fallback, cs]) => {
      const key = getter(c, attribute, !truthy(cs), fallback);
      const real = getter(c, attribute, false, fallback);
      const groups = [];
      for (const x of sorted(seq("groupby", v), key, false)) {
        const k = key(x);
        const g = groups[groups.length - 1];
        if (g && pyEquals(g.k, k)) g.items.push(x);
        else groups.push({ k, items: [x] });
      }
      return groups.map((g) => tuple([real(g.items[0]), g.items]));
    }
  },
  dictsort: {
    params: ["case_sensitive", "by", "reverse"],
    fn: (_c, v, [cs, by, reverse]) => {
      if (!isMapping(v)) throw new ValueError(`dictsort expects a dict, got ${typeName(v)}`);
      const b = arg(by, "key");
      if (b !== "key" && b !== "value") throw new ValueError('You can only sort by either "key" or "value"');
      const pos = b === "key" ? 0 : 1;
      const pairs = Object.entries(v).map((p) => tuple(p));
      return sorted(pairs, (p) => truthy(cs) ? p[pos] : lower(p[pos]), truthy(reverse));
    }
  },
  items: {
    params: [],
    fn: (_c, v) => {
      if (v instanceof Undefined) return [];
      if (!isMapping(v)) throw new ValueError(`Can only get item pairs from a mapping, not ${typeName(v)}`);
      return Object.entries(v).map((p) => tuple(p));
    }
  },
  dict2items: {
    params: ["key_name", "value_name"],
    fn: (_c, v, [k, val]) => {
      if (!isMapping(v)) throw new ValueError(`dict2items requires a dictionary, got <class '${typeName(v)}'> instead.`);
      return Object.entries(v).map(([key, value]) => ({ [pyStr(arg(k, "key"))]: key, [pyStr(arg(val, "value"))]: value }));
    }
  },
  items2dict: {
    params: ["key_name", "value_name"],
    fn: (_c, v, [k, val]) => {
      if (!Array.isArray(v)) throw new ValueError(`items2dict requires a list, got <class '${typeName(v)}'> instead.`);
      const kn = pyStr(arg(k, "key"));
      const vn = pyStr(arg(val, "value"));
      const out = {};
      for (const item of v) {
        if (!isMapping(item) || !Object.hasOwn(item, kn) || !Object.hasOwn(item, vn)) {
          throw new ValueError(`items2dict requires each dictionary in the list to contain the keys '${kn}' and '${vn}'`);
        }
        out[pyStr(item[kn])] = item[vn];
      }
      return out;
    }
  },
  combine: {
    params: [],
    variadic: true,
    anyKwargs: true,
    fn: (_c, v, args, kw) => {
      const { recursive = false, list_merge: listMerge = "replace", ...rest } = kw;
      if (Object.keys(rest).length > 0) throw new ValueError("'recursive' and 'list_merge' are the only valid keyword arguments");
      const dicts = flatten([v, ...args], 1, false);
      for (const d of dicts) if (!isMapping(d)) throw new ValueError(`failed to combine variables, expected dicts but got a '${typeName(d)}'`);
      if (dicts.length === 0) return {};
      let result2 = dicts[dicts.length - 1];
      for (let i = dicts.length - 2; i >= 0; i--) result2 = mergeHash(dicts[i], result2, truthy(recursive), pyStr(listMerge));
      return result2;
    }
  },
  zip: { params: [], variadic: true, fn: (_c, v, args) => zip([v, ...args].map((x) => seq("zip", x)), false, null) },
  zip_longest: { params: [], variadic: true, anyKwargs: true, fn: (_c, v, args, kw) => zip([v, ...args].map((x) => seq("zip_longest", x)), true, kw.fillvalue ?? null) },
  product: {
    params: [],
    variadic: true,
    anyKwargs: true,
    fn: (_c, v, args, kw) => {
      const lists = [v, ...args].map((x) => seq("product", x));
      const repeat2 = num(kw.repeat ?? 1);
      return tuples2(product(Array.from({ length: repeat2 }, () => lists).flat()));
    }
  },
  permutations: {
    params: ["r"],
    fn: (_c, v, [r]) => {
      const items = seq("permutations", v);
      return tuples2(permutations(items, r === void 0 || r === null ? items.length : num(r)));
    }
  },
  combinations: { params: ["r"], fn: (_c, v, [r]) => tuples2(combinations(seq("combinations", v), num(r))) },
  subelements: {
    params: ["subelements", "skip_missing"],
    fn: (_c, v, [sub, skipMissing]) => {
      const elements = isMapping(v) ? Object.values(v) : Array.isArray(v) ? v : void 0;
      if (!elements) throw new ValueError("obj must be a list of dicts or a nested dict");
      const path4 = Array.isArray(sub) ? sub.map(pyStr) : typeof sub === "string" ? sub.split(".") : void 0;
      if (!path4) throw new ValueError("subelements must be a list or a string");
      const out = [];
      for (const element of elements) {
        let values = element;
        for (const p of path4) {
          if (!isMapping(values)) throw new ValueError(`the key ${p} should point to a dictionary, got '${pyStr(values)}'`);
          if (!Object.hasOwn(values, p)) {
            if (truthy(skipMissing)) {
              values = [];
              break;
            }
            throw new ValueError(`could not find '${p}' key in iterated item ${pyStr(values)}`);
          }
          values = values[p];
        }
        if (!Array.isArray(values)) throw new ValueError(`the key '${path4[path4.length - 1]}' should point to a list, got ${pyStr(values)}`);
        for (const x of values) out.push(tuple([element, x]));
      }
      return out;
    }
  },
  extract: {
    params: ["container", "morekeys"],
    fn: (c, v, [container, morekeys]) => {
      const keys = morekeys === void 0 || morekeys === null ? [v] : Array.isArray(morekeys) ? [v, ...morekeys] : [v, morekeys];
      let value = container;
      for (const k of keys) {
        value = c.attribute(value, k);
        if (value instanceof Undefined) return value;
      }
      return value;
    }
  },
  rekey_on_member: {
    params: ["key", "duplicates"],
    fn: (_c, v, [key, duplicates]) => {
      const dup = arg(duplicates, "error");
      if (dup !== "error" && dup !== "overwrite") throw new ValueError(`duplicates parameter to rekey_on_member has unknown value: ${pyStr(dup)}`);
      const items = isMapping(v) ? Object.values(v) : Array.isArray(v) ? v : void 0;
      if (!items) throw new ValueError("Type is not a valid list, set, or dict");
      const out = {};
      for (const item of items) {
        if (!isMapping(item)) throw new ValueError("List item is not a valid dict");
        if (!Object.hasOwn(item, pyStr(key))) throw new ValueError(`Key ${pyStr(key)} was not found`);
        const k = pyStr(item[pyStr(key)]);
        if (truthy(out[k]) && dup === "error") throw new ValueError(`Key ${k} is not unique, cannot correctly turn into dict`);
        out[k] = item;
      }
      return out;
    }
  },
  attr: { params: ["name"], fn: () => new Undefined("attribute of a value (the attr filter reads Python attributes, data has none)", 0) },
  shuffle: {
    params: ["seed"],
    fn: (_c, v, [seed]) => {
      const items = [...seq("shuffle", v)];
      pyRandom(truthy(seed) ? seed : void 0).shuffle(items);
      return items;
    }
  },
  random: {
    params: ["start", "step", "seed"],
    fn: (_c, v, [start, step, seed]) => {
      const r = pyRandom(seed === void 0 || seed === null ? void 0 : seed);
      if (isInt(v)) return r.randrange(truthy(start) ? num(start) : 0, v, truthy(step) ? num(step) : 1);
      if (truthy(start) || truthy(step)) throw new ValueError("start and step can only be used with integer values");
      const items = seq("random", v);
      return items[r.randbelow(items.length)];
    }
  }
};
function zip(lists, longest, fill) {
  const n = lists.length === 0 ? 0 : longest ? Math.max(...lists.map((l) => l.length)) : Math.min(...lists.map((l) => l.length));
  return Array.from({ length: n }, (_, i) => tuple(lists.map((l) => i < l.length ? l[i] : fill)));
}

// src/vars/jinja/filters/numbers.ts
function parseIntPy(s2, base) {
  let t = s2.trim().replace(/(?<=[0-9a-zA-Z])_(?=[0-9a-zA-Z])/g, "");
  const sign = t.startsWith("-") ? -1 : 1;
  t = t.replace(/^[+-]/, "");
  let b = base;
  const prefix = /^0([xob])/i.exec(t)?.[1]?.toLowerCase();
  if (prefix && (b === 0 || b === { x: 16, o: 8, b: 2 }[prefix])) {
    b = { x: 16, o: 8, b: 2 }[prefix];
    t = t.slice(2);
  } else if (b === 0) {
    if (/^0+$/.test(t)) return 0;
    if (/^0/.test(t)) return void 0;
    b = 10;
  }
  const digits = "0123456789abcdefghijklmnopqrstuvwxyz".slice(0, b);
  if (t === "" || ![...t.toLowerCase()].every((c) => digits.includes(c))) return void 0;
  return sign * parseInt(t, b);
}
function parseFloatPy(s2) {
  const t = s2.trim().replace(/(?<=\d)_(?=\d)/g, "").toLowerCase();
  if (/^[+-]?(inf|infinity)$/.test(t)) return t.startsWith("-") ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(t)) return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) return void 0;
  return Number(t);
}
function toInt2(v, fallback = 0, base = 10) {
  if (typeof v === "string") {
    const n = parseIntPy(v, base);
    if (n !== void 0) return n;
    const f = parseFloatPy(v);
    return f !== void 0 && Number.isFinite(f) ? Math.trunc(f) : fallback;
  }
  if (isNumber(v)) {
    const n = num(v);
    return Number.isFinite(n) ? Math.trunc(n) : fallback;
  }
  return fallback;
}
function toFloat(v, fallback = new PyFloat(0)) {
  if (typeof v === "string") {
    const f = parseFloatPy(v);
    return f === void 0 ? fallback : float(f);
  }
  if (isNumber(v)) return float(num(v));
  return fallback;
}
function toBool(v) {
  if (v === null || typeof v === "boolean") return v;
  const x = typeof v === "string" ? v.toLowerCase() : v;
  return ["yes", "on", "1", "true"].includes(x) || pyEquals(x, 1);
}
function exact(x) {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number(bits >> 52n & 0x7ffn);
  const fraction = bits & (1n << 52n) - 1n;
  const m2 = biased === 0 ? fraction : fraction | 1n << 52n;
  return { m: bits >> 63n ? -m2 : m2, e: (biased === 0 ? 1 : biased) - 1075 };
}
function pyRound(x, digits) {
  if (!Number.isFinite(x) || x === 0) return x;
  const { m: m2, e } = exact(x);
  const num2 = m2 * (e > 0 ? 2n ** BigInt(e) : 1n) * (digits > 0 ? 10n ** BigInt(digits) : 1n);
  const den = (e < 0 ? 2n ** BigInt(-e) : 1n) * (digits < 0 ? 10n ** BigInt(-digits) : 1n);
  const neg = num2 < 0n;
  const abs = neg ? -num2 : num2;
  let q = abs / den;
  const twice = 2n * (abs % den);
  if (twice > den || twice === den && q % 2n === 1n) q += 1n;
  const r = Number(`${neg ? "-" : ""}${q}e${-digits}`);
  return r === 0 && neg ? -0 : r;
}
var SIZE_RANGES = [
  ["Y", 2 ** 80],
  ["Z", 2 ** 70],
  ["E", 2 ** 60],
  ["P", 2 ** 50],
  ["T", 2 ** 40],
  ["G", 2 ** 30],
  ["M", 2 ** 20],
  ["K", 2 ** 10],
  ["B", 1]
];
function bytesToHuman(size, isbits, unit) {
  const base = isbits ? "bits" : "Bytes";
  let [suffix, limit] = SIZE_RANGES[SIZE_RANGES.length - 1];
  for (const [s2, l] of SIZE_RANGES) {
    ;
    [suffix, limit] = [s2, l];
    if ((unit === void 0 || unit === null) && size >= l) break;
    if (unit !== void 0 && unit !== null && pyStr(unit).toUpperCase() === s2[0]) break;
  }
  return `${formatFloat(size / limit, "f", 2)} ${limit !== 1 ? suffix + base[0] : base}`;
}
function humanToBytes(value, defaultUnit, isbits) {
  const m2 = /^\s*(\d*\.?\d*)\s*([A-Za-z]+)?/.exec(pyStr(value));
  const n = parseFloatPy(m2[1]);
  if (n === void 0) throw new ValueError(`human_to_bytes() can't interpret following string: ${pyStr(value)}`);
  const unit = m2[2] ?? (defaultUnit === void 0 || defaultUnit === null ? void 0 : pyStr(defaultUnit));
  if (unit === void 0) return pyRound(n, 0);
  const key = unit[0].toUpperCase();
  const limit = SIZE_RANGES.find(([s2]) => s2 === key)?.[1];
  if (limit === void 0) throw new ValueError(`human_to_bytes() can't interpret following string: ${pyStr(value)}`);
  const cls = isbits ? "b" : "B";
  if (unit.length > 1 && !unit.toLowerCase().includes(isbits ? "bit" : "byte") && unit[1] !== cls) {
    throw new ValueError(`human_to_bytes() can't interpret following string: ${pyStr(value)}`);
  }
  return pyRound(n * limit, 0);
}
function requireNumber(name, v) {
  if (!isNumber(v)) throw new ValueError(`${name}() can only be used on numbers: must be real number, not ${typeName(v)}`);
  return num(v);
}
var NUMBER_FILTERS = {
  int: { params: ["default", "base"], fn: (_c, v, [d, base]) => toInt2(v, arg(d, 0), num(arg(base, 10))) },
  float: { params: ["default"], fn: (_c, v, [d]) => toFloat(v, arg(d, new PyFloat(0))) },
  bool: { params: [], fn: (_c, v) => toBool(v) },
  string: { params: [], fn: (_c, v) => pyStr(v) },
  abs: {
    params: [],
    fn: (_c, v) => {
      if (!isNumber(v)) throw new ValueError(`bad operand type for abs(): '${typeName(v)}'`);
      return isFloat(v) ? float(Math.abs(num(v))) : Math.abs(num(v));
    }
  },
  round: {
    params: ["precision", "method"],
    fn: (_c, v, [precision, method]) => {
      const p = num(arg(precision, 0));
      const m2 = arg(method, "common");
      if (!["common", "ceil", "floor"].includes(m2)) throw new ValueError("method must be common, ceil or floor");
      const x = requireNumber("round", v);
      if (m2 !== "common") return float((m2 === "ceil" ? Math.ceil : Math.floor)(x * 10 ** p) / 10 ** p);
      return isInt(v) || typeof v === "boolean" ? pyRound(x, p) : float(pyRound(x, p));
    }
  },
  log: {
    params: ["base"],
    fn: (_c, v, [base]) => {
      const x = requireNumber("log", v);
      const b = arg(base, void 0);
      if (b === void 0) return float(Math.log(x));
      return float(num(b) === 10 ? Math.log10(x) : Math.log(x) / Math.log(num(b)));
    }
  },
  pow: { params: ["y"], fn: (_c, v, [y]) => float(requireNumber("pow", v) ** requireNumber("pow", y)) },
  root: {
    params: ["base"],
    fn: (_c, v, [base]) => {
      const x = requireNumber("root", v);
      const b = num(arg(base, 2));
      if (x < 0) throw new ValueError("root() can only be used on numbers: math domain error");
      return float(b === 2 ? Math.sqrt(x) : x ** (1 / b));
    }
  },
  human_readable: {
    params: ["isbits", "unit"],
    fn: (_c, v, [isbits, unit]) => {
      const n = typeof v === "string" ? parseFloatPy(v) : isNumber(v) ? num(v) : void 0;
      if (n === void 0) throw new ValueError(`human_readable() can't interpret following string: ${pyStr(v)}`);
      return bytesToHuman(n, truthy(isbits), unit);
    }
  },
  human_to_bytes: { params: ["default_unit", "isbits"], fn: (_c, v, [unit, isbits]) => humanToBytes(v, unit, truthy(isbits)) },
  filesizeformat: {
    params: ["binary"],
    fn: (_c, v, [binary2]) => {
      const bytes = num(toFloat(v, new PyFloat(0)));
      const base = truthy(binary2) ? 1024 : 1e3;
      const prefixes2 = truthy(binary2) ? ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"] : ["kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
      if (bytes === 1) return "1 Byte";
      if (bytes < base) return `${Math.trunc(bytes)} Bytes`;
      let i = 0;
      while (i < prefixes2.length - 1 && bytes >= base ** (i + 2)) i++;
      return `${formatFloat(base * bytes / base ** (i + 2), "f", 1)} ${prefixes2[i]}`;
    }
  }
};

// src/vars/jinja/paths.ts
import { existsSync, lstatSync, readdirSync, realpathSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, posix } from "node:path";
var basename = (p) => p.slice(p.lastIndexOf("/") + 1);
function dirname(p) {
  const head = p.slice(0, p.lastIndexOf("/") + 1);
  return head && !/^\/+$/.test(head) ? head.replace(/\/+$/, "") : head;
}
function splitext(p) {
  const base = basename(p);
  const dot = base.lastIndexOf(".");
  if (dot <= 0 || /^\.+$/.test(base.slice(0, dot + 1))) return [p, ""];
  const cut = p.length - (base.length - dot);
  return [p.slice(0, cut), p.slice(cut)];
}
var expanduser = (p) => p === "~" || p.startsWith("~/") ? (process.env.HOME ?? homedir()) + p.slice(1) : p;
var expandvars = (p) => p.replace(/\$(\w+)|\$\{([^}]*)\}/g, (m2, a, b) => process.env[a ?? b] ?? m2);
function join(parts) {
  let out = parts[0] ?? "";
  for (const p of parts.slice(1)) {
    if (p.startsWith("/")) out = p;
    else if (out === "" || out.endsWith("/")) out += p;
    else out += "/" + p;
  }
  return out;
}
function realpath(p) {
  const abs = posix.resolve(p);
  let head = abs;
  const tail = [];
  while (head !== "/" && !existsSync(head)) {
    tail.unshift(posix.basename(head));
    head = posix.dirname(head);
  }
  return posix.join(realpathSync(head), ...tail);
}
var relpath = (p, start = ".") => posix.relative(posix.resolve(start), posix.resolve(p)) || ".";
var kind = (p, follow) => {
  try {
    const s2 = follow ? statSync(p) : lstatSync(p);
    return s2.isSymbolicLink() ? "link" : s2.isFile() ? "file" : s2.isDirectory() ? "dir" : "other";
  } catch {
    return void 0;
  }
};
var isFile = (p) => kind(p, true) === "file";
var isDir = (p) => kind(p, true) === "dir";
var isLink = (p) => kind(p, false) === "link";
var exists = (p) => kind(p, true) !== void 0;
var isAbs = (p) => isAbsolute(p);
function isMount(p) {
  try {
    const s2 = lstatSync(p);
    if (s2.isSymbolicLink()) return false;
    const parent = statSync(posix.join(p, ".."));
    return s2.dev !== parent.dev || s2.ino === parent.ino;
  } catch {
    return false;
  }
}
function sameFile(a, b) {
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}
function segmentRegex(seg) {
  let re = "";
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = seg.indexOf("]", i + 2);
      if (end < 0) re += "\\[";
      else {
        const body = seg.slice(i + 1, end);
        re += `[${body.startsWith("!") ? "^" + body.slice(1) : body.replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`, "s");
}
function glob(pattern) {
  const absolute = pattern.startsWith("/");
  const segs = pattern.split("/").filter((s2, i) => s2 !== "" || i === 0);
  let paths = [absolute ? "/" : ""];
  for (const seg of segs.slice(absolute ? 1 : 0)) {
    if (!/[*?[]/.test(seg)) {
      paths = paths.map((p) => p === "" ? seg : p.endsWith("/") ? p + seg : `${p}/${seg}`).filter((p) => existsSync(p) || seg === "");
      continue;
    }
    const re = segmentRegex(seg);
    paths = paths.flatMap((p) => {
      let names = [];
      try {
        names = readdirSync(p === "" ? "." : p);
      } catch {
        return [];
      }
      return names.filter((n) => re.test(n) && (!n.startsWith(".") || seg.startsWith("."))).map((n) => p === "" ? n : p.endsWith("/") ? p + n : `${p}/${n}`);
    });
  }
  return paths.filter((p) => p !== "" && exists(p)).sort();
}

// src/vars/jinja/filters/paths.ts
var path = (fn) => ({ params: [], fn: (_c, v) => fn(pyStr(v)) });
var winSep = (p) => Math.max(p.lastIndexOf("/"), p.lastIndexOf("\\"));
var winDrive = (p) => /^[A-Za-z]:/.test(p) ? [p.slice(0, 2), p.slice(2)] : ["", p];
var PATH_FILTERS = {
  basename: path(basename),
  dirname: path(dirname),
  expanduser: path(expanduser),
  expandvars: path(expandvars),
  realpath: path(realpath),
  relpath: { params: ["start"], fn: (_c, v, [start]) => relpath(pyStr(v), pyStr(arg(start, "."))) },
  splitext: path((p) => tuple(splitext(p))),
  path_join: {
    params: [],
    fn: (_c, v) => {
      if (typeof v === "string") return v;
      if (Array.isArray(v) || isTuple(v)) return join(v.map(pyStr));
      throw new ValueError(`|path_join expects string or sequence, got <class '${typeName(v)}'> instead.`);
    }
  },
  fileglob: path((p) => glob(p).filter(isFile)),
  win_basename: path((p) => winDrive(p)[1].slice(winSep(winDrive(p)[1]) + 1)),
  win_dirname: path((p) => {
    const [drive, rest] = winDrive(p);
    const head = rest.slice(0, winSep(rest) + 1);
    return drive + (head && !/^[\\/]+$/.test(head) ? head.replace(/[\\/]+$/, "") : head);
  }),
  win_splitdrive: path((p) => tuple(winDrive(p)))
};

// src/vars/jinja/regex.ts
var cache = /* @__PURE__ */ new Map();
function pyRegex(pattern, opts = {}) {
  const key = `${opts.ignorecase ? "i" : ""}${opts.multiline ? "m" : ""}${opts.dotall ? "s" : ""}/${pattern}`;
  const hit = cache.get(key);
  if (hit) {
    hit.lastIndex = 0;
    return hit;
  }
  let flags = "";
  let body = pattern;
  const inline = /^\(\?([aiLmsux]+)\)/.exec(body);
  if (inline) {
    if (inline[1].includes("x")) throw new ValueError("verbose regular expressions (?x) are not supported");
    flags = inline[1];
    body = body.slice(inline[0].length);
  }
  const multiline = opts.multiline || flags.includes("m");
  const js = translate(body, multiline);
  const out = `g${opts.ignorecase || flags.includes("i") ? "i" : ""}${multiline ? "m" : ""}${opts.dotall || flags.includes("s") ? "s" : ""}`;
  let re;
  try {
    re = new RegExp(js, out);
  } catch (err) {
    throw new ValueError(`invalid regular expression '${pattern}': ${err.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, "")}`);
  }
  if (cache.size > 500) cache.clear();
  cache.set(key, re);
  return re;
}
function translate(p, multiline) {
  let out = "";
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === "\\") {
      const n = p[i + 1] ?? "";
      i++;
      if (!inClass && n === "A") out += "(?<![\\s\\S])";
      else if (!inClass && n === "Z") out += "(?![\\s\\S])";
      else out += "\\" + n;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      out += c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      if (p[i + 1] === "^") out += p[++i];
      if (p[i + 1] === "]") out += "\\" + p[++i];
      continue;
    }
    if (p.startsWith("(?P<", i)) {
      out += "(?<";
      i += 3;
      continue;
    }
    if (p.startsWith("(?P=", i)) {
      const end = p.indexOf(")", i);
      out += `\\k<${p.slice(i + 4, end)}>`;
      i = end;
      continue;
    }
    if (c === "$" && !multiline) {
      out += "(?=\\n?(?![\\s\\S]))";
      continue;
    }
    out += c;
  }
  return out;
}
function pySearch(re, s2, anchored = false) {
  re.lastIndex = 0;
  const m2 = re.exec(s2);
  if (!m2) return null;
  if (anchored && m2.index !== 0) {
    const sticky2 = new RegExp(re.source, re.flags.replace("g", "") + "y");
    return sticky2.exec(s2);
  }
  return m2;
}
function expandTemplate(template, m2) {
  let out = "";
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c !== "\\") {
      out += c;
      continue;
    }
    const n = template[++i];
    if (n === void 0) throw new ValueError("bad escape (end of pattern)");
    if (/\d/.test(n)) {
      const num2 = /^\d{1,2}/.exec(template.slice(i))?.[0];
      i += num2.length - 1;
      const g = Number(num2);
      if (g >= m2.length) throw new ValueError(`invalid group reference ${g}`);
      out += m2[g] ?? "";
    } else if (n === "g") {
      const ref = /^<([^>]*)>/.exec(template.slice(i + 1));
      if (!ref) throw new ValueError("missing <");
      i += ref[0].length;
      const g = /^\d+$/.test(ref[1]) ? m2[Number(ref[1])] : m2.groups?.[ref[1]];
      if (g === void 0 && !(/^\d+$/.test(ref[1]) ? Number(ref[1]) < m2.length : ref[1] in (m2.groups ?? {}))) {
        throw new ValueError(`unknown group name '${ref[1]}'`);
      }
      out += g ?? "";
    } else {
      const esc = { n: "\n", t: "	", r: "\r", "\\": "\\", a: "\x07", b: "\b", f: "\f", v: "\v" };
      if (n in esc) out += esc[n];
      else if (/[A-Za-z]/.test(n)) throw new ValueError(`bad escape \\${n}`);
      else out += "\\" + n;
    }
  }
  return out;
}
function pySub(re, repl, s2, count = 0) {
  let n = 0;
  re.lastIndex = 0;
  return s2.replace(re, (...args) => {
    if (count > 0 && n >= count) return args[0];
    n++;
    const groupsObj = typeof args[args.length - 1] === "object" ? args[args.length - 1] : void 0;
    const captures = args.slice(0, groupsObj ? -3 : -2);
    const m2 = Object.assign(captures, { index: 0, input: s2, groups: groupsObj });
    return expandTemplate(repl, m2);
  });
}
function pyFindall(re, s2) {
  const out = [];
  re.lastIndex = 0;
  for (const m2 of s2.matchAll(re)) {
    if (m2.length === 1) out.push(m2[0]);
    else if (m2.length === 2) out.push(m2[1] ?? "");
    else out.push(m2.slice(1).map((g) => g ?? ""));
  }
  return out;
}

// src/vars/jinja/strings.ts
var WS = /[\s\x1c-\x1f\x85]/;
var isSpace = (c) => WS.test(c) && c !== "\uFEFF";
function pySplit(s2, sep, maxsplit = -1) {
  if (sep === "") throw new ValueError("empty separator");
  if (sep !== void 0) {
    const parts = s2.split(sep);
    if (maxsplit < 0 || parts.length <= maxsplit + 1) return parts;
    return [...parts.slice(0, maxsplit), parts.slice(maxsplit).join(sep)];
  }
  const out = [];
  let i = 0;
  while (i < s2.length) {
    while (i < s2.length && isSpace(s2[i])) i++;
    if (i >= s2.length) break;
    if (maxsplit >= 0 && out.length === maxsplit) {
      out.push(s2.slice(i));
      break;
    }
    let j = i;
    while (j < s2.length && !isSpace(s2[j])) j++;
    out.push(s2.slice(i, j));
    i = j;
  }
  return out;
}
function pyRsplit(s2, sep, maxsplit = -1) {
  if (maxsplit < 0) return pySplit(s2, sep, -1);
  if (sep === "") throw new ValueError("empty separator");
  if (sep !== void 0) {
    const parts = s2.split(sep);
    if (parts.length <= maxsplit + 1) return parts;
    return [parts.slice(0, parts.length - maxsplit).join(sep), ...parts.slice(parts.length - maxsplit)];
  }
  const rev = pySplit([...s2].reverse().join(""), void 0, maxsplit);
  return rev.map((p) => [...p].reverse().join("")).reverse();
}
function pyStrip(s2, chars, side) {
  const strip = (c) => chars === void 0 ? isSpace(c) : chars.includes(c);
  let a = 0;
  let b = s2.length;
  if (side !== "right") while (a < b && strip(s2[a])) a++;
  if (side !== "left") while (b > a && strip(s2[b - 1])) b--;
  return s2.slice(a, b);
}
var cased = (c) => c.toLowerCase() !== c.toUpperCase();
var pyCapitalize = (s2) => s2 === "" ? s2 : s2[0].toUpperCase() + s2.slice(1).toLowerCase();
function pyTitle(s2) {
  let out = "";
  let prev = false;
  for (const c of s2) {
    out += prev ? c.toLowerCase() : c.toUpperCase();
    prev = cased(c);
  }
  return out;
}

// src/vars/jinja/filters/strings.ts
var text = (v) => pyStr(v);
function str(name, v) {
  if (typeof v !== "string") throw new ValueError(`${name} expects a string, got ${typeName(v)}`);
  return v;
}
var simple = (fn) => ({ params: [], fn: (_c, v) => fn(text(v)) });
function shellQuote(s2) {
  if (s2 === "") return "''";
  if (/^[\w@%+=:,./-]+$/.test(s2)) return s2;
  return `'${s2.replace(/'/g, `'"'"'`)}'`;
}
function indent(s2, width, first2, blank) {
  const ind = typeof width === "string" ? width : " ".repeat(num(arg(width, 4)));
  const lines = splitlines(s2 + "\n");
  let rv;
  if (truthy(blank)) rv = lines.join("\n" + ind);
  else {
    rv = lines.shift() ?? "";
    if (lines.length > 0) rv += "\n" + lines.map((l) => l ? ind + l : l).join("\n");
  }
  return truthy(first2) ? ind + rv : rv;
}
function splitlines(s2, keepends = false) {
  const out = [];
  const re = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;
  let last = 0;
  for (const m2 of s2.matchAll(re)) {
    out.push(s2.slice(last, keepends ? m2.index + m2[0].length : m2.index));
    last = m2.index + m2[0].length;
  }
  if (last < s2.length) out.push(s2.slice(last));
  return out;
}
function regexOpts(kwargs) {
  return { ignorecase: truthy(kwargs.ignorecase), multiline: truthy(kwargs.multiline) };
}
var COMMENT_STYLES = {
  plain: { decoration: "# " },
  erlang: { decoration: "% " },
  c: { decoration: "// " },
  cblock: { beginning: "/*", decoration: " * ", end: " */" },
  xml: { beginning: "<!--", decoration: " - ", end: "-->" }
};
function comment(value, style, kw) {
  const styleParams = COMMENT_STYLES[style];
  if (!styleParams) throw new ValueError(`unknown comment style '${style}'`);
  const deco = kw.decoration !== void 0 ? pyStr(kw.decoration) : styleParams.decoration;
  const p = { newline: "\n", beginning: "", prefix: deco.trimEnd(), prefix_count: 1, decoration: "", postfix: deco.trimEnd(), postfix_count: 1, end: "", ...styleParams, ...kw };
  const nl = pyStr(p.newline);
  const beginning = p.beginning ? `${pyStr(p.beginning)}${nl}` : "";
  let prefix = "";
  if (p.prefix) prefix = (p.prefix !== nl ? `${pyStr(p.prefix)}${nl}` : nl).repeat(num(p.prefix_count));
  const d = pyStr(p.decoration);
  const body = (d + value.split(nl).join(nl + d)).split(d + nl).join(d.trimEnd() + nl);
  const postfix = ["", ...Array(num(p.postfix_count)).fill(pyStr(p.postfix))].join(nl);
  const end = p.end ? `${nl}${pyStr(p.end)}` : "";
  return beginning + prefix + body + postfix + end;
}
var STRING_FILTERS = {
  lower: simple((s2) => s2.toLowerCase()),
  upper: simple((s2) => s2.toUpperCase()),
  capitalize: simple(pyCapitalize),
  title: simple((s2) => s2.split(/([-\s({[<]+)/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase()).join("")),
  trim: { params: ["chars"], fn: (_c, v, [chars]) => pyStrip(text(v), chars === void 0 || chars === null ? void 0 : text(chars), "both") },
  center: {
    params: ["width"],
    fn: (_c, v, [width]) => {
      const s2 = text(v);
      const w = num(arg(width, 80));
      if (s2.length >= w) return s2;
      const total = w - s2.length;
      const left = Math.floor(total / 2) + (total & w & 1);
      return " ".repeat(left) + s2 + " ".repeat(total - left);
    }
  },
  replace: {
    params: ["old", "new", "count"],
    fn: (_c, v, [old, repl, count]) => {
      const s2 = text(v);
      const o = text(old);
      const n = text(repl);
      const limit = count === void 0 || count === null ? -1 : num(count);
      if (limit < 0) return o === "" ? [...s2].map((ch) => n + ch).join("") + n : s2.split(o).join(n);
      let out = s2;
      let at = 0;
      for (let i = 0; i < limit; i++) {
        const j = out.indexOf(o, at);
        if (j < 0) break;
        out = out.slice(0, j) + n + out.slice(j + o.length);
        at = j + n.length + (o === "" ? 1 : 0);
      }
      return out;
    }
  },
  indent: { params: ["width", "first", "blank"], fn: (_c, v, [w, first2, blank]) => indent(text(v), w, first2, blank) },
  truncate: {
    params: ["length", "killwords", "end", "leeway"],
    fn: (_c, v, [length2, killwords, end, leeway]) => {
      const s2 = text(v);
      const n = num(arg(length2, 255));
      const e = text(arg(end, "..."));
      if (s2.length <= n + num(arg(leeway, 5))) return s2;
      if (truthy(killwords)) return s2.slice(0, n - e.length) + e;
      const cut = s2.slice(0, n - e.length);
      const sp = cut.lastIndexOf(" ");
      return (sp >= 0 ? cut.slice(0, sp) : cut) + e;
    }
  },
  wordcount: simple((s2) => (s2.match(/\w+/g) ?? []).length),
  format: {
    params: [],
    variadic: true,
    anyKwargs: true,
    fn: (_c, v, args, kwargs) => {
      if (args.length > 0 && Object.keys(kwargs).length > 0) throw new ValueError("can't handle positional and keyword arguments at the same time");
      return percentFormat(text(v), Object.keys(kwargs).length > 0 ? kwargs : tuple(args));
    }
  },
  striptags: simple((s2) => s2.replace(/<!--.*?-->|<[^>]*>/gs, "").replace(/\s+/g, " ").trim()),
  e: simple(htmlEscape),
  escape: simple(htmlEscape),
  forceescape: simple(htmlEscape),
  safe: { params: [], fn: (_c, v) => v },
  quote: { params: [], fn: (_c, v) => shellQuote(v === null ? "" : text(v)) },
  split: {
    params: ["sep", "maxsplit"],
    fn: (_c, v, [sep, maxsplit]) => pySplit(str("split", v), sep === void 0 || sep === null ? void 0 : text(sep), num(arg(maxsplit, -1)))
  },
  comment: { params: ["style"], anyKwargs: true, fn: (_c, v, [style], kw) => comment(text(v), text(arg(style, "plain")), kw) },
  regex_replace: {
    params: ["pattern", "replacement", "ignorecase", "multiline"],
    fn: (_c, v, [pattern, replacement, ignorecase, multiline]) => pySub(pyRegex(text(arg(pattern, "")), regexOpts({ ignorecase, multiline })), text(arg(replacement, "")), text(arg(v, "")))
  },
  regex_findall: {
    params: ["regex", "multiline", "ignorecase"],
    fn: (_c, v, [regex, multiline, ignorecase]) => pyFindall(pyRegex(text(regex), regexOpts({ ignorecase, multiline })), text(v)).map((m2) => Array.isArray(m2) ? tuple(m2) : m2)
  },
  regex_search: {
    params: ["regex"],
    variadic: true,
    anyKwargs: true,
    fn: (_c, v, [regex, ...groups], kwargs) => {
      const refs = groups.map((g) => {
        const s2 = text(g);
        const named = /^\\g<(\S+)>/.exec(s2);
        if (named) return named[1];
        const n = /^\\(\d+)/.exec(s2);
        if (n) return Number(n[1]);
        throw new ValueError("Unknown argument");
      });
      const m2 = pySearch(pyRegex(text(regex), regexOpts(kwargs)), text(v));
      if (!m2) return null;
      if (refs.length === 0) return m2[0];
      return refs.map((r) => (typeof r === "number" ? m2[r] : m2.groups?.[r]) ?? null);
    }
  },
  regex_escape: {
    params: ["re_type"],
    fn: (_c, v, [reType]) => {
      const s2 = text(v);
      const t = arg(reType, "python");
      if (t === "python") return s2.replace(/[^\w]/g, (c) => c.charCodeAt(0) > 127 ? c : "\\" + c);
      if (t === "posix_basic") return s2.replace(/([\].[^$*\\])/g, "\\$1");
      throw new ValueError(t === "posix_extended" ? `Regex type (${String(t)}) not yet implemented` : `Invalid regex type (${String(t)})`);
    }
  },
  b64encode: { params: ["encoding"], fn: (_c, v) => Buffer.from(text(v), "utf8").toString("base64") },
  b64decode: { params: ["encoding"], fn: (_c, v) => Buffer.from(text(v), "base64").toString("utf8") },
  urlencode: {
    params: [],
    fn: (_c, v) => {
      const enc = (x) => encodeURIComponent(pyStr(x)).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase()).replace(/%2F/g, "/");
      if (typeof v === "string") return enc(v);
      const pairs = isMapping(v) ? Object.entries(v) : v;
      return pairs.map(([k, x]) => `${encodeURIComponent(pyStr(k))}=${encodeURIComponent(pyStr(x))}`.replace(/%20/g, "+")).join("&");
    }
  },
  urldecode: { params: [], fn: (_c, v) => decodeURIComponent(text(v).replace(/\+/g, " ")) }
};
function htmlEscape(s2) {
  return s2.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&#34;").replace(/'/g, "&#39;");
}

// src/vars/jinja/filters/index.ts
var FILTERS = Object.assign(/* @__PURE__ */ Object.create(null), STRING_FILTERS, LIST_FILTERS, NUMBER_FILTERS, DATA_FILTERS, PATH_FILTERS);

// src/vars/jinja/lookups.ts
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync as readFileSync3, writeFileSync, existsSync as existsSync2 } from "node:fs";
import { randomInt as randomInt3 } from "node:crypto";
import { dirname as dirOf, isAbsolute as isAbsolute2, join as joinPath } from "node:path";
function findFile(ctx, subdir, term) {
  if (isAbsolute2(term)) return existsSync2(term) ? term : void 0;
  for (const base of ctx.host.searchPaths()) {
    for (const candidate of [joinPath(base, subdir, term), joinPath(base, term)]) if (existsSync2(candidate)) return candidate;
  }
  return void 0;
}
function options(kw, known, lookup3) {
  const unknown = Object.keys(kw).find((k) => !known.includes(k));
  if (unknown) throw new ValueError(`lookup '${lookup3}' has no option '${unknown}' (options: ${known.join(", ") || "none"})`);
}
var CHARSETS = {
  ascii_letters: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
  ascii_lowercase: "abcdefghijklmnopqrstuvwxyz",
  ascii_uppercase: "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
  digits: "0123456789",
  hexdigits: "0123456789abcdefABCDEF",
  octdigits: "01234567",
  punctuation: "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
};
function passwordParams(term, kw) {
  const [path4, ...rest] = term.split(/\s+(?=\w+=)/);
  const params = { ...kw };
  for (const p of rest) {
    const [k, ...v] = p.split("=");
    params[k] = v.join("=");
  }
  options(Object.fromEntries(Object.keys(params).map((k) => [k, 1])), ["length", "chars"], "password");
  const chars = params.chars === void 0 ? ["ascii_letters", "digits", ".,:-_"] : Array.isArray(params.chars) ? params.chars.map(pyStr) : pyStr(params.chars).split(/,(?!,)/);
  return { path: path4, length: num(params.length === void 0 ? 20 : Number(params.length)), chars: chars.map((c) => CHARSETS[c] ?? c).join("") };
}
var LOOKUPS = {
  env: (_c, terms, kw) => {
    options(kw, ["default"], "env");
    return terms.map((t) => process.env[pyStr(t).split(/\s+/)[0]] ?? (kw.default ?? ""));
  },
  file: (ctx, terms, kw) => {
    options(kw, ["lstrip", "rstrip"], "file");
    return terms.map((t) => {
      const path4 = findFile(ctx, "files", pyStr(t));
      if (!path4 || !isFile(path4)) throw new ValueError(`could not locate file in lookup: ${pyStr(t)}`);
      let content = readFileSync3(path4, "utf8");
      if (truthy(kw.lstrip)) content = content.trimStart();
      if (kw.rstrip === void 0 || truthy(kw.rstrip)) content = content.trimEnd();
      return content;
    });
  },
  template: (ctx, terms, kw) => {
    options(kw, [], "template");
    return terms.map((t) => {
      const path4 = findFile(ctx, "templates", pyStr(t));
      if (!path4 || !isFile(path4)) throw new ValueError(`the template file ${pyStr(t)} could not be found for the lookup`);
      return ctx.host.renderFile(readFileSync3(path4, "utf8"), path4);
    });
  },
  vars: (ctx, terms, kw) => {
    options(kw, ["default"], "vars");
    return terms.map((t) => {
      if (typeof t !== "string") throw new ValueError(`Invalid setting identifier, "${pyStr(t)}" is not a string`);
      const v = ctx.variable(t);
      if (!(v instanceof Undefined)) return v;
      if (kw.default !== void 0 && kw.default !== null) return kw.default;
      throw new ValueError(`No variable found with this name: ${t}`);
    });
  },
  first_found: (ctx, terms, kw) => {
    let skip = truthy(kw.skip);
    const candidates = [];
    const add = (term, opts) => {
      if (isMapping(term)) return add(void 0, term);
      if (Array.isArray(term)) return term.forEach((x) => add(x, opts));
      const split = (v, seps) => v === void 0 || v === null ? [] : (Array.isArray(v) ? v.map(pyStr) : [pyStr(v)]).flatMap((x) => x.split(seps)).filter(Boolean);
      const files = split(opts.files, /[,;]/);
      const paths = split(opts.paths, /[,:;]/);
      if (opts.skip !== void 0) skip = truthy(opts.skip);
      if (paths.length > 0) for (const p of paths) for (const f of files) candidates.push(joinPath(p, f));
      else if (files.length > 0) candidates.push(...files);
      else if (term !== void 0) candidates.push(pyStr(term));
    };
    for (const t of terms) add(t, kw);
    for (const c of candidates) {
      const path4 = findFile(ctx, "files", c);
      if (path4) return [path4];
    }
    if (skip) return [];
    throw new ValueError("No file was found when using first_found.");
  },
  fileglob: (ctx, terms, kw) => {
    options(kw, [], "fileglob");
    return terms.flatMap((t) => {
      const term = pyStr(t);
      const file = basename(term);
      const dirs = file !== term ? [findFile(ctx, "files", dirname(term))] : ctx.host.searchPaths().flatMap((p) => [joinPath(p, "files"), p]);
      for (const d of dirs) {
        if (!d) continue;
        const found = glob(joinPath(d, file)).filter(isFile);
        if (found.length > 0) return found;
      }
      return [];
    });
  },
  lines: (ctx, terms, kw) => {
    options(kw, [], "lines");
    return terms.flatMap((t) => {
      try {
        const out = execFileSync("/bin/sh", ["-c", pyStr(t)], { cwd: ctx.host.searchPaths()[0], encoding: "utf8", stdio: ["pipe", "pipe", "inherit"], maxBuffer: 64 * 1024 * 1024 });
        return out.split(/\r\n|\n|\r/).filter((l, i, all) => i < all.length - 1 || l !== "");
      } catch (err) {
        throw new ValueError(`lookup_plugin.lines(${pyStr(t)}) returned ${err.status ?? "an error"}`);
      }
    });
  },
  password: (ctx, terms, kw) => terms.map((t) => {
    const p = passwordParams(pyStr(t), kw);
    const path4 = isAbsolute2(p.path) || p.path === "/dev/null" ? p.path : joinPath(ctx.host.searchPaths()[0], p.path);
    if (path4 !== "/dev/null" && existsSync2(path4)) return readFileSync3(path4, "utf8").replace(/\n$/, "").split(" salt=")[0];
    const password = Array.from({ length: p.length }, () => p.chars[randomInt3(p.chars.length)]).join("");
    if (path4 === "/dev/null") return password;
    mkdirSync(dirOf(path4), { recursive: true, mode: 448 });
    writeFileSync(path4, password + "\n", { mode: 384 });
    chmodSync(path4, 384);
    return password;
  })
};
function runLookup(ctx, name, terms, kw, wantList) {
  const lookup3 = Object.hasOwn(LOOKUPS, name) ? LOOKUPS[name] : void 0;
  if (!lookup3) throw new ValueError(`unknown lookup '${name}' (lookups: ${Object.keys(LOOKUPS).join(", ")})`);
  const { wantlist, errors, ...rest } = kw;
  let ran;
  try {
    ran = lookup3(ctx, terms, rest);
  } catch (err) {
    if (errors === "ignore" || errors === "warn") return wantList || truthy(wantlist) ? [] : null;
    throw err;
  }
  if (ran.length === 0 || wantList || truthy(wantlist)) return ran;
  if (ran.every((x) => typeof x === "string")) return ran.join(",");
  return ran.length === 1 ? ran[0] : ran;
}

// src/vars/jinja/functions.ts
var MAX_RANGE = 1e5;
function range(args) {
  if (args.length === 0 || args.length > 3) throw new ValueError(`range expected 1 to 3 arguments, got ${args.length}`);
  for (const a of args) if (!isInt(a) && typeof a !== "boolean") throw new ValueError(`'${typeName(a)}' object cannot be interpreted as an integer`);
  const [start, stop, step] = args.length === 1 ? [0, num(args[0]), 1] : [num(args[0]), num(args[1]), args.length === 3 ? num(args[2]) : 1];
  if (step === 0) throw new ValueError("range() arg 3 must not be zero");
  const n = Math.max(0, Math.ceil((stop - start) / step));
  if (n > MAX_RANGE) throw new ValueError(`range too big, refusing to make a list of ${n} items (the limit is ${MAX_RANGE})`);
  return Array.from({ length: n }, (_, i) => start + i * step);
}
var lookup = (wantList) => ({
  params: [],
  variadic: true,
  anyKwargs: true,
  fn: (ctx, _v, [name, ...terms], kw) => {
    if (name === void 0) throw new ValueError("the name of a lookup is missing");
    return runLookup(ctx, pyStr(name), terms, kw, wantList);
  }
});
var FUNCTIONS = Object.assign(/* @__PURE__ */ Object.create(null), {
  lookup: lookup(false),
  query: lookup(true),
  q: lookup(true),
  range: { params: [], variadic: true, fn: (_c, _v, args) => range(args) },
  dict: {
    params: [],
    variadic: true,
    anyKwargs: true,
    fn: (_c, _v, args, kw) => {
      const out = {};
      for (const a of args) {
        for (const pair of Array.isArray(a) ? a : []) {
          if (!Array.isArray(pair) || pair.length !== 2) throw new ValueError("dictionary update sequence element has the wrong length; 2 is required");
          out[pyStr(pair[0])] = pair[1];
        }
      }
      return Object.assign(out, kw);
    }
  }
});

// src/vars/jinja/methods.ts
var s = (v) => v;
var optStr = (v) => v === void 0 || v === null ? void 0 : pyStr(v);
function prefixes(name, p) {
  if (typeof p === "string") return [p];
  if (isTuple(p) && p.every((x) => typeof x === "string")) return p;
  throw new ValueError(`${name} first arg must be str or a tuple of str, not ${typeName(p)}`);
}
function window(str2, start, end) {
  const n = str2.length;
  const norm = (i, d) => {
    if (i === void 0 || i === null) return d;
    const x = num(i);
    return x < 0 ? Math.max(0, n + x) : Math.min(x, n);
  };
  const a = norm(start, 0);
  return [str2.slice(a, Math.max(a, norm(end, n))), a];
}
function find(str2, sub, start, end, last) {
  const [w, a] = window(str2, start, end);
  const i = last ? w.lastIndexOf(pyStr(sub)) : w.indexOf(pyStr(sub));
  return i < 0 ? -1 : i + a;
}
var pad2 = (str2, width, fill, side) => {
  const w = num(width);
  const f = pyStr(arg(fill, " "));
  if (str2.length >= w) return str2;
  const total = w - str2.length;
  if (side === "right") return str2 + f.repeat(total);
  if (side === "left") return f.repeat(total) + str2;
  const left = Math.floor(total / 2) + (total & w & 1);
  return f.repeat(left) + str2 + f.repeat(total - left);
};
var m = (params, fn, extra = {}) => ({
  params,
  fn: (_c, self, a, kw) => fn(self, a, kw),
  ...extra
});
var STR = {
  split: m(["sep", "maxsplit"], (v, [sep, max]) => pySplit(s(v), optStr(sep), num(arg(max, -1)))),
  rsplit: m(["sep", "maxsplit"], (v, [sep, max]) => pyRsplit(s(v), optStr(sep), num(arg(max, -1)))),
  splitlines: m(["keepends"], (v, [keep]) => splitlines(s(v), keep === true)),
  strip: m(["chars"], (v, [chars]) => pyStrip(s(v), optStr(chars), "both")),
  lstrip: m(["chars"], (v, [chars]) => pyStrip(s(v), optStr(chars), "left")),
  rstrip: m(["chars"], (v, [chars]) => pyStrip(s(v), optStr(chars), "right")),
  lower: m([], (v) => s(v).toLowerCase()),
  upper: m([], (v) => s(v).toUpperCase()),
  casefold: m([], (v) => s(v).toLowerCase()),
  swapcase: m([], (v) => [...s(v)].map((c) => c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()).join("")),
  capitalize: m([], (v) => pyCapitalize(s(v))),
  title: m([], (v) => pyTitle(s(v))),
  startswith: m(["prefix", "start", "end"], (v, [p, a, b]) => prefixes("startswith", p).some((x) => window(s(v), a, b)[0].startsWith(x))),
  endswith: m(["suffix", "start", "end"], (v, [p, a, b]) => prefixes("endswith", p).some((x) => window(s(v), a, b)[0].endsWith(x))),
  replace: m(["old", "new", "count"], (v, [o, n, c]) => {
    const limit = c === void 0 ? -1 : num(c);
    const parts = s(v).split(pyStr(o));
    if (limit < 0 || parts.length - 1 <= limit) return parts.join(pyStr(n));
    return parts.slice(0, limit + 1).join(pyStr(n)) + pyStr(o) + parts.slice(limit + 1).join(pyStr(o));
  }),
  join: m(
    ["iterable"],
    (v, [items]) => iterate(items).map((x, i) => {
      if (typeof x !== "string") throw new ValueError(`sequence item ${i}: expected str instance, ${typeName(x)} found`);
      return x;
    }).join(s(v))
  ),
  format: m([], (v, a, kw) => strFormat(s(v), a, kw), { variadic: true, anyKwargs: true }),
  find: m(["sub", "start", "end"], (v, [sub, a, b]) => find(s(v), sub, a, b, false)),
  rfind: m(["sub", "start", "end"], (v, [sub, a, b]) => find(s(v), sub, a, b, true)),
  index: m(["sub", "start", "end"], (v, [sub, a, b]) => {
    const i = find(s(v), sub, a, b, false);
    if (i < 0) throw new ValueError("substring not found");
    return i;
  }),
  rindex: m(["sub", "start", "end"], (v, [sub, a, b]) => {
    const i = find(s(v), sub, a, b, true);
    if (i < 0) throw new ValueError("substring not found");
    return i;
  }),
  count: m(["sub", "start", "end"], (v, [sub, a, b]) => {
    const w = window(s(v), a, b)[0];
    const x = pyStr(sub);
    return x === "" ? w.length + 1 : w.split(x).length - 1;
  }),
  isdigit: m([], (v) => /^\d+$/.test(s(v))),
  isdecimal: m([], (v) => /^\d+$/.test(s(v))),
  isnumeric: m([], (v) => /^\p{N}+$/u.test(s(v))),
  isalpha: m([], (v) => /^\p{L}+$/u.test(s(v))),
  isalnum: m([], (v) => /^[\p{L}\p{N}]+$/u.test(s(v))),
  isspace: m([], (v) => /^\s+$/.test(s(v))),
  islower: m([], (v) => s(v) !== s(v).toUpperCase() && s(v) === s(v).toLowerCase()),
  isupper: m([], (v) => s(v) !== s(v).toLowerCase() && s(v) === s(v).toUpperCase()),
  isidentifier: m([], (v) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(s(v))),
  zfill: m(["width"], (v, [w]) => {
    const str2 = s(v);
    const sign = /^[+-]/.test(str2) ? str2[0] : "";
    return sign + str2.slice(sign.length).padStart(num(w) - sign.length, "0");
  }),
  ljust: m(["width", "fillchar"], (v, [w, f]) => pad2(s(v), w, f, "right")),
  rjust: m(["width", "fillchar"], (v, [w, f]) => pad2(s(v), w, f, "left")),
  center: m(["width", "fillchar"], (v, [w, f]) => pad2(s(v), w, f, "center")),
  partition: m(["sep"], (v, [sep]) => {
    const i = s(v).indexOf(pyStr(sep));
    return tuple(i < 0 ? [s(v), "", ""] : [s(v).slice(0, i), pyStr(sep), s(v).slice(i + pyStr(sep).length)]);
  }),
  rpartition: m(["sep"], (v, [sep]) => {
    const i = s(v).lastIndexOf(pyStr(sep));
    return tuple(i < 0 ? ["", "", s(v)] : [s(v).slice(0, i), pyStr(sep), s(v).slice(i + pyStr(sep).length)]);
  }),
  removeprefix: m(["prefix"], (v, [p]) => s(v).startsWith(pyStr(p)) ? s(v).slice(pyStr(p).length) : s(v)),
  removesuffix: m(["suffix"], (v, [p]) => pyStr(p) !== "" && s(v).endsWith(pyStr(p)) ? s(v).slice(0, -pyStr(p).length) : s(v))
};
var LIST = {
  index: m(["value", "start", "end"], (v, [x]) => {
    const i = v.findIndex((y) => pyEquals(x, y));
    if (i < 0) throw new ValueError(`${pyStr(x)} is not in list`);
    return i;
  }),
  count: m(["value"], (v, [x]) => v.filter((y) => pyEquals(x, y)).length),
  copy: m([], (v) => [...v])
};
var DICT = {
  items: m([], (v) => Object.entries(v).map((p) => tuple(p))),
  keys: m([], (v) => Object.keys(v)),
  values: m([], (v) => Object.values(v)),
  get: m(["key", "default"], (v, [k, d]) => {
    const key = pyStr(k);
    const o = v;
    return Object.hasOwn(o, key) && o[key] !== void 0 ? o[key] : arg(d, null);
  }),
  copy: m([], (v) => ({ ...v }))
};
var LOOP = {
  cycle: m([], (v, a) => {
    if (a.length === 0) throw new ValueError("no items for cycling given");
    return a[num(v.index0) % a.length];
  }, { variadic: true })
};
var METHODS = { str: STR, list: LIST, dict: DICT, loop: LOOP };
function methodsOf(v) {
  if (typeof v === "string") return STR;
  if (Array.isArray(v)) return LIST;
  if (isLoop(v)) return LOOP;
  if (isMapping(v)) return DICT;
  return void 0;
}

// src/vars/jinja/version.ts
function loose(v) {
  return v.split(/(\d+|[a-z]+|\.)/).filter((x) => x && x !== ".").map((x) => /^\d+$/.test(x) ? Number(x) : x);
}
function strict(v) {
  const m2 = /^(\d+)\.(\d+)(\.(\d+))?([ab](\d+))?$/.exec(v);
  if (!m2) throw new ValueError(`invalid version number '${v}'`);
  const release = [Number(m2[1]), Number(m2[2]), Number(m2[4] ?? 0)];
  return [...release, m2[5] ? m2[5][0] : "z", m2[6] ? Number(m2[6]) : 0];
}
function semver(v) {
  const m2 = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/.exec(v);
  if (!m2) throw new ValueError(`invalid semantic version '${v}'`);
  return { core: [Number(m2[1]), Number(m2[2]), Number(m2[3])], pre: m2[4] ? m2[4].split(".").map((p) => /^\d+$/.test(p) ? Number(p) : p) : [] };
}
function cmpLists(a, b) {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return pyCompare(a[i], b[i]);
  }
  return a.length - b.length;
}
function cmpSemver(a, b) {
  const x = semver(a);
  const y = semver(b);
  const core = cmpLists(x.core, y.core);
  if (core !== 0) return core;
  if (x.pre.length === 0 || y.pre.length === 0) return y.pre.length - x.pre.length;
  for (let i = 0; i < Math.min(x.pre.length, y.pre.length); i++) {
    const [p, q] = [x.pre[i], y.pre[i]];
    if (p === q) continue;
    if (typeof p === "number" && typeof q === "number") return p - q;
    if (typeof p === "number") return -1;
    if (typeof q === "number") return 1;
    return p < q ? -1 : 1;
  }
  return x.pre.length - y.pre.length;
}
var OPERATORS = { "==": "eq", "=": "eq", eq: "eq", "<": "lt", lt: "lt", "<=": "le", le: "le", ">": "gt", gt: "gt", ">=": "ge", ge: "ge", "!=": "ne", "<>": "ne", ne: "ne" };
function versionCompare(value, version, operator, strictFlag, type) {
  if (!value) throw new ValueError("Input version value cannot be empty");
  if (!version) throw new ValueError("Version parameter to compare against cannot be empty");
  const op = OPERATORS[operator];
  if (!op) throw new ValueError(`Invalid operator type (${operator}). Must be one of ${Object.keys(OPERATORS).map((k) => `'${k}'`).join(", ")}`);
  const kind2 = strictFlag ? "strict" : type ?? "loose";
  let c;
  try {
    if (kind2 === "loose") c = cmpLists(loose(value), loose(version));
    else if (kind2 === "strict") c = cmpLists(strict(value), strict(version));
    else if (kind2 === "semver" || kind2 === "semantic") c = cmpSemver(value, version);
    else if (kind2 === "pep440") throw new ValueError("The pep440 version_type is not supported by pgha");
    else throw new ValueError(`Invalid version type (${kind2}). Must be one of 'loose', 'strict', 'semver', 'semantic', 'pep440'`);
  } catch (err) {
    throw new ValueError(`Version comparison failed: ${err.message}`);
  }
  return { eq: c === 0, ne: c !== 0, lt: c < 0, le: c <= 0, gt: c > 0, ge: c >= 0 }[op];
}

// src/vars/jinja/tests.ts
var test = (fn) => ({ params: [], fn: (_c, v) => fn(v) });
var test1 = (param, fn) => ({ params: [param], fn: (_c, v, [a]) => fn(v, a) });
function result(name, v) {
  if (!isMapping(v)) throw new ValueError(`The '${name}' test expects a dictionary`);
  return v;
}
function changed(v) {
  const r = result("changed", v);
  if (Object.hasOwn(r, "changed")) return truthy(r.changed);
  const results = r.results;
  return Array.isArray(results) && isMapping(results[0]) && results.some((x) => isMapping(x) && truthy(x.changed));
}
function regexTest(v, pattern, ignorecase, multiline, type) {
  const re = pyRegex(pyStr(arg(pattern, "")), { ignorecase: truthy(ignorecase), multiline: truthy(multiline) });
  const s2 = pyStr(v);
  if (type === "search") return pySearch(re, s2) !== null;
  const m2 = pySearch(re, s2, true);
  return m2 !== null && (type !== "fullmatch" || m2[0].length === s2.length);
}
var regexCallable = (type) => ({
  params: ["pattern", "ignorecase", "multiline"],
  fn: (_c, v, [p, i, m2]) => regexTest(v, p, i, m2, type)
});
function subset(a, b) {
  const bs = iterate(b);
  return iterate(a).every((x) => bs.some((y) => pyEquals(x, y)));
}
var order = (op, check) => test1("other", (v, o) => check(pyCompare(v, o, op)));
var eq = test1("other", (v, o) => pyEquals(v, o));
var ne = test1("other", (v, o) => !pyEquals(v, o));
var path2 = (fn) => test((v) => fn(pyStr(v)));
var resultTests = {
  failed: (v) => truthy(result("failed", v).failed),
  succeeded: (v) => !truthy(result("succeeded", v).failed),
  unreachable: (v) => truthy(result("unreachable", v).unreachable),
  skipped: (v) => truthy(result("skipped", v).skipped),
  finished: (v) => {
    const r = result("finished", v);
    return Object.hasOwn(r, "finished") ? pyEquals(r.finished, 1) : true;
  },
  started: (v) => {
    const r = result("started", v);
    return Object.hasOwn(r, "started") ? pyEquals(r.started, 1) : true;
  }
};
var TESTS = Object.assign(/* @__PURE__ */ Object.create(null), {
  // the evaluator hands these the undefined marker itself
  defined: test((v) => !(v instanceof Undefined)),
  undefined: test((v) => v instanceof Undefined),
  none: test((v) => v === null),
  boolean: test((v) => typeof v === "boolean"),
  true: test((v) => v === true),
  false: test((v) => v === false),
  integer: test((v) => isInt(v)),
  float: test((v) => isFloat(v)),
  number: test(isNumber),
  string: test((v) => typeof v === "string"),
  mapping: test(isMapping),
  sequence: test((v) => typeof v === "string" || Array.isArray(v) || isMapping(v)),
  iterable: test((v) => typeof v === "string" || Array.isArray(v) || isMapping(v)),
  callable: test((v) => typeName(v) === "object"),
  escaped: test(() => false),
  lower: test((v) => {
    const s2 = pyStr(v);
    return s2 !== s2.toUpperCase() && s2 === s2.toLowerCase();
  }),
  upper: test((v) => {
    const s2 = pyStr(v);
    return s2 !== s2.toLowerCase() && s2 === s2.toUpperCase();
  }),
  even: test((v) => num(v) % 2 === 0),
  odd: test((v) => Math.abs(num(v) % 2) === 1),
  divisibleby: test1("num", (v, n) => num(v) % num(n) === 0),
  sameas: test1("other", (v, o) => v === o && (v === null || typeof v === "boolean" || typeof v !== "object" || !isTuple(v))),
  in: test1("seq", (v, s2) => pyContains(s2, v)),
  eq,
  equalto: eq,
  "==": eq,
  ne,
  "!=": ne,
  lt: order("<", (c) => c < 0),
  lessthan: order("<", (c) => c < 0),
  "<": order("<", (c) => c < 0),
  le: order("<=", (c) => c <= 0),
  "<=": order("<=", (c) => c <= 0),
  gt: order(">", (c) => c > 0),
  greaterthan: order(">", (c) => c > 0),
  ">": order(">", (c) => c > 0),
  ge: order(">=", (c) => c >= 0),
  ">=": order(">=", (c) => c >= 0),
  filter: test((v) => typeof v === "string"),
  test: test((v) => typeof v === "string"),
  // Ansible's result tests
  failed: test(resultTests.failed),
  failure: test(resultTests.failed),
  succeeded: test(resultTests.succeeded),
  success: test(resultTests.succeeded),
  successful: test(resultTests.succeeded),
  unreachable: test(resultTests.unreachable),
  reachable: test((v) => !resultTests.unreachable(v)),
  changed: test(changed),
  change: test(changed),
  skipped: test(resultTests.skipped),
  skip: test(resultTests.skipped),
  finished: test(resultTests.finished),
  started: test(resultTests.started),
  // Ansible's string and data tests
  match: regexCallable("match"),
  search: regexCallable("search"),
  regex: {
    params: ["pattern", "ignorecase", "multiline", "match_type"],
    fn: (_c, v, [p, i, m2, type]) => regexTest(v, p, i, m2, pyStr(arg(type, "search")))
  },
  version: {
    params: ["version", "operator", "strict", "version_type"],
    fn: (_c, v, [version, operator, strict2, type]) => versionCompare(pyStr(v), pyStr(arg(version, "")), pyStr(arg(operator, "eq")), truthy(strict2), type === void 0 || type === null ? void 0 : pyStr(type))
  },
  any: test((v) => iterate(v).some(truthy)),
  all: test((v) => iterate(v).every(truthy)),
  truthy: { params: ["convert_bool"], fn: (_c, v, [convert2]) => truthy(truthy(convert2) ? toBool(v) : v) },
  falsy: { params: ["convert_bool"], fn: (_c, v, [convert2]) => !truthy(truthy(convert2) ? toBool(v) : v) },
  vault_encrypted: test(() => false),
  subset: test1("superset", subset),
  issubset: test1("superset", subset),
  superset: test1("subset", (a, b) => subset(b, a)),
  issuperset: test1("subset", (a, b) => subset(b, a)),
  contains: test1("value", (seq2, v) => pyContains(seq2, v)),
  nan: test((v) => isNumber(v) && Number.isNaN(num(v))),
  isnan: test((v) => isNumber(v) && Number.isNaN(num(v))),
  // Ansible's file tests, on the controller
  directory: path2(isDir),
  is_dir: path2(isDir),
  file: path2(isFile),
  is_file: path2(isFile),
  link: path2(isLink),
  is_link: path2(isLink),
  exists: path2(exists),
  abs: path2(isAbs),
  is_abs: path2(isAbs),
  same_file: test1("other", (a, b) => sameFile(pyStr(a), pyStr(b))),
  is_same_file: test1("other", (a, b) => sameFile(pyStr(a), pyStr(b))),
  mount: path2(isMount),
  is_mount: path2(isMount)
});
TESTS.version_compare = TESTS.version;

// src/vars/jinja/names.ts
function own(table, name) {
  return Object.hasOwn(table, name) ? table[name] : void 0;
}
var canonicalName = (name) => name.replace(/^ansible\.builtin\./, "");
var filterDef = (name) => own(FILTERS, name);
var testDef = (name) => own(TESTS, name);
var functionDef = (name) => own(FUNCTIONS, name);
var methodDef = (table, name) => table ? own(table, name) : void 0;
var isFilterName = (name) => filterDef(name) !== void 0;
var isTestName = (name) => testDef(name) !== void 0;
var isFunctionName = (name) => functionDef(name) !== void 0;
var isMethodName = (name) => Object.values(METHODS).some((t) => methodDef(t, name) !== void 0);
function knownNames(kind2) {
  const table = kind2 === "filter" ? FILTERS : kind2 === "test" ? TESTS : kind2 === "function" ? FUNCTIONS : Object.assign({}, ...Object.values(METHODS));
  return Object.keys(table).sort().join(", ");
}

// src/vars/jinja/evaluate.ts
var Scope = class {
  constructor(root, parent) {
    this.root = root;
    this.parent = parent;
  }
  root;
  parent;
  own;
  set(name, value) {
    ;
    (this.own ??= /* @__PURE__ */ new Map()).set(name, value);
  }
  lookup(name) {
    for (let s2 = this; s2; s2 = s2.parent) if (s2.own?.has(name)) return s2.own.get(name);
    return readOwn(this.root, name);
  }
};
var BoundMethod = class {
  constructor(self, name) {
    this.self = self;
    this.name = name;
  }
  self;
  name;
  toString() {
    return `<built-in method ${this.name} of ${typeof this.self === "string" ? "str" : Array.isArray(this.self) ? "list" : "dict"} object>`;
  }
};
var MISSING = /* @__PURE__ */ Symbol("missing");
function readOwn(obj, key) {
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) return MISSING;
  if (!Object.hasOwn(obj, key)) return MISSING;
  const v = obj[key];
  if (v === void 0) return MISSING;
  return isUnsafe(v) ? v.text : v;
}
function index(seq2, key) {
  if (!isInt(key) && typeof key !== "boolean") return MISSING;
  const n = num(key);
  const i = n < 0 ? seq2.length + n : n;
  if (i < 0 || i >= seq2.length) return MISSING;
  const v = seq2[i];
  return isUnsafe(v) ? v.text : v;
}
function getAttribute(obj, name) {
  if (methodDef(methodsOf(obj), name)) return new BoundMethod(obj, name);
  if (isMapping(obj)) return readOwn(obj, name);
  return MISSING;
}
function getItem(obj, key) {
  if (typeof obj === "string" || Array.isArray(obj)) {
    const v = index(obj, key);
    return v === MISSING && typeof key === "string" ? getAttribute(obj, key) : v;
  }
  if (isMapping(obj)) {
    const k = typeof key === "string" ? key : isInt(key) ? String(key) : void 0;
    const v = k === void 0 ? MISSING : readOwn(obj, k);
    return v === MISSING && typeof key === "string" ? getAttribute(obj, key) : v;
  }
  return MISSING;
}
var Evaluator = class {
  constructor(host, scope) {
    this.host = host;
    this.scope = scope;
  }
  host;
  scope;
  withScope(scope, fn) {
    const before = this.scope;
    this.scope = scope;
    try {
      return fn();
    } finally {
      this.scope = before;
    }
  }
  get current() {
    return this.scope;
  }
  /** The value, with an undefined one an error naming it. */
  value(e) {
    const v = this.ev(e);
    if (v instanceof Undefined) throw undefinedError(v);
    return v;
  }
  /** The value, deep: an undefined value inside a list or dict is an error too (Ansible's finalize). */
  output(e) {
    const v = this.value(e);
    failOnUndefined(v);
    return v;
  }
  ev(e) {
    switch (e.kind) {
      case "const":
        return e.value !== null && typeof e.value === "object" ? float(e.value.float) : e.value;
      case "list":
        return e.items.map((x) => this.value(x));
      case "tuple":
        return tuple(e.items.map((x) => this.value(x)));
      case "dict": {
        const out = {};
        for (const [k, v] of e.pairs) out[pyStr(this.value(k))] = this.value(v);
        return out;
      }
      case "name": {
        const v = this.scope.lookup(e.name);
        return v === MISSING ? new Undefined(e.name, e.pos, true) : v;
      }
      case "attr": {
        const obj = this.ev(e.object);
        if (obj instanceof Undefined) return obj.root ? obj : new Undefined(e.text, obj.pos);
        const v = getAttribute(obj, e.name);
        return v === MISSING ? new Undefined(e.text, e.pos) : v;
      }
      case "item": {
        const obj = this.ev(e.object);
        if (obj instanceof Undefined) return obj.root ? obj : new Undefined(e.text, obj.pos);
        const v = getItem(obj, this.value(e.index));
        return v === MISSING ? new Undefined(e.text, e.pos) : v;
      }
      case "slice":
        return this.slice(e);
      case "not":
        return !truthy(this.value(e.operand));
      case "neg":
      case "pos": {
        const v = this.value(e.operand);
        if (!isNumber(v)) {
          throw new JinjaError(`bad operand type for unary ${e.kind === "neg" ? "-" : "+"}: '${pyTypeOf(v)}'`, e.pos);
        }
        return binary(e.kind === "neg" ? "*" : "+", e.kind === "neg" ? -1 : 0, v);
      }
      case "binary":
        return this.guard(e.pos, () => binary(e.op, this.value(e.left), this.value(e.right)));
      case "and": {
        const l = this.value(e.left);
        return truthy(l) ? this.value(e.right) : l;
      }
      case "or": {
        const l = this.value(e.left);
        return truthy(l) ? l : this.value(e.right);
      }
      case "compare":
        return this.compare(e);
      case "cond":
        if (truthy(this.value(e.test))) return this.ev(e.then);
        return e.else ? this.ev(e.else) : new Undefined("the inline if-expression evaluated to false and has no else", e.pos);
      case "filter":
        return this.applyFilter(e);
      case "test":
        return this.applyTest(e);
      case "call":
        return this.call(e);
    }
  }
  guard(pos, fn) {
    try {
      return fn();
    } catch (err) {
      if (err instanceof ValueError) throw new JinjaError(err.message, pos);
      throw err;
    }
  }
  compare(e) {
    let left = this.value(e.left);
    for (const { op, right: r, pos } of e.ops) {
      const right = this.value(r);
      if (!this.guard(pos, () => compareOnce(op, left, right))) return false;
      left = right;
    }
    return true;
  }
  slice(e) {
    const obj = this.value(e.object);
    const bound = (x) => {
      if (!x) return void 0;
      const v = this.value(x);
      if (v === null) return void 0;
      if (!isInt(v) && typeof v !== "boolean") throw new JinjaError("slice indices must be integers or None", x.pos);
      return num(v);
    };
    const [start, stop, step] = [bound(e.start), bound(e.stop), bound(e.step)];
    if (typeof obj !== "string" && !Array.isArray(obj)) throw new JinjaError(`'${pyTypeOf(obj)}' object is not subscriptable`, e.pos);
    if (step === 0) throw new JinjaError("slice step cannot be zero", e.pos);
    const items = typeof obj === "string" ? [...obj] : obj;
    const picked = pySlice(items, start, stop, step ?? 1);
    if (typeof obj === "string") return picked.join("");
    return isTuple(obj) ? tuple(picked) : picked;
  }
  /** Binds positional and keyword arguments to a callable's parameters. */
  bind(what, def, a, pos, lazy = false) {
    const args = a.args.map((x) => lazy ? this.ev(x) : this.value(x));
    const kwargs = {};
    if (args.length > def.params.length && !def.variadic) {
      throw new JinjaError(`${what} takes at most ${def.params.length} argument(s), got ${args.length}`, pos);
    }
    for (const [name, x] of a.kwargs) {
      const i = def.params.indexOf(name);
      const v = lazy ? this.ev(x) : this.value(x);
      if (i >= 0) {
        if (i < a.args.length) throw new JinjaError(`${what} got multiple values for argument '${name}'`, x.pos);
        args[i] = v;
      } else if (def.anyKwargs) kwargs[name] = v;
      else throw new JinjaError(`${what} got an unexpected keyword argument '${name}' (arguments: ${def.params.join(", ") || "none"})`, x.pos);
    }
    return { args, kwargs };
  }
  run(what, pos, fn) {
    try {
      return fn();
    } catch (err) {
      if (err instanceof ValueError) throw new JinjaError(`${what}: ${err.message}`, pos);
      throw err;
    }
  }
  applyFilter(e) {
    const def = filterDef(e.name);
    const lenient = LENIENT_FILTERS.has(e.name);
    const value = lenient ? this.ev(e.operand) : this.value(e.operand);
    const { args, kwargs } = this.bind(`filter '${e.name}'`, def, e, e.pos, lenient);
    return this.run(`filter '${e.name}'`, e.pos, () => def.fn(this, value, args, kwargs));
  }
  applyTest(e) {
    const def = testDef(e.name);
    const value = e.name === "defined" || e.name === "undefined" ? this.ev(e.operand) : this.value(e.operand);
    const { args, kwargs } = this.bind(`test '${e.name}'`, def, e, e.pos);
    const ok = this.run(`test '${e.name}'`, e.pos, () => def.fn(this, value, args, kwargs));
    return e.negated ? !ok : ok;
  }
  call(e) {
    const callee = e.callee;
    if (callee.kind === "name") {
      const def2 = functionDef(callee.name);
      const { args: args2, kwargs: kwargs2 } = this.bind(`${callee.name}()`, def2, e, callee.pos);
      return this.run(`${callee.name}()`, callee.pos, () => def2.fn(this, void 0, args2, kwargs2));
    }
    if (callee.kind !== "attr") throw new JinjaError("only methods and functions can be called", e.pos);
    const self = this.value(callee.object);
    const def = methodDef(methodsOf(self), callee.name);
    const at = callee.pos + callee.text.lastIndexOf(callee.name);
    if (!def) throw new JinjaError(`'${pyTypeOf(self)}' object has no method '${callee.name}'`, at);
    const { args, kwargs } = this.bind(`${callee.name}()`, def, e, at);
    return this.run(`${callee.name}()`, at, () => def.fn(this, self, args, kwargs));
  }
  // CallContext: what filters and tests use
  filter(name, value, args, kwargs = {}) {
    const def = filterDef(name);
    if (!def) throw new ValueError(`no filter named '${name}'`);
    return def.fn(this, value, args, kwargs);
  }
  test(name, value, args, kwargs = {}) {
    const def = testDef(name);
    if (!def) throw new ValueError(`no test named '${name}'`);
    if (value instanceof Undefined && name !== "defined" && name !== "undefined") throw undefinedError(value);
    const bound = [...args];
    for (const [k, v] of Object.entries(kwargs)) {
      const i = def.params.indexOf(k);
      if (i < 0) throw new ValueError(`test '${name}' got an unexpected keyword argument '${k}'`);
      bound[i] = v;
    }
    return def.fn(this, value, bound, {});
  }
  attribute(obj, path4) {
    let cur = obj;
    for (const part of typeof path4 === "number" ? [path4] : path4.split(".")) {
      const v = getItem(cur, /^\d+$/.test(String(part)) ? Number(part) : part);
      if (v === MISSING) return new Undefined(String(path4), 0);
      cur = v;
    }
    return cur;
  }
  variable(name) {
    const v = this.scope.lookup(name);
    return v === MISSING ? new Undefined(name, 0) : v;
  }
};
var LENIENT_FILTERS = /* @__PURE__ */ new Set(["default", "d", "mandatory", "ternary"]);
function compareOnce(op, a, b) {
  switch (op) {
    case "==":
      return pyEquals(a, b);
    case "!=":
      return !pyEquals(a, b);
    case "in":
      return pyContains(b, a);
    case "not in":
      return !pyContains(b, a);
    default: {
      const c = pyCompare(a, b, op);
      return op === "<" ? c < 0 : op === ">" ? c > 0 : op === "<=" ? c <= 0 : c >= 0;
    }
  }
}
function pySlice(items, start, stop, step) {
  const n = items.length;
  const norm = (i, lo, hi) => i < 0 ? Math.max(i + n, lo) : Math.min(i, hi);
  const out = [];
  if (step > 0) {
    const s2 = start === void 0 ? 0 : norm(start, 0, n);
    const e = stop === void 0 ? n : norm(stop, 0, n);
    for (let i = s2; i < e; i += step) out.push(items[i]);
  } else {
    const s2 = start === void 0 ? n - 1 : norm(start, -1, n - 1);
    const e = stop === void 0 ? -1 : norm(stop, -1, n - 1);
    for (let i = s2; i > e; i += step) out.push(items[i]);
  }
  return out;
}
var pyTypeOf = (v) => isLoop(v) ? "LoopContext" : v instanceof BoundMethod ? "builtin_function_or_method" : typeName(v);
function failOnUndefined(v) {
  if (v instanceof Undefined) throw undefinedError(v);
  if (Array.isArray(v)) for (const x of v) failOnUndefined(x);
  else if (isMapping(v) && !Object.isFrozen(v)) for (const x of Object.values(v)) failOnUndefined(x);
}

// src/vars/jinja/lexer.ts
var OPERATORS2 = ["//", "**", "==", "!=", ">=", "<=", "+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}", ">", "<", "=", ".", ":", "|", ",", ";"];
var HABITS = [
  ["===", "use '=='"],
  ["!==", "use '!='"],
  ["&&", "use 'and'"],
  ["||", "use 'or'"]
];
var FLOAT = /(\d+_)*\d+((\.(\d+_)*\d+)?[eE][+-]?(\d+_)*\d+|\.(\d+_)*\d+)/y;
var INTEGER = /(0[bB](_?[01])+|0[oO](_?[0-7])+|0[xX](_?[\da-fA-F])+|[1-9](_?\d)*|0(_?0)*)/y;
var NAME = /[a-zA-Z_][a-zA-Z0-9_]*/y;
var STRING = /'([^'\\]*(?:\\.[^'\\]*)*)'|"([^"\\]*(?:\\.[^"\\]*)*)"/sy;
var WHITESPACE = /\s+/y;
var TAG_START = /\{\{|\{%|\{#/g;
var RAW_BEGIN = /\{%[-+]?\s*raw\s*(-%\}\s*|%\})/y;
var normalizeNewlines = (s2) => s2.replace(/\r\n|\r/g, "\n");
function sticky(re, text2, at) {
  re.lastIndex = at;
  return re.exec(text2)?.[0];
}
function unescapePython(body, pos) {
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== "\\" || i + 1 >= body.length) {
      out += c;
      continue;
    }
    const n = body[++i];
    const simple2 = { n: "\n", t: "	", r: "\r", "\\": "\\", "'": "'", '"': '"', a: "\x07", b: "\b", f: "\f", v: "\v", "\n": "" };
    if (n in simple2) out += simple2[n];
    else if (/[0-7]/.test(n)) {
      const oct = /^[0-7]{1,3}/.exec(body.slice(i))?.[0];
      out += String.fromCodePoint(parseInt(oct, 8));
      i += oct.length - 1;
    } else if (n === "x" || n === "u" || n === "U") {
      const len = n === "x" ? 2 : n === "u" ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) throw new JinjaError(`truncated \\${n} escape in a string`, pos, true);
      out += String.fromCodePoint(parseInt(hex, 16));
      i += len;
    } else out += "\\" + n;
  }
  return out;
}
function lexTag(text2, at, end, opts, inVariable, out, tagStart = at) {
  let i = at;
  const stop = text2.length;
  const balance = [];
  while (i < stop) {
    if (end && balance.length === 0) {
      const sign = text2[i] === "-" || text2[i] === "+" ? text2[i] : "";
      if (text2.startsWith(end, i + sign.length)) {
        out.push({ kind: end === "}}" ? "var_end" : "block_end", value: end, pos: i });
        return { next: i + sign.length + end.length, strip: sign === "-", trim: sign === "" && end === "%}" };
      }
    }
    const ws = sticky(WHITESPACE, text2, i);
    if (ws) {
      i += ws.length;
      continue;
    }
    const f = /\d/.test(text2[i]) && text2[i - 1] !== "." ? sticky(FLOAT, text2, i) : void 0;
    if (f) {
      out.push({ kind: "float", value: f, pos: i });
      i += f.length;
      continue;
    }
    const n = /\d/.test(text2[i]) ? sticky(INTEGER, text2, i) : void 0;
    if (n) {
      out.push({ kind: "int", value: n, pos: i });
      i += n.length;
      continue;
    }
    const name = sticky(NAME, text2, i);
    if (name) {
      out.push({ kind: "name", value: name, pos: i });
      i += name.length;
      continue;
    }
    if (text2[i] === "'" || text2[i] === '"') {
      const s2 = sticky(STRING, text2, i);
      if (!s2) throw new JinjaError("unexpected end of string: the quote is never closed", i, true);
      const body = normalizeNewlines(s2.slice(1, -1));
      if (opts.literalBackslashes && inVariable) {
        const escapedQuote = /\\./g;
        for (const m2 of body.matchAll(escapedQuote)) {
          if (m2[0][1] === s2[0]) {
            throw new JinjaError(`in a playbook string, a backslash inside {{ }} is taken literally (as Ansible does), so \\${s2[0]} does not escape the quote; use the other quote character`, i + 1 + (m2.index ?? 0), true);
          }
        }
      }
      out.push({ kind: "string", value: opts.literalBackslashes && inVariable ? body : unescapePython(body, i), pos: i });
      i += s2.length;
      continue;
    }
    const habit = HABITS.find(([h]) => text2.startsWith(h, i));
    if (habit) throw new JinjaError(`'${habit[0]}' is not an operator in Jinja2; ${habit[1]}`, i, true);
    const op = OPERATORS2.find((o) => text2.startsWith(o, i));
    if (!op) throw new JinjaError(text2[i] === "!" ? "'!' is not an operator in Jinja2; use 'not'" : `unexpected character '${text2[i]}'`, i, true);
    if (op === "{" || op === "(" || op === "[") balance.push(op === "{" ? "}" : op === "(" ? ")" : "]");
    else if (op === "}" || op === ")" || op === "]") {
      const expected = balance.pop();
      if (expected === void 0) throw new JinjaError(`unexpected '${op}'`, i, true);
      if (expected !== op) throw new JinjaError(`unexpected '${op}', expected '${expected}'`, i, true);
    }
    out.push({ kind: "op", value: op, pos: i });
    i += op.length;
  }
  if (end) throw new JinjaError(`'${end === "}}" ? "{{" : "{%"}' is never closed; add '${end}'`, tagStart, true);
  return { next: i, strip: false, trim: false };
}
function lexExpression(text2, start = 0, end = text2.length) {
  const out = [];
  lexTag(text2.slice(0, end), start, void 0, { trimBlocks: false, literalBackslashes: false }, false, out);
  out.push({ kind: "eof", value: "", pos: end });
  return out;
}
function lexTemplate(source, opts) {
  const text2 = source.replace(/(\r\n|\r|\n)$/, "");
  const out = [];
  let i = 0;
  let lstrip = "none";
  const data = (from, to, rstrip) => {
    let s2 = text2.slice(from, to);
    let at = from;
    if (lstrip === "all") {
      const t = s2.replace(/^\s+/, "");
      at += s2.length - t.length;
      s2 = t;
    } else if (lstrip === "newline" && s2.startsWith("\n")) {
      s2 = s2.slice(1);
      at++;
    }
    lstrip = "none";
    if (rstrip) s2 = s2.replace(/\s+$/, "");
    if (s2 !== "") out.push({ kind: "data", value: normalizeNewlines(s2), pos: at });
  };
  TAG_START.lastIndex = 0;
  while (i < text2.length) {
    TAG_START.lastIndex = i;
    const m2 = TAG_START.exec(text2);
    if (!m2) {
      data(i, text2.length, false);
      break;
    }
    const at = m2.index;
    const sign = text2[at + 2] === "-" || text2[at + 2] === "+" ? text2[at + 2] : "";
    const inner = at + 2 + sign.length;
    const raw = m2[0] === "{%" ? sticky(RAW_BEGIN, text2, at) : void 0;
    data(i, at, sign === "-");
    if (raw) {
      const close = /\{%([-+]?)\s*endraw\s*(\+%\}|-%\}\s*|%\}\n?)/g;
      close.lastIndex = at + raw.length;
      const e = close.exec(text2);
      if (!e) throw new JinjaError("'{% raw %}' is never closed; add '{% endraw %}'", at, true);
      if (raw.includes("-%}")) lstrip = "all";
      data(at + raw.length, e.index, e[1] === "-");
      i = e.index + e[0].length;
      if (!opts.trimBlocks && e[2].startsWith("%}") && e[2].endsWith("\n")) i--;
      continue;
    }
    if (m2[0] === "{#") {
      const close = /(\+#\}|-#\}\s*|#\}\n?)/g;
      close.lastIndex = inner;
      const e = close.exec(text2);
      if (!e) throw new JinjaError("a comment '{#' is never closed; add '#}'", at, true);
      i = e.index + e[0].length;
      if (!opts.trimBlocks && e[0].startsWith("#}") && e[0].endsWith("\n")) i--;
      continue;
    }
    const variable = m2[0] === "{{";
    out.push({ kind: variable ? "var_begin" : "block_begin", value: m2[0], pos: at });
    const end = variable ? "}}" : "%}";
    const tag = lexTag(text2, inner, end, opts, variable, out, at);
    i = tag.next;
    if (tag.strip) lstrip = "all";
    else if (tag.trim && opts.trimBlocks) lstrip = "newline";
  }
  out.push({ kind: "eof", value: "", pos: source.length });
  return out;
}

// src/vars/jinja/parser.ts
var COMPARE = /* @__PURE__ */ new Set(["==", "!=", "<", ">", "<=", ">="]);
var CONSTANTS = { true: true, false: false, True: true, False: false, none: null, None: null };
var TokenStream = class {
  constructor(text2, tokens) {
    this.text = text2;
    this.tokens = tokens;
  }
  text;
  tokens;
  i = 0;
  get current() {
    return this.tokens[Math.min(this.i, this.tokens.length - 1)];
  }
  look(n = 1) {
    return this.tokens[Math.min(this.i + n, this.tokens.length - 1)];
  }
  next() {
    const t = this.current;
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }
  is(kind2, value, t = this.current) {
    return t.kind === kind2 && (value === void 0 || t.value === value);
  }
  isOp(value, t = this.current) {
    return this.is("op", value, t);
  }
  isName(value, t = this.current) {
    return this.is("name", value, t);
  }
  skipOp(value) {
    if (!this.isOp(value)) return false;
    this.next();
    return true;
  }
  skipName(value) {
    if (!this.isName(value)) return false;
    this.next();
    return true;
  }
  fail(message, t = this.current) {
    throw new JinjaError(message, t.pos, true);
  }
  unexpected(t = this.current) {
    if (t.kind === "eof") this.fail("unexpected end of expression", t);
    if (t.kind === "var_end" || t.kind === "block_end") this.fail(`unexpected '${t.value}': an expression is missing or incomplete`, t);
    if (this.isOp("=", t)) this.fail("a single '=' assigns nothing here; compare with '=='", t);
    this.fail(`unexpected '${t.kind === "string" ? this.text.slice(t.pos, t.pos + 20).split(/\s/)[0] : t.value}'`, t);
  }
  expectOp(value) {
    if (!this.isOp(value)) {
      if (this.current.kind === "eof" || this.current.kind === "var_end" || this.current.kind === "block_end") this.fail(`expected '${value}'`);
      this.unexpected();
    }
    return this.next();
  }
  expectName(what) {
    if (this.current.kind !== "name") this.fail(`expected a ${what}`);
    return this.next();
  }
  /** The source text from `from` up to (not including) the current token. */
  textFrom(from) {
    const prev = this.tokens[this.i - 1];
    const end = prev.kind === "string" ? this.text.indexOf(this.text[prev.pos], prev.pos + 1) + 1 : prev.pos + prev.value.length;
    return this.text.slice(from, Math.max(end, from)).trim();
  }
};
var ExpressionParser = class {
  constructor(s2) {
    this.s = s2;
  }
  s;
  /** parse_tuple: an expression, or a tuple when commas follow (`{{ a, b }}`, `for k, v in ...`). */
  tuple(withCond = true, endNames = [], parenthesized = false) {
    const pos = this.s.current.pos;
    const items = [];
    let isTuple2 = false;
    for (; ; ) {
      if (items.length > 0) this.s.expectOp(",");
      if (this.tupleEnd(endNames)) break;
      items.push(withCond ? this.expression() : this.or());
      if (this.s.isOp(",")) isTuple2 = true;
      else break;
    }
    if (!isTuple2) {
      if (items.length === 1) return items[0];
      if (!parenthesized) this.s.unexpected();
    }
    return { kind: "tuple", items, pos };
  }
  tupleEnd(endNames) {
    const t = this.s.current;
    return t.kind === "var_end" || t.kind === "block_end" || t.kind === "eof" || this.s.isOp(")") || endNames.some((n) => this.s.isName(n));
  }
  expression() {
    let e = this.or();
    while (this.s.isName("if")) {
      const pos = this.s.next().pos;
      const test2 = this.or();
      const otherwise = this.s.skipName("else") ? this.expression() : void 0;
      e = { kind: "cond", test: test2, then: e, else: otherwise, pos };
    }
    return e;
  }
  or() {
    let left = this.and();
    while (this.s.isName("or")) {
      const pos = this.s.next().pos;
      left = { kind: "or", left, right: this.and(), pos };
    }
    return left;
  }
  and() {
    let left = this.not();
    while (this.s.isName("and")) {
      const pos = this.s.next().pos;
      left = { kind: "and", left, right: this.not(), pos };
    }
    return left;
  }
  not() {
    if (this.s.isName("not")) {
      const pos = this.s.next().pos;
      return { kind: "not", operand: this.not(), pos };
    }
    return this.compare();
  }
  compare() {
    const left = this.math1();
    const ops = [];
    for (; ; ) {
      const t = this.s.current;
      if (t.kind === "op" && COMPARE.has(t.value)) {
        this.s.next();
        ops.push({ op: t.value, right: this.math1(), pos: t.pos });
      } else if (this.s.isName("in")) {
        this.s.next();
        ops.push({ op: "in", right: this.math1(), pos: t.pos });
      } else if (this.s.isName("not") && this.s.isName("in", this.s.look())) {
        this.s.next();
        this.s.next();
        ops.push({ op: "not in", right: this.math1(), pos: t.pos });
      } else break;
    }
    return ops.length === 0 ? left : { kind: "compare", left, ops, pos: left.pos };
  }
  binary(next, ops) {
    let left = next();
    while (this.s.current.kind === "op" && ops.includes(this.s.current.value)) {
      const t = this.s.next();
      left = { kind: "binary", op: t.value, left, right: next(), pos: t.pos };
    }
    return left;
  }
  math1 = () => this.binary(this.concat, ["+", "-"]);
  concat = () => this.binary(this.math2, ["~"]);
  math2 = () => this.binary(this.pow, ["*", "/", "//", "%"]);
  pow = () => this.binary(() => this.unary(), ["**"]);
  unary(withFilter = true) {
    const t = this.s.current;
    let node;
    if (this.s.isOp("-") || this.s.isOp("+")) {
      this.s.next();
      node = { kind: t.value === "-" ? "neg" : "pos", operand: this.unary(false), pos: t.pos };
    } else node = this.primary();
    node = this.postfix(node);
    return withFilter ? this.filterExpr(node) : node;
  }
  primary() {
    const t = this.s.current;
    const pos = t.pos;
    if (t.kind === "name") {
      this.s.next();
      if (Object.hasOwn(CONSTANTS, t.value)) return { kind: "const", value: CONSTANTS[t.value], pos };
      return { kind: "name", name: t.value, pos };
    }
    if (t.kind === "string") {
      let value = "";
      while (this.s.current.kind === "string") value += this.s.next().value;
      return { kind: "const", value, pos };
    }
    if (t.kind === "int") {
      this.s.next();
      const clean = t.value.replace(/_/g, "");
      const n = /^0[bB]/.test(clean) ? parseInt(clean.slice(2), 2) : /^0[oO]/.test(clean) ? parseInt(clean.slice(2), 8) : Number(clean);
      return { kind: "const", value: n, pos };
    }
    if (t.kind === "float") {
      this.s.next();
      return { kind: "const", value: { float: Number(t.value.replace(/_/g, "")) }, pos };
    }
    if (this.s.isOp("(")) {
      this.s.next();
      const inner = this.tuple(true, [], true);
      this.s.expectOp(")");
      return inner;
    }
    if (this.s.isOp("[")) {
      this.s.next();
      const items = [];
      while (!this.s.isOp("]")) {
        if (items.length > 0) this.s.expectOp(",");
        if (this.s.isOp("]")) break;
        items.push(this.expression());
      }
      this.s.expectOp("]");
      return { kind: "list", items, pos };
    }
    if (this.s.isOp("{")) {
      this.s.next();
      const pairs = [];
      while (!this.s.isOp("}")) {
        if (pairs.length > 0) this.s.expectOp(",");
        if (this.s.isOp("}")) break;
        const key = this.expression();
        this.s.expectOp(":");
        pairs.push([key, this.expression()]);
      }
      this.s.expectOp("}");
      return { kind: "dict", pairs, pos };
    }
    this.s.unexpected();
  }
  postfix(node) {
    for (; ; ) {
      if (this.s.isOp(".") || this.s.isOp("[")) node = this.subscript(node);
      else if (this.s.isOp("(")) node = this.call(node);
      else return node;
    }
  }
  filterExpr(node) {
    for (; ; ) {
      if (this.s.isOp("|")) node = this.filter(node);
      else if (this.s.isName("is")) node = this.test(node);
      else if (this.s.isOp("(")) node = this.call(node);
      else return node;
    }
  }
  subscript(node) {
    const t = this.s.next();
    const start = node.pos;
    if (t.value === ".") {
      const attr = this.s.current;
      if (attr.kind === "name") {
        this.s.next();
        return { kind: "attr", object: node, name: attr.value, text: this.s.textFrom(start), pos: start };
      }
      if (attr.kind !== "int") this.s.fail("expected a name or a number after '.'");
      this.s.next();
      return { kind: "item", object: node, index: { kind: "const", value: Number(attr.value), pos: attr.pos }, text: this.s.textFrom(start), pos: start };
    }
    const parts = [];
    while (!this.s.isOp("]")) {
      if (parts.length > 0) this.s.expectOp(",");
      parts.push(this.subscribed(node, start));
    }
    this.s.expectOp("]");
    if (parts.length === 0) this.s.fail("expected an index between '[' and ']'");
    const index3 = parts.length === 1 ? parts[0] : { kind: "tuple", items: parts, pos: parts[0].pos };
    if (index3.kind === "slice") return index3;
    return { kind: "item", object: node, index: index3, text: this.s.textFrom(start), pos: start };
  }
  /** One subscript: an index or a slice `a:b:c` (returned as a slice node of `object`). */
  subscribed(object, pos) {
    const parts = [];
    if (this.s.isOp(":")) parts.push(void 0);
    else {
      const e = this.expression();
      if (!this.s.isOp(":")) return e;
      parts.push(e);
    }
    this.s.next();
    parts.push(this.s.isOp("]") || this.s.isOp(",") || this.s.isOp(":") ? void 0 : this.expression());
    if (this.s.skipOp(":")) parts.push(this.s.isOp("]") || this.s.isOp(",") ? void 0 : this.expression());
    return { kind: "slice", object, start: parts[0], stop: parts[1], step: parts[2], pos };
  }
  callArgs() {
    this.s.expectOp("(");
    const args = [];
    const kwargs = [];
    while (!this.s.isOp(")")) {
      if (args.length + kwargs.length > 0) this.s.expectOp(",");
      if (this.s.isOp(")")) break;
      if (this.s.isOp("*") || this.s.isOp("**")) this.s.fail("'*args' and '**kwargs' in calls are not supported");
      if (this.s.current.kind === "name" && this.s.isOp("=", this.s.look())) {
        const name = this.s.next().value;
        this.s.next();
        kwargs.push([name, this.expression()]);
      } else {
        if (kwargs.length > 0) this.s.fail("a positional argument cannot follow keyword arguments");
        args.push(this.expression());
      }
    }
    this.s.expectOp(")");
    return { args, kwargs };
  }
  call(callee) {
    const pos = this.s.current.pos;
    if (callee.kind === "attr") {
      if (!isMethodName(callee.name)) throw new JinjaError(`'${callee.name}' is not a method pgha knows (methods: ${knownNames("method")})`, callee.pos + callee.text.lastIndexOf(callee.name), true);
    } else if (callee.kind === "name") {
      if (!isFunctionName(callee.name)) throw new JinjaError(`unknown function '${callee.name}' (functions: ${knownNames("function")})`, callee.pos, true);
    } else {
      this.s.fail("only methods of values and the functions lookup, query, q, range and dict can be called", this.s.current);
    }
    return { kind: "call", callee, ...this.callArgs(), pos };
  }
  dottedName(what) {
    const first2 = this.s.expectName(what);
    let name = first2.value;
    while (this.s.isOp(".")) {
      this.s.next();
      name += "." + this.s.expectName(what).value;
    }
    return { ...first2, value: name };
  }
  filter(node) {
    this.s.next();
    const t = this.dottedName("filter name");
    const name = canonicalName(t.value);
    if (!isFilterName(name)) throw new JinjaError(`unknown filter '${t.value}'${suggest(t.value, "filter")}`, t.pos, true);
    const a = this.s.isOp("(") ? this.callArgs() : { args: [], kwargs: [] };
    return { kind: "filter", name, operand: node, ...a, pos: t.pos };
  }
  test(node) {
    this.s.next();
    const negated = this.s.skipName("not");
    const t = this.dottedName("test name");
    const name = canonicalName(t.value);
    if (!isTestName(name)) throw new JinjaError(`unknown test '${t.value}'${suggest(t.value, "test")}`, t.pos, true);
    let a = { args: [], kwargs: [] };
    const c = this.s.current;
    if (this.s.isOp("(")) a = this.callArgs();
    else if ((["name", "string", "int", "float"].includes(c.kind) || this.s.isOp("[") || this.s.isOp("{")) && !["else", "or", "and"].includes(c.value)) {
      if (this.s.isName("is")) this.s.fail("tests cannot be chained with is");
      a = { args: [this.postfix(this.primary())], kwargs: [] };
    }
    return { kind: "test", name, operand: node, negated, ...a, pos: t.pos };
  }
};
function suggest(name, kind2) {
  const near = knownNames(kind2).split(", ").find((k) => distance(k, name) <= 1 || k.length > 3 && (k.startsWith(name) || name.startsWith(k)));
  return near ? ` (did you mean '${near}'?)` : ` ('pgha doc templates' lists the ${kind2}s)`;
}
function distance(a, b) {
  if (Math.abs(a.length - b.length) > 1) return 2;
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

// src/vars/jinja/render.ts
var STRING_TYPE_FILTERS = /* @__PURE__ */ new Set(["string", "to_json", "to_nice_json", "to_yaml", "to_nice_yaml"]);
var MAX_ITERATIONS = 1e6;
var MAX_OUTPUT = 64 * 1024 * 1024;
var finalize = (v) => v === null || v === void 0 ? "" : v;
function assign(scope, targets, value, pos) {
  if (targets.length === 1) {
    scope.set(targets[0], value);
    return;
  }
  const items = typeof value === "string" || Array.isArray(value) ? [...value] : void 0;
  if (!items) throw new JinjaError(`cannot unpack a ${typeof value} into ${targets.length} names`, pos);
  if (items.length !== targets.length) {
    throw new JinjaError(items.length > targets.length ? `too many values to unpack (expected ${targets.length})` : `not enough values to unpack (expected ${targets.length}, got ${items.length})`, pos);
  }
  targets.forEach((t, i) => scope.set(t, items[i]));
}
function run(stmts, ev, out, budget, depth) {
  for (const st of stmts) {
    switch (st.kind) {
      case "text":
        out.push(st.text);
        budget.output += st.text.length;
        break;
      case "output": {
        const value = finalize(ev.output(st.expr));
        const v = st.expr.kind === "filter" && STRING_TYPE_FILTERS.has(st.expr.name) && typeof value === "string" ? new NativeText(value) : value;
        out.push(v);
        budget.output += typeof value === "string" ? value.length : 16;
        break;
      }
      case "if": {
        const branch = st.branches.find((b) => truthy(ev.value(b.test)));
        if (branch) run(branch.body, ev, out, budget, depth);
        else if (st.else) run(st.else, ev, out, budget, depth);
        break;
      }
      case "for":
        runFor(st, ev, out, budget, depth);
        break;
      case "set":
        assign(ev.current, st.targets, ev.ev(st.expr), st.pos);
        break;
      case "set_block": {
        const inner = [];
        run(st.body, ev, inner, budget, depth);
        ev.current.set(st.target, inner.map(pyStr).join(""));
        break;
      }
    }
    if (budget.output > MAX_OUTPUT) throw new JinjaError(`the template's output is larger than ${MAX_OUTPUT / 1024 / 1024} MiB`, st.pos);
  }
}
function runFor(st, ev, out, budget, depth) {
  const source = ev.value(st.iter);
  let items;
  try {
    items = iterate(source);
  } catch (err) {
    if (err instanceof ValueError) throw new JinjaError(err.message, st.iter.pos);
    throw err;
  }
  const outer = ev.current;
  if (st.filter) {
    const filter = st.filter;
    items = items.filter((item) => {
      const scope = new Scope(outer.root, outer);
      assign(scope, st.targets, item, st.pos);
      return ev.withScope(scope, () => truthy(ev.value(filter)));
    });
  }
  if (items.length === 0) {
    if (st.else) run(st.else, ev, out, budget, depth);
    return;
  }
  items.forEach((item, i) => {
    if (++budget.iterations > MAX_ITERATIONS) throw new JinjaError(`the template runs more than ${MAX_ITERATIONS} loop iterations`, st.pos);
    const scope = new Scope(outer.root, outer);
    scope.set("loop", loopInfo(items, i));
    assign(scope, st.targets, item, st.pos);
    ev.withScope(scope, () => run(st.body, ev, out, budget, depth + 1));
  });
}
function renderStatements(stmts, ev) {
  const out = [];
  run(stmts, ev, out, { iterations: 0, output: 0 }, 0);
  return out;
}

// src/vars/jinja/simple.ts
var FALLBACK = /* @__PURE__ */ Symbol("fallback");
function pathOf(e, steps) {
  if (e.kind === "name") return e.name;
  if (e.kind === "attr") {
    const root = pathOf(e.object, steps);
    steps.push({ attr: e.name });
    return root;
  }
  if (e.kind === "item" && e.index.kind === "const" && (typeof e.index.value === "string" || typeof e.index.value === "number")) {
    const root = pathOf(e.object, steps);
    steps.push({ item: e.index.value });
    return root;
  }
  return void 0;
}
function simplePlan(stmts) {
  const parts = [];
  for (const st of stmts) {
    if (st.kind === "text") parts.push(st.text);
    else if (st.kind === "output") {
      const steps = [];
      const root = pathOf(st.expr, steps);
      if (root === void 0) return void 0;
      parts.push({ root, steps });
    } else return void 0;
  }
  return parts;
}
function renderSimple(parts, vars) {
  const out = [];
  for (const p of parts) {
    if (typeof p === "string") {
      out.push(p);
      continue;
    }
    let v = readOwn(vars, p.root);
    for (const step of p.steps) {
      if (v === MISSING) return FALLBACK;
      v = "attr" in step ? getAttribute(v, step.attr) : getItem(v, step.item);
    }
    if (v === MISSING || typeof v === "object" && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return FALLBACK;
    out.push(v === null || v === void 0 ? "" : v);
  }
  return out;
}

// src/vars/jinja/statements.ts
var UNSUPPORTED = /* @__PURE__ */ new Set(["macro", "call", "filter", "include", "import", "from", "extends", "block", "with", "autoescape", "do", "break", "continue", "trans"]);
var TemplateParser = class {
  s;
  e;
  constructor(text2, tokens) {
    this.s = new TokenStream(text2, tokens);
    this.e = new ExpressionParser(this.s);
  }
  parse() {
    const { body } = this.body([]);
    return body;
  }
  /** Statements up to one of the `end` tags; the tag's name token is consumed, its `%}` is not. */
  body(end, opened) {
    const body = [];
    for (; ; ) {
      const t = this.s.current;
      if (t.kind === "eof") {
        if (end.length > 0 && opened) {
          throw new JinjaError(`'{% ${opened.value} %}' is never closed; add '{% ${end[end.length - 1]} %}'`, opened.pos, true);
        }
        return { body };
      }
      if (t.kind === "data") {
        this.s.next();
        body.push({ kind: "text", text: t.value, pos: t.pos });
      } else if (t.kind === "var_begin") {
        this.s.next();
        const expr = this.e.tuple();
        this.end("var_end");
        body.push({ kind: "output", expr, pos: expr.pos });
      } else if (t.kind === "block_begin") {
        this.s.next();
        const name = this.s.current;
        if (name.kind !== "name") this.s.fail("expected a tag name after '{%'");
        if (end.includes(name.value)) {
          this.s.next();
          return { body, tag: name.value };
        }
        body.push(this.statement(t.pos));
      } else this.s.unexpected();
    }
  }
  end(kind2) {
    const t = this.s.current;
    if (t.kind !== kind2) {
      if (t.kind === "eof") this.s.fail(`'${kind2 === "var_end" ? "{{" : "{%"}' is never closed; add '${kind2 === "var_end" ? "}}" : "%}"}'`);
      this.s.unexpected();
    }
    this.s.next();
  }
  /** The statement whose `{%` is at `begin`. */
  statement(begin) {
    const tag = this.s.next();
    const open = { ...tag, pos: begin };
    switch (tag.value) {
      case "if":
        return this.ifStatement(open);
      case "for":
        return this.forStatement(open);
      case "set":
        return this.setStatement(open);
      case "elif":
      case "else":
      case "endif":
      case "endfor":
      case "endset":
        throw new JinjaError(`'{% ${tag.value} %}' without a matching opening tag`, tag.pos, true);
      default:
        if (UNSUPPORTED.has(tag.value)) throw new JinjaError(`the Jinja2 tag '${tag.value}' is not supported by pgha (supported: if, for, set, raw)`, tag.pos, true);
        throw new JinjaError(`unknown tag '${tag.value}' (tags: if, elif, else, for, set, raw)`, tag.pos, true);
    }
  }
  ifStatement(open) {
    const branches = [];
    let test2 = this.e.tuple(false);
    for (; ; ) {
      this.end("block_end");
      const { body, tag } = this.body(["elif", "else", "endif"], open);
      branches.push({ test: test2, body });
      if (tag === "elif") {
        test2 = this.e.tuple(false);
        continue;
      }
      if (tag === "else") {
        this.end("block_end");
        const rest = this.body(["endif"], open);
        this.end("block_end");
        return { kind: "if", branches, else: rest.body, pos: open.pos };
      }
      this.end("block_end");
      return { kind: "if", branches, pos: open.pos };
    }
  }
  targets() {
    const names = [];
    const paren = this.s.skipOp("(");
    do {
      const t = this.s.current;
      if (t.kind !== "name") this.s.fail("expected a variable name to assign to");
      if (this.s.isOp(".", this.s.look())) this.s.fail("assigning to an attribute (namespace) is not supported", this.s.look());
      names.push(this.s.next().value);
    } while (this.s.skipOp(","));
    if (paren) this.s.expectOp(")");
    return names;
  }
  forStatement(open) {
    const targets = this.targets();
    if (!this.s.skipName("in")) this.s.fail("expected 'in' after the loop variable");
    const iter = this.e.tuple(false, ["recursive", "if"]);
    const filter = this.s.skipName("if") ? this.e.expression() : void 0;
    if (this.s.isName("recursive")) this.s.fail("recursive loops are not supported");
    this.end("block_end");
    const { body, tag } = this.body(["else", "endfor"], open);
    let otherwise;
    if (tag === "else") {
      this.end("block_end");
      otherwise = this.body(["endfor"], open).body;
    }
    this.end("block_end");
    return { kind: "for", targets, iter, filter, body, else: otherwise, pos: open.pos };
  }
  setStatement(open) {
    const targets = this.targets();
    if (this.s.skipOp("=")) {
      const expr = this.e.tuple();
      this.end("block_end");
      return { kind: "set", targets, expr, pos: open.pos };
    }
    if (targets.length !== 1) this.s.fail("expected '=' after the names to set");
    if (this.s.isOp("|")) this.s.fail("filters on a block set are not supported");
    this.end("block_end");
    const { body } = this.body(["endset"], open);
    this.end("block_end");
    return { kind: "set_block", target: targets[0], body, pos: open.pos };
  }
};
function parseStatements(text2, tokens) {
  return new TemplateParser(text2, tokens).parse();
}
function parseExpressionTokens(text2, tokens) {
  const s2 = new TokenStream(text2, tokens);
  if (s2.current.kind === "eof") s2.fail("empty expression");
  const e = new ExpressionParser(s2).tuple(false);
  if (s2.current.kind !== "eof") s2.unexpected();
  return e;
}

// src/vars/jinja/names-used.ts
var MAY_BE_UNDEFINED_TESTS = /* @__PURE__ */ new Set(["defined", "undefined"]);
var MAY_BE_UNDEFINED_FILTERS = /* @__PURE__ */ new Set(["default", "d", "mandatory"]);
function collect(e, out) {
  switch (e.kind) {
    case "const":
      return;
    case "name":
      out.add(e.name);
      return;
    case "list":
    case "tuple":
      return e.items.forEach((x) => collect(x, out));
    case "dict":
      return e.pairs.forEach(([k, v]) => {
        collect(k, out);
        collect(v, out);
      });
    case "attr":
      return collect(e.object, out);
    case "item":
      collect(e.object, out);
      return collect(e.index, out);
    case "slice":
      for (const x of [e.object, e.start, e.stop, e.step]) if (x) collect(x, out);
      return;
    case "not":
    case "neg":
    case "pos":
      return collect(e.operand, out);
    case "binary":
    case "and":
    case "or":
      collect(e.left, out);
      return collect(e.right, out);
    case "compare":
      collect(e.left, out);
      return e.ops.forEach((o) => collect(o.right, out));
    case "cond":
      collect(e.test, out);
      collect(e.then, out);
      if (e.else) collect(e.else, out);
      return;
    case "filter":
      if (!MAY_BE_UNDEFINED_FILTERS.has(e.name)) collect(e.operand, out);
      e.args.forEach((x) => collect(x, out));
      return e.kwargs.forEach(([, x]) => collect(x, out));
    case "test":
      if (!MAY_BE_UNDEFINED_TESTS.has(e.name)) collect(e.operand, out);
      e.args.forEach((x) => collect(x, out));
      return e.kwargs.forEach(([, x]) => collect(x, out));
    case "call":
      if (e.callee.kind !== "name") collect(e.callee, out);
      e.args.forEach((x) => collect(x, out));
      return e.kwargs.forEach(([, x]) => collect(x, out));
  }
}
function walk(stmts, out, local) {
  for (const st of stmts) {
    switch (st.kind) {
      case "output":
        collect(st.expr, out);
        break;
      case "if":
        for (const b of st.branches) {
          collect(b.test, out);
          walk(b.body, out, local);
        }
        if (st.else) walk(st.else, out, local);
        break;
      case "for":
        collect(st.iter, out);
        st.targets.forEach((t) => local.add(t));
        local.add("loop");
        if (st.filter) collect(st.filter, out);
        walk(st.body, out, local);
        if (st.else) walk(st.else, out, local);
        break;
      case "set":
        collect(st.expr, out);
        st.targets.forEach((t) => local.add(t));
        break;
      case "set_block":
        walk(st.body, out, local);
        local.add(st.target);
        break;
    }
  }
}
function expressionNames(e) {
  const out = /* @__PURE__ */ new Set();
  collect(e, out);
  return [...out];
}
function templateNames(stmts) {
  const out = /* @__PURE__ */ new Set();
  const local = /* @__PURE__ */ new Set();
  walk(stmts, out, local);
  return [...out].filter((n) => !local.has(n));
}

// src/vars/jinja/index.ts
var MAX_CACHED = 2e4;
var caches = { string: /* @__PURE__ */ new Map(), file: /* @__PURE__ */ new Map() };
var expressions = /* @__PURE__ */ new Map();
var SINGLE_VAR = /^\{\{\s*(\w*)\s*\}\}\n?$/;
var isPossiblyTemplate = (s2) => s2.includes("{{") || s2.includes("{%") || s2.includes("{#");
function remember(cache3, key, value) {
  if (cache3.size >= MAX_CACHED) cache3.delete(cache3.keys().next().value);
  cache3.set(key, value);
  return value;
}
function compileTemplate(text2, mode) {
  const cache3 = caches[mode];
  const hit = cache3.get(text2);
  if (hit) return hit;
  const tokens = lexTemplate(text2, { trimBlocks: true, literalBackslashes: mode === "string" });
  const stmts = parseStatements(text2, tokens);
  const single = mode === "string" ? SINGLE_VAR.exec(text2)?.[1] : void 0;
  return remember(cache3, text2, { text: text2, stmts, simple: simplePlan(stmts), singleVar: single || void 0 });
}
function compileExpression(text2, start = 0, end = text2.length) {
  const key = start === 0 && end === text2.length ? text2 : `${start}:${end}:${text2}`;
  const hit = expressions.get(key);
  if (hit) return hit;
  return remember(expressions, key, parseExpressionTokens(text2, lexExpression(text2, start, end)));
}
var NO_HOST = { searchPaths: () => [process.cwd()], renderFile: (text2) => renderText(text2, {}, NO_HOST) };
function renderNodes(c, vars, host = NO_HOST) {
  if (c.simple) {
    const nodes = renderSimple(c.simple, vars);
    if (nodes !== FALLBACK) return nodes;
  }
  return renderStatements(c.stmts, new Evaluator(host, new Scope(vars)));
}
function evaluateExpression(expr, vars, host = NO_HOST) {
  return new Evaluator(host, new Scope(vars)).value(expr);
}
function trailingNewlines(s2) {
  let i = s2.length;
  while (i > 0 && s2.charCodeAt(i - 1) === 10) i--;
  return s2.length - i;
}
function keepNewlines(text2, out) {
  const missing = trailingNewlines(text2) - trailingNewlines(out);
  return missing > 0 ? out + "\n".repeat(missing) : out;
}
function renderText(text2, vars, host = NO_HOST) {
  return keepNewlines(text2, renderNodes(compileTemplate(text2, "file"), vars, host).map(pyStr).join(""));
}
function renderNative(text2, vars, host = NO_HOST) {
  const c = compileTemplate(text2, "string");
  if (c.singleVar !== void 0 && Object.hasOwn(vars, c.singleVar)) {
    const v = vars[c.singleVar];
    if (v === null || typeof v === "boolean" || isNumber(v)) return v;
    if (typeof v === "string") {
      const out2 = literal(v);
      return typeof out2 === "string" ? keepNewlines(text2, out2) : out2;
    }
  }
  const nodes = renderNodes(c, vars, host);
  let out;
  if (nodes.length === 1) {
    const only = nodes[0];
    if (only instanceof NativeText) return only.text;
    if (Array.isArray(only) && !isTuple(only) || isMapping(only)) return only;
    out = literal(pyStr(only));
  } else out = literal(nodes.map(pyStr).join(""));
  return typeof out === "string" ? keepNewlines(text2, out) : out;
}
var LITERAL_NAMES = { True: true, False: false, None: null, true: true, false: false, null: null };
function literal(s2) {
  if (!(s2.startsWith("{") || s2.startsWith("[") || s2 === "True" || s2 === "False")) return s2;
  try {
    const tokens = lexExpression(s2);
    if (tokens.some((t) => t.kind === "name" && !Object.hasOwn(LITERAL_NAMES, t.value))) return s2;
    const stream = new TokenStream(s2, tokens);
    const expr = new ExpressionParser(stream).tuple(false);
    if (stream.current.kind !== "eof") return s2;
    const v = literalValue(expr);
    return v === NOT_LITERAL ? s2 : v;
  } catch (err) {
    if (err instanceof JinjaError) return s2;
    throw err;
  }
}
var NOT_LITERAL = /* @__PURE__ */ Symbol("not a literal");
function literalValue(e) {
  switch (e.kind) {
    case "const":
      return e.value !== null && typeof e.value === "object" ? float(e.value.float) : e.value;
    case "name":
      return Object.hasOwn(LITERAL_NAMES, e.name) ? LITERAL_NAMES[e.name] : NOT_LITERAL;
    case "list":
    case "tuple": {
      const items = e.items.map(literalValue);
      if (items.includes(NOT_LITERAL)) return NOT_LITERAL;
      return e.kind === "tuple" ? tuple(items) : items;
    }
    case "dict": {
      const out = {};
      for (const [k, v] of e.pairs) {
        const key = literalValue(k);
        const value = literalValue(v);
        if (key === NOT_LITERAL || value === NOT_LITERAL || Array.isArray(key) || isMapping(key)) return NOT_LITERAL;
        out[pyStr(key)] = value;
      }
      return out;
    }
    case "neg":
    case "pos": {
      const v = literalValue(e.operand);
      if (typeof v !== "number" && !isNumber(v)) return NOT_LITERAL;
      if (typeof v === "boolean") return NOT_LITERAL;
      if (e.kind === "pos") return v;
      return typeof v === "number" ? -v : float(-v.value);
    }
    default:
      return NOT_LITERAL;
  }
}
function templateCatalog() {
  const list2 = (kind2) => knownNames(kind2).split(", ");
  return { filters: list2("filter"), tests: list2("test").filter((t) => /^\w+$/.test(t)), methods: list2("method"), functions: list2("function"), lookups: Object.keys(LOOKUPS).sort() };
}

// src/vars/handlebars-hint.ts
var HELPERS = [
  [/^#if\s+\(?(.*?)\)?$/, (m2) => `{% if ${condition(m2[1])} %}`],
  [/^#unless\s+\(?(.*?)\)?$/, (m2) => `{% if not (${condition(m2[1])}) %}`],
  [/^else$/, () => "{% else %}"],
  [/^\/if$|^\/unless$/, () => "{% endif %}"],
  [/^#each\s+(\S+)(?:\s+as\s+\|(\w+)[^|]*\|)?$/, (m2) => `{% for ${m2[2] ?? "item"} in ${path3(m2[1])} %}`],
  [/^\/each$/, () => "{% endfor %}"],
  [/^join\s+(\S+)\s+(['"].*['"])$/, (m2) => `{{ ${path3(m2[1])} | join(${m2[2]}) }}`],
  [/^join\s+(\S+)$/, (m2) => `{{ ${path3(m2[1])} | join(',') }}`],
  [/^default\s+(\S+)\s+(.+)$/, (m2) => `{{ ${path3(m2[1])} | default(${m2[2]}) }}`],
  [/^(first|last|quote)\s+(\S+)$/, (m2) => `{{ ${path3(m2[2])} | ${m2[1]} }}`],
  [/^items\s+(\S+)$/, (m2) => `{{ ${path3(m2[1])} | dict2items }}`],
  [/^json\s+(\S+)$/, (m2) => `{{ ${path3(m2[1])} | to_json }}`],
  [/^hostvar\s+(\S+)\s+(['"][^'"]*['"])$/, (m2) => `{{ hostvars[${path3(m2[1])}][${m2[2]}] }}`],
  [/^lookup\s+(\S+)\s+(['"][^'"]*['"])$/, (m2) => `{{ ${path3(m2[1])}[${m2[2]}] }}`]
];
function path3(p) {
  return p.replace(/^@root\./, "").replace(/^this\./, "").replace(/^this$/, "item").replace(/\.\[(\d+)\]/g, "[$1]").replace(/\.\[([^\]]+)\]/g, "['$1']");
}
function condition(c) {
  const call = /^\(?(eq|ne|and|or|not)\s+(.*?)\)?$/.exec(c.trim());
  if (!call) return path3(c.trim());
  const args = call[2].match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? [];
  if (call[1] === "not") return `not ${path3(args[0] ?? "")}`;
  const op = { eq: "==", ne: "!=", and: "and", or: "or" }[call[1]];
  return args.map(path3).join(` ${op} `);
}
function handlebarsHint(text2, pos) {
  const open = text2.lastIndexOf("{{", pos);
  if (open < 0) return "";
  const close = text2.indexOf("}}", open);
  const inner = text2.slice(open + 2, close < 0 ? void 0 : close).replace(/^~|~$/g, "").trim();
  for (const [re, jinja] of HELPERS) {
    const m2 = re.exec(inner);
    if (m2) return `; this is Handlebars, which pgha playbooks no longer use: in Jinja2 write ${jinja(m2)}`;
  }
  if (/\.\[\w+\]|@root\.|@index|@key/.test(inner)) {
    return `; this is Handlebars, which pgha playbooks no longer use: in Jinja2 write {{ ${path3(inner.replace(/@index/, "loop.index0").replace(/@key/, "item.key"))} }}`;
  }
  return "";
}

// src/vars/position.ts
function locateInText(loc, text2, line, col) {
  const lines = text2.split("\n");
  const wanted = lines[line - 1] ?? "";
  if (line <= 1) {
    const src = sourceLine(loc);
    const from = Math.max(0, loc.col - 1);
    const idx = src === void 0 || wanted === "" ? -1 : src.indexOf(wanted, from);
    if (idx >= 0) return { file: loc.file, line: loc.line, col: idx + col };
    return { file: loc.file, line: loc.line, col: loc.col + col - 1 };
  }
  for (const candidate of [loc.line + line - 1, loc.line + line]) {
    const src = sourceLine({ file: loc.file, line: candidate, col: 1 });
    const idx = src === void 0 || wanted.trim() === "" ? -1 : src.indexOf(wanted.trimStart());
    if (idx >= 0) {
      const indent2 = wanted.length - wanted.trimStart().length;
      return { file: loc.file, line: candidate, col: idx + Math.max(1, col - indent2) };
    }
  }
  return loc;
}
function describeSource(source) {
  if (source === void 0) return "";
  return typeof source === "string" ? `${source}: ` : "";
}

// src/vars/lookup.ts
var MISSING2 = /* @__PURE__ */ Symbol("missing");
var REFUSED = /* @__PURE__ */ new Set(["__proto__", "constructor", "prototype", "__defineGetter__", "__lookupGetter__"]);
function isRefusedKey(key) {
  return REFUSED.has(key);
}
function index2(length2, key) {
  const n = typeof key === "number" ? key : /^-?\d+$/.test(key) ? Number(key) : NaN;
  if (!Number.isInteger(n)) return void 0;
  const i = n < 0 ? length2 + n : n;
  return i >= 0 && i < length2 ? i : void 0;
}
function getAttr(obj, key) {
  if (obj === null || obj === void 0) return MISSING2;
  if (typeof key === "string" && REFUSED.has(key)) return MISSING2;
  if (typeof obj === "string" || Array.isArray(obj)) {
    const i = index2(obj.length, key);
    return i === void 0 ? MISSING2 : obj[i];
  }
  if (typeof obj !== "object") return MISSING2;
  const k = String(key);
  if (!Object.prototype.hasOwnProperty.call(obj, k)) return MISSING2;
  const v = obj[k];
  return v === void 0 ? MISSING2 : v;
}
function getPath(root, parts) {
  let cur = root;
  for (const p of parts) {
    cur = getAttr(cur, p);
    if (cur === MISSING2) return MISSING2;
  }
  return cur;
}

// src/vars/handlebars-env.ts
import Handlebars from "handlebars";

// src/vars/truthy.ts
function truthy2(v) {
  if (Array.isArray(v)) return v.length > 0;
  if (v !== null && typeof v === "object") return Object.keys(v).length > 0;
  return Boolean(v);
}

// src/vars/template-helpers.ts
function shellQuote2(value) {
  const s2 = value === void 0 || value === null ? "" : String(value);
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s2) ? s2 : `'${s2.replace(/'/g, `'\\''`)}'`;
}
function userArgs(args) {
  return args.slice(0, -1);
}
function list(name, value) {
  if (Array.isArray(value)) return value;
  throw new Error(`${name}: expected a list, got ${value === void 0 ? "an undefined value" : typeof value}`);
}
var helpers = {
  default: {
    fn: (...a) => {
      const [value, fallback] = userArgs(a);
      return value === void 0 || value === null ? fallback : value;
    },
    doc: { usage: "{{default port 5432}}", description: "the value, or the fallback when it is undefined or null" }
  },
  eq: {
    fn: (...a) => {
      const [x, y] = userArgs(a);
      return x === y;
    },
    doc: { usage: '{{#if (eq role "primary")}}', description: "strict equality" }
  },
  ne: {
    fn: (...a) => {
      const [x, y] = userArgs(a);
      return x !== y;
    },
    doc: { usage: '{{#if (ne role "witness")}}', description: "strict inequality" }
  },
  and: {
    fn: (...a) => userArgs(a).every(truthy2),
    doc: { usage: "{{#if (and a b)}}", description: "true when every argument is truthy (Python truthiness)" }
  },
  or: {
    fn: (...a) => userArgs(a).some(truthy2),
    doc: { usage: "{{#if (or a b)}}", description: "true when some argument is truthy" }
  },
  not: {
    fn: (...a) => !truthy2(userArgs(a)[0]),
    doc: { usage: "{{#if (not standby)}}", description: 'negation (Python truthiness: "", 0, [], {} are false)' }
  },
  join: {
    fn: (...a) => {
      const [value, sep] = userArgs(a);
      return list("join", value).join(typeof sep === "string" ? sep : ",");
    },
    doc: { usage: '{{join addresses ","}}', description: 'joins a list with a separator (default ",")' }
  },
  first: {
    fn: (...a) => list("first", userArgs(a)[0])[0],
    doc: { usage: "{{first groups.primary}}", description: "the first item of a list (e.g. the primary host)" }
  },
  last: {
    fn: (...a) => {
      const l = list("last", userArgs(a)[0]);
      return l[l.length - 1];
    },
    doc: { usage: "{{last groups.standby}}", description: "the last item of a list" }
  },
  items: {
    fn: (...a) => {
      const [value] = userArgs(a);
      if (!value || typeof value !== "object" || Array.isArray(value)) throw new Error(`items: expected a mapping, got ${value === void 0 ? "an undefined value" : typeof value}`);
      return Object.entries(value).map(([key, v]) => ({ key, value: v }));
    },
    doc: { usage: 'loop: "{{items pg_settings}}"', description: "a mapping as a list of {key, value} (Ansible's dict2items)" }
  },
  hostvar: {
    fn: (...a) => {
      const [host, name, options2] = [...userArgs(a), a[a.length - 1]];
      const hv = options2?.data?.root?.hostvars;
      const vars = hv?.[String(host)];
      if (!vars) throw new Error(`hostvar: no host '${String(host)}' in the inventory`);
      if (vars[String(name)] === void 0) throw new Error(`hostvar: '${String(name)}' is not defined for ${String(host)}`);
      return vars[String(name)];
    },
    doc: { usage: '{{hostvar host "ansible_host"}}', description: "another host's variable (hostvars[host][name]), an error when undefined" }
  },
  quote: {
    fn: (...a) => shellQuote2(userArgs(a)[0]),
    doc: { usage: "psql -c {{quote sql}}", description: "shell-quotes a value for sh" }
  },
  json: {
    fn: (...a) => JSON.stringify(userArgs(a)[0]),
    doc: { usage: "{{json settings}}", description: "the value as JSON (strings get double quotes)" }
  }
};
var templateHelpers = Object.fromEntries(
  Object.entries(helpers).map(([name, h]) => [name, h.fn])
);
var templateHelperDocs = Object.entries(helpers).map(([name, h]) => ({ name, ...h.doc }));

// src/vars/handlebars-env.ts
var env = Handlebars.create();
env.unregisterHelper("log");
env.registerHelper(templateHelpers);
var INTERNAL = /* @__PURE__ */ new Set(["helperMissing", "blockHelperMissing", "__pgha_strict"]);
var isHelper = (name) => !INTERNAL.has(name) && Object.hasOwn(env.helpers, name);
var internals = env;
var SafeCompiler = class extends internals.JavaScriptCompiler {
  nameLookup(parent, name, type) {
    if (type !== "context" && type !== "data") return super.nameLookup(parent, name, type);
    this.lookupPropertyFunctionIsUsed = true;
    return ["lookupProperty((", parent, ") ?? {},", this.quotedString(name), ")"];
  }
  aliasable(name) {
    return name === "container.strict" ? `helpers.${STRICT}` : super.aliasable(name);
  }
  appendToBuffer(source, location, explicit) {
    return super.appendToBuffer(['("" + ', source, ")"], location, explicit);
  }
};
SafeCompiler.prototype.compiler = SafeCompiler;
internals.JavaScriptCompiler = SafeCompiler;
var Missing = class extends Error {
  constructor(variable, at) {
    super(`"${variable}" not defined`);
    this.variable = variable;
    this.at = at;
  }
  variable;
  at;
};
var STRICT = "__pgha_strict";
function strictStep(obj, name, at) {
  const found = obj !== null && typeof obj === "object" ? Object.prototype.hasOwnProperty.call(obj, name) : typeof obj === "string" && (name === "length" || getAttr(obj, name) !== MISSING2);
  if (!found) throw new Missing(name, at);
  return obj[name];
}
env.registerHelper(STRICT, strictStep);
var hasHelper = (name) => Object.hasOwn(env.helpers, name);
env.logger.level = 4;
function lastParsePosition() {
  const { yylloc, yytext } = internals.Parser.lexer;
  return { line: yylloc?.first_line ?? 1, column: yylloc?.first_column ?? 0, token: yytext || void 0 };
}

// src/vars/template-simple.ts
var HAND_BACK = /* @__PURE__ */ Symbol("hand back to Handlebars");
function simpleRenderer(ast, compiled) {
  const parts = [];
  for (const s2 of ast.body) {
    if (s2.type === "ContentStatement") parts.push(s2.value);
    else if (s2.type === "MustacheStatement" && isPlainPath(s2)) parts.push(s2.path);
    else return void 0;
  }
  let fallback;
  return (vars) => {
    try {
      let out = "";
      for (const p of parts) out += typeof p === "string" ? p : print(lookup2(vars, p));
      return out;
    } catch (err) {
      if (err !== HAND_BACK) throw err;
      return (fallback ??= compiled())(vars);
    }
  };
}
function isPlainPath(m2) {
  const p = m2.path;
  if (p.type !== "PathExpression" || m2.params.length > 0 || (m2.hash?.pairs.length ?? 0) > 0) return false;
  const path4 = p;
  if (path4.data || path4.depth !== 0 || path4.parts.length === 0 || /^(this\b|\.)/.test(path4.original)) return false;
  return path4.parts.length > 1 || !hasHelper(path4.parts[0]);
}
function lookup2(vars, path4) {
  const { parts } = path4;
  let obj = vars;
  for (let i = 0; i < parts.length - 1; i++) obj = ownStep(obj, parts[i]);
  const value = strictStep(obj, parts[parts.length - 1], path4.loc);
  if (typeof value === "function") throw HAND_BACK;
  return value;
}
function ownStep(parent, name) {
  const p = parent ?? {};
  const value = p[name];
  if (value === null || value === void 0) return value;
  return Object.prototype.hasOwnProperty.call(p, name) ? value : void 0;
}
var print = (value) => "" + (value !== null && value !== void 0 ? value : "");

// src/vars/template-ast.ts
var CONTEXT_HELPERS = /* @__PURE__ */ new Set(["each", "with"]);
function isPath(n) {
  return n?.type === "PathExpression";
}
function isHelperCall(node, isHelper2) {
  if (node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0) return true;
  const p = node.path;
  return isPath(p) && !p.data && p.depth === 0 && p.parts.length === 1 && isHelper2(p.parts[0]);
}
function pathRefs(ast, isHelper2) {
  const out = [];
  const expr = (n, s2) => {
    if (!n) return;
    if (n.type === "SubExpression") return call(n, s2);
    if (!isPath(n)) return;
    if (n.data) {
      if (n.parts[0] === "root" && n.parts.length > 1) out.push({ path: n, root: n.parts[1], parts: n.parts.slice(1) });
      else out.push({ path: n });
      return;
    }
    const scoped = /^(this\b|\.)/.test(n.original);
    if (n.depth === 0 && !scoped && s2.blockParams.includes(n.parts[0])) return void out.push({ path: n });
    if (n.depth === s2.depth && n.parts.length > 0) out.push({ path: n, root: n.parts[0], parts: n.parts });
    else out.push({ path: n });
  };
  const args = (n, s2) => {
    if (!isHelperCall(n, isHelper2)) return false;
    if (isPath(n.path)) out.push({ path: n.path, helper: true });
    for (const p of n.params) expr(p, s2);
    for (const pair of n.hash?.pairs ?? []) expr(pair.value, s2);
    return true;
  };
  const call = (n, s2) => {
    if (!args(n, s2)) expr(n.path, s2);
  };
  const program = (p, s2) => {
    if (!p) return;
    const inner = p.blockParams?.length ? { ...s2, blockParams: [...s2.blockParams, ...p.blockParams] } : s2;
    for (const st of p.body) statement(st, inner);
  };
  const statement = (n, s2) => {
    switch (n.type) {
      case "MustacheStatement":
        return call(n, s2);
      case "BlockStatement":
      case "DecoratorBlock": {
        const b = n;
        const helper = args(b, s2);
        if (!helper) expr(b.path, s2);
        const name = b.path.parts[0];
        const entersContext = !helper || CONTEXT_HELPERS.has(name);
        program(b.program, entersContext ? { ...s2, depth: s2.depth + 1 } : s2);
        program(b.inverse, s2);
        return;
      }
      case "PartialStatement":
      case "PartialBlockStatement": {
        const ps = n;
        for (const p of ps.params) expr(p, s2);
        return;
      }
    }
  };
  program(ast, { depth: 0, blockParams: [] });
  return out;
}
function rootVariables(refs) {
  return [...new Set(refs.flatMap((r) => r.root === void 0 ? [] : [r.root]))];
}
function pathAt(refs, line, column) {
  return refs.find((r) => !r.helper && r.path.loc.start.line === line && r.path.loc.start.column === column)?.path;
}
function firstUnresolved(refs, vars) {
  return refs.find((r) => r.parts !== void 0 && getPath(vars, r.parts) === MISSING2)?.path;
}
function unknownHelpers(refs, isHelper2) {
  return refs.filter((r) => r.helper && !(r.path.parts.length === 1 && isHelper2(r.path.parts[0]))).map((r) => r.path);
}

// src/vars/template-hbs.ts
var MAX_CACHED2 = 2e4;
var cache2 = /* @__PURE__ */ new Map();
function fail(message, text2, source, line, col) {
  if (source !== void 0 && typeof source !== "string") {
    throw new ConfigError(message, line === void 0 ? source : locateInText(source, text2, line, col ?? 1));
  }
  const where = line === void 0 || text2.includes("\n") === false ? "" : ` (template line ${line}, column ${col})`;
  throw new ConfigError(`${describeSource(source)}${message}${where}`);
}
function syntaxHint(text2) {
  if (/\{\{(?![^}]*\bas\s*\|)[^}]*\|/.test(text2)) return ': Jinja filters are not supported, use a helper such as {{default x "y"}} or {{join list ","}}';
  if (/\{\{[^}]*\[['"]/.test(text2)) return ": write a.b or a.[b] instead of a['b']";
  return "";
}
function parse(text2, source) {
  try {
    return env.parse(text2);
  } catch (err) {
    const e = err;
    if (e.lineNumber !== void 0) {
      fail(`template error: ${e.message.replace(/ - \d+:\d+$/, "")}`, text2, source, e.lineNumber, (e.column ?? 0) + 1);
    }
    const open = unclosed2(text2);
    if (open) {
      const before = text2.slice(0, open.offset).split("\n");
      fail(`template syntax error: ${open.message}`, text2, source, before.length, before[before.length - 1].length + 1);
    }
    const at = lastParsePosition();
    const near = at.token ? ` near '${at.token}'` : " at the end of the text";
    fail(`template syntax error${near}${syntaxHint(text2)}`, text2, source, at.line, at.column + 1);
  }
}
function unclosed2(text2) {
  for (let i = text2.indexOf("{{"); i >= 0; ) {
    let j = i;
    while (text2[j] === "{") j++;
    const close = text2.indexOf("}}", j);
    const next = text2.indexOf("{{", j);
    if (close < 0 || next >= 0 && next < close) return { message: "'{{' is never closed; add '}}'", offset: i };
    i = next;
  }
  const blocks = [];
  for (const m2 of text2.matchAll(/\{\{~?\s*([#/])\s*([\w.-]+)/g)) {
    if (m2[1] === "#") blocks.push({ name: m2[2], offset: m2.index });
    else if (blocks.at(-1)?.name === m2[2]) blocks.pop();
    else return void 0;
  }
  const last = blocks.at(-1);
  return last && { message: `'{{#${last.name}}}' is never closed; add '{{/${last.name}}}'`, offset: last.offset };
}
function compile(text2, source) {
  const hit = cache2.get(text2);
  if (hit) return hit;
  const ast = parse(text2, source);
  const refs = pathRefs(ast, isHelper);
  const unknown = unknownHelpers(refs, isHelper)[0];
  if (unknown) {
    const known = Object.keys(templateHelpers).join(", ");
    const { line, column } = unknown.loc.start;
    fail(`unknown template helper '${unknown.original}' (helpers: ${known}, if, unless, each, with, lookup)`, text2, source, line, column + 1);
  }
  const refused = refs.find((r) => r.path.parts.some(isRefusedKey));
  if (refused) {
    const { line, column } = refused.path.loc.start;
    fail(`'${refused.path.original}' is not allowed: templates only read variables`, text2, source, line, column + 1);
  }
  const handlebars = () => env.compile(ast, { noEscape: true, strict: true });
  const compiled = {
    refs,
    render: simpleRenderer(ast, handlebars) ?? handlebars()
  };
  if (cache2.size >= MAX_CACHED2) cache2.delete(cache2.keys().next().value);
  cache2.set(text2, compiled);
  return compiled;
}
function written(path4, text2) {
  const { start, end } = path4.loc;
  if (start.line !== end.line) return path4.original;
  return text2.split("\n")[start.line - 1]?.slice(start.column, end.column) ?? path4.original;
}
function run2(c, text2, vars, source) {
  try {
    return c.render(vars);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    if (err instanceof Missing) {
      const { line, column } = err.at.start;
      const path4 = pathAt(c.refs, line, column);
      fail(`undefined variable '${path4 ? written(path4, text2) : err.variable}'`, text2, source, line, column + 1);
    }
    const e = err;
    const missing = err instanceof TypeError ? firstUnresolved(c.refs, vars) : void 0;
    if (missing) {
      fail(`undefined variable '${written(missing, text2)}'`, text2, source, missing.loc.start.line, missing.loc.start.column + 1);
    }
    fail(`template error: ${e.message}`, text2, source);
  }
}
function renderHandlebars(text2, vars, source) {
  if (!text2.includes("{{")) return text2;
  return run2(compile(text2, source), text2, vars, source);
}
function handlebarsVariables(text2, source) {
  if (!text2.includes("{{")) return [];
  return rootVariables(compile(text2, source).refs);
}

// src/vars/template.ts
function isTemplated(s2) {
  return isPossiblyTemplate(s2);
}
function lineCol(text2, pos) {
  const before = text2.slice(0, pos).split("\n");
  return { line: before.length, col: before[before.length - 1].length + 1 };
}
function jinjaFailure(err, text2, source, file = false) {
  const { line, col } = lineCol(text2, Math.min(err.pos, text2.length));
  const hint = err.syntax ? handlebarsHint(text2, err.pos) : "";
  const message = `${err.syntax ? "template syntax error: " : ""}${err.message}${hint}`;
  if (file && typeof source === "string") return new ConfigError(message, { file: source, line, col });
  if (source !== void 0 && typeof source !== "string") return new ConfigError(message, locateInText(source, text2, line, col));
  const where = text2.includes("\n") ? ` (template line ${line}, column ${col})` : "";
  return new ConfigError(`${describeSource(source)}${message}${where}`);
}
function guarded(text2, source, fn, file = false) {
  try {
    return fn();
  } catch (err) {
    if (err instanceof JinjaError) throw jinjaFailure(err, text2, source, file);
    throw err;
  }
}
var PlaybookHost = class {
  constructor(vars, source) {
    this.vars = vars;
    this.source = source;
  }
  vars;
  source;
  searchPaths() {
    const paths = [];
    const source = this.source;
    if (source !== void 0 && typeof source !== "string") paths.push(dirname2(source.file));
    else if (typeof source === "string" && isAbsolute3(source)) paths.push(dirname2(source));
    if (typeof this.vars.playbook_dir === "string") paths.push(this.vars.playbook_dir);
    paths.push(process.cwd());
    return [...new Set(paths)];
  }
  renderFile(text2, path4) {
    return guarded(text2, path4, () => renderText(text2, this.vars, this), true);
  }
};
function controllerHost(vars, source) {
  return new PlaybookHost(vars, source);
}
function renderString(text2, vars, source) {
  if (!isTemplated(text2)) return text2;
  return guarded(text2, source, () => {
    const out = renderNodes(compileTemplate(text2, "string"), vars, controllerHost(vars, source)).map(pyStr).join("");
    const missing = text2.length - text2.replace(/\n+$/, "").length - (out.length - out.replace(/\n+$/, "").length);
    return missing > 0 ? out + "\n".repeat(missing) : out;
  });
}
function renderTemplateFile(text2, vars, path4) {
  if (isHandlebarsFile(path4)) return renderHandlebars(text2, vars, path4);
  return guarded(text2, path4, () => renderText(text2, vars, controllerHost(vars, path4)), true);
}
var isTemplateFile = (source) => typeof source === "string" && isAbsolute3(source) && /\.[A-Za-z0-9]+$/.test(source);
function renderOne(text2, vars, source) {
  return guarded(text2, source, () => toPlain(renderNative(text2, vars, controllerHost(vars, source))));
}
function renderValue(value, vars, locate) {
  if (typeof value === "string" && isTemplateFile(locate)) return renderTemplateFile(value, vars, locate);
  const where = (container, key, path4) => {
    const own2 = container && key !== void 0 ? locOf(container, key) : void 0;
    if (typeof locate === "function") return locate(path4) ?? own2;
    return own2 ?? locate;
  };
  const track = typeof locate === "function";
  const walk2 = (v, container, key, path4) => {
    if (typeof v === "string") return isTemplated(v) ? renderOne(v, vars, where(container, key, path4)) : v;
    if (isUnsafe(v)) return v.text;
    if (Array.isArray(v)) {
      const out = v.map((item, i) => walk2(item, v, i, track ? [...path4, i] : path4));
      copyLoc(v, out);
      return out;
    }
    if (isPlainObject(v)) {
      const out = {};
      for (const [k, item] of Object.entries(v)) out[k] = walk2(item, v, k, track ? [...path4, k] : path4);
      copyLoc(v, out);
      return out;
    }
    return v;
  };
  return walk2(value, void 0, void 0, []);
}
function isPlainObject(v) {
  if (v === null || typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
var isHandlebarsFile = (file) => file.endsWith(".hbs");
var isPlaybookFile = (file) => /\.(ya?ml|json|ini|cfg)$|(^|\/)hosts$/.test(file);
function templateVariables(text2, source) {
  const file = source !== void 0 && typeof source !== "string" ? source.file : void 0;
  if (file !== void 0 && isHandlebarsFile(file)) return handlebarsVariables(text2, source);
  if (!isTemplated(text2)) return [];
  const mode = file !== void 0 && !isPlaybookFile(file) ? "file" : "string";
  return guarded(text2, source, () => templateNames(compileTemplate(text2, mode).stmts));
}

// src/vars/condition.ts
var origins = /* @__PURE__ */ new WeakMap();
function errorAt(o, pos, message, syntax = false) {
  const before = o.text.slice(0, pos).split("\n");
  const line = before.length;
  const col = before[before.length - 1].length + 1;
  const where = o.loc ? o.what : `${o.what} '${o.text}'`;
  const text2 = syntax ? `syntax error in ${where}: ${message}` : `${message} in ${where}`;
  return new ConfigError(text2, o.loc ? locateInText(o.loc, o.text, line, col) : void 0);
}
function span(text2) {
  const wrapped = /^\s*\{\{([\s\S]*)\}\}\s*$/.exec(text2);
  if (!wrapped || wrapped[1].includes("}}") || wrapped[1].includes("{{")) return [0, text2.length];
  const start = text2.indexOf("{{") + 2;
  return [start, start + wrapped[1].length];
}
var parsed = /* @__PURE__ */ new Map();
function parse2(o) {
  return parsedOf(o).expr;
}
function parsedOf(o) {
  const hit = parsed.get(o.text);
  if (hit) return hit;
  const expr = compile2(o);
  const entry = { expr, wrapped: span(o.text)[0] > 0 };
  if (parsed.size >= 1e4) parsed.delete(parsed.keys().next().value);
  parsed.set(o.text, entry);
  return entry;
}
function compile2(o) {
  const [start, end] = span(o.text);
  try {
    if (start === 0 && isPossiblyTemplate(o.text)) {
      const at = Math.min(...["{{", "{%", "{#"].map((d) => o.text.indexOf(d)).filter((i) => i >= 0));
      throw new JinjaError('a condition is a Jinja2 expression: write it without {{ }} (`when: x == 1`, not `when: "{{ x }} == 1"`)', at, true);
    }
    return compileExpression(o.text, start, end);
  } catch (err) {
    if (err instanceof JinjaError) throw errorAt(o, err.pos, err.message, err.syntax);
    throw err;
  }
}
function parseExpression(text2, loc, what = "when") {
  const origin = { text: text2, loc, what };
  const expr = { ...parse2(origin) };
  origins.set(expr, origin);
  return expr;
}
function run3(expr, vars, o, loc, what = "when") {
  try {
    const v = evaluateExpression(expr, vars, controllerHost(vars, o?.loc ?? loc));
    return o && typeof v === "string" && parsedOf(o).wrapped ? literal(pyStr(v)) : v;
  } catch (err) {
    if (err instanceof JinjaError) throw o ? errorAt(o, err.pos, err.message) : new ConfigError(`${err.message} in ${what}`, loc);
    throw err;
  }
}
function evaluate(expr, vars) {
  return run3(expr, vars, origins.get(expr));
}
function evaluateCondition(cond, vars, loc, what = "when") {
  if (Array.isArray(cond)) return cond.every((c) => evaluateCondition(c, vars, loc, what));
  const one = cond;
  if (typeof one === "boolean") return one;
  if (typeof one === "string") {
    if (one.trim() === "") return false;
    const origin = { text: one, loc, what };
    return truthy(run3(parse2(origin), vars, origin));
  }
  return truthy(run3(one, vars, origins.get(one), loc, what));
}
function expressionVariables(expr) {
  return expressionNames(typeof expr === "string" ? parse2({ text: expr, what: "when" }) : expr);
}

// src/vars/scope.ts
function buildHostVars(layers) {
  return Object.assign(
    /* @__PURE__ */ Object.create(null),
    layers.inventory,
    layers.facts,
    layers.play,
    layers.varsFiles,
    layers.registered,
    layers.extra,
    layers.magic
  );
}
var groupsCache = /* @__PURE__ */ new WeakMap();
var hostVarsCache = /* @__PURE__ */ new WeakMap();
function groupsOf(inv) {
  let groups = groupsCache.get(inv);
  if (!groups) {
    groups = /* @__PURE__ */ Object.create(null);
    for (const [name, g] of inv.groups) groups[name] = Object.freeze([...g.hosts]);
    Object.freeze(groups);
    groupsCache.set(inv, groups);
  }
  return groups;
}
function inventoryView(inv) {
  const memo = /* @__PURE__ */ new Map();
  return (name) => {
    let v = memo.get(name);
    if (!v) {
      const h = inv.hosts.get(name);
      v = { ...h?.vars, inventory_hostname: name, group_names: h?.groups ?? [] };
      memo.set(name, v);
    }
    return v;
  };
}
function hostVarsView(inv, hostVarsOf) {
  let perResolver = hostVarsCache.get(inv);
  if (!perResolver) hostVarsCache.set(inv, perResolver = /* @__PURE__ */ new Map());
  let view = perResolver.get(hostVarsOf);
  if (!view) {
    const resolve = hostVarsOf ?? inventoryView(inv);
    view = /* @__PURE__ */ Object.create(null);
    for (const name of inv.hosts.keys()) {
      Object.defineProperty(view, name, { enumerable: true, get: () => resolve(name) });
    }
    Object.freeze(view);
    perResolver.set(hostVarsOf, view);
  }
  return view;
}
var MAGIC_VARIABLES = [
  "inventory_hostname",
  "inventory_hostname_short",
  "group_names",
  "groups",
  "hostvars",
  "ansible_check_mode",
  "ansible_play_hosts",
  "ansible_play_hosts_all",
  "play_hosts",
  "item"
];
function magicVars(inv, host, playHosts, checkMode, hostVarsOf) {
  return {
    inventory_hostname: host,
    inventory_hostname_short: host.split(".")[0],
    group_names: inv.hosts.get(host)?.groups ?? [],
    groups: groupsOf(inv),
    hostvars: hostVarsView(inv, hostVarsOf),
    ansible_check_mode: checkMode,
    ansible_play_hosts: playHosts,
    ansible_play_hosts_all: playHosts,
    play_hosts: playHosts
  };
}

// src/vars/secrets.ts
var ALWAYS = ["ansible_become_password", "ansible_become_pass", "ansible_password", "ansible_ssh_pass"];
var SECRET_NAME = /pass(word)?|secret|token/i;
var MIN_GUESSED_LENGTH = 4;
var MASK = "********";
function read(vars, name) {
  try {
    return vars[name];
  } catch {
    return void 0;
  }
}
function leaves(v, vars, out) {
  if (typeof v === "string") {
    if (!isTemplated(v)) return void out.push(v);
    try {
      out.push(renderString(v, vars, "secret"));
    } catch {
    }
  } else if (typeof v === "number") out.push(String(v));
  else if (Array.isArray(v)) for (const x of v) leaves(x, vars, out);
  else if (v !== null && typeof v === "object") for (const x of Object.values(v)) leaves(x, vars, out);
}
function secretValues(vars, secretNames = /* @__PURE__ */ new Set()) {
  const listed = read(vars, "secret_vars");
  const explicit = /* @__PURE__ */ new Set([...ALWAYS, ...secretNames, ...Array.isArray(listed) ? listed.map(String) : []]);
  const found = /* @__PURE__ */ new Set();
  for (const name of Object.keys(vars)) {
    const named = explicit.has(name);
    if (!named && (name === "secret_vars" || !SECRET_NAME.test(name))) continue;
    const values = [];
    leaves(read(vars, name), vars, values);
    for (const s2 of values) if (s2.length >= (named ? 1 : MIN_GUESSED_LENGTH)) found.add(s2);
  }
  return [...found].sort((a, b) => b.length - a.length);
}
var patterns = /* @__PURE__ */ new Map();
function patternOf(secrets) {
  const key = secrets.join("\0");
  let re = patterns.get(key);
  if (re === void 0) {
    const sorted2 = secrets.filter((s2) => s2.length > 0).sort((a, b) => b.length - a.length);
    re = sorted2.length ? new RegExp(sorted2.map((s2) => s2.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g") : null;
    if (patterns.size > 1e3) patterns.clear();
    patterns.set(key, re);
  }
  return re;
}
var SECRET_ASSIGNMENT = new RegExp(
  `((?:^|[^\\w])[\\w.-]*(?:${SECRET_NAME.source})[\\w.-]*["']?[ \\t]*[=:][ \\t]*)("[^"\\n]*"|'[^'\\n]*'|[^\\s,}\\]]+)`,
  "gi"
);
function maskSecretAssignments(text2) {
  return text2.replace(SECRET_ASSIGNMENT, (_m, head) => head + MASK);
}
function scrub(text2, secrets) {
  const re = patternOf(secrets);
  return re ? text2.replace(re, MASK) : text2;
}

// src/vars/vars-files.ts
function mapping(value, what, at) {
  if (value === null || value === void 0) return {};
  if (typeof value === "object" && !Array.isArray(value)) return value;
  const got = Array.isArray(value) ? "a list" : `a ${typeof value}`;
  throw new ConfigErrors([new ConfigError(`${what} must be a mapping of variable names to values, got ${got}`, locOf(value) ?? at)]);
}
function loadVarsFile(path4, fromLoc) {
  return mapping(loadYamlFile(path4, fromLoc), `vars file ${path4}`, { file: path4, line: 1, col: 1 });
}
var NAME2 = /^[A-Za-z_][A-Za-z0-9_]*$/;
function parseKeyValues(text2, file) {
  const out = {};
  const word = /\s*((?:[^\s'"]+|'[^']*'|"(?:\\.|[^"\\])*")+)/gy;
  let pos = 0;
  for (; ; ) {
    word.lastIndex = pos;
    const m2 = word.exec(text2);
    if (!m2) break;
    pos = word.lastIndex;
    const raw = m2[1];
    const col = m2.index + m2[0].length - raw.length + 1;
    const eq2 = raw.indexOf("=");
    const key = eq2 < 0 ? "" : raw.slice(0, eq2);
    if (!NAME2.test(key)) {
      const why = eq2 < 0 ? `expected key=value, a JSON/YAML mapping or @file, got '${raw}'${NAME2.test(raw) ? ` (write ${raw}=VALUE)` : ""}` : `'${key}' is not a valid variable name (letters, digits and _, not starting with a digit)`;
      throw new ConfigErrors([new ConfigError(`-e argument: ${why}`, { file, line: 1, col })]);
    }
    out[key] = raw.slice(eq2 + 1).replace(
      /'([^']*)'|"((?:\\.|[^"\\])*)"/g,
      (_, single, double) => single ?? (double ?? "").replace(/\\(.)/g, "$1")
    );
  }
  const rest = text2.slice(pos);
  if (rest.trim() !== "") {
    const col = pos + rest.length - rest.trimStart().length + 1;
    throw new ConfigErrors([new ConfigError("-e argument: unterminated quote", { file, line: 1, col })]);
  }
  return out;
}
function parseExtraVars(values) {
  const out = {};
  values.forEach((text2, i) => {
    const file = `-e #${i + 1}`;
    registerSource(file, text2);
    const trimmed = text2.trim();
    const at = { file, line: 1, col: text2.length - text2.trimStart().length + 1 };
    let vars;
    if (trimmed.startsWith("@")) {
      const path4 = trimmed.slice(1);
      if (path4 === "") throw new ConfigErrors([new ConfigError("-e argument: @ needs a file name", at)]);
      vars = loadVarsFile(path4, { ...at, col: at.col + 1 });
    } else if (trimmed.startsWith("{")) {
      vars = mapping(parseYaml(text2, file), "-e argument", at);
    } else {
      vars = parseKeyValues(text2, file);
    }
    Object.assign(out, vars);
  });
  return out;
}
export {
  MAGIC_VARIABLES,
  MASK,
  UnsafeText,
  buildHostVars,
  evaluate,
  evaluateCondition,
  expressionVariables,
  isTemplated,
  isUnsafe,
  loadVarsFile,
  locateInText,
  magicVars,
  maskSecretAssignments,
  parseExpression,
  parseExtraVars,
  renderString,
  renderTemplateFile,
  renderValue,
  scrub,
  secretValues,
  shellQuote2 as shellQuote,
  templateCatalog,
  templateHelperDocs,
  templateVariables,
  truthy2 as truthy
};
