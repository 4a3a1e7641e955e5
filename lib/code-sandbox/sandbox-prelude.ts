// JavaScript evaluated inside each fresh QuickJS context before the user's code: it installs
// `console` (its one host function stays in a closure, never on globalThis) and returns the
// function that turns the code's result into JSON text, or throws a message naming what is not JSON.

export const PRELUDE_FILENAME = "switchyard-prelude";

export const PRELUDE_SOURCE = String.raw`(function (emit) {
  "use strict";
  const describe = (value) => {
    const seen = new Set();
    const replacer = function (key, item) {
      if (typeof item === "bigint") return item.toString() + "n";
      if (typeof item === "function") return "[Function " + (item.name || "anonymous") + "]";
      if (typeof item === "symbol") return item.toString();
      if (item === undefined) return "undefined";
      if (item instanceof Error) return item.name + ": " + item.message;
      if (item instanceof Map) return { "[Map]": Array.from(item.entries()) };
      if (item instanceof Set) return { "[Set]": Array.from(item.values()) };
      if (item !== null && typeof item === "object") {
        if (seen.has(item)) return "[Circular]";
        seen.add(item);
      }
      return item;
    };
    try {
      return JSON.stringify(value, replacer);
    } catch (error) {
      return String(value);
    }
  };
  const format = (args) => args.map((arg) => (typeof arg === "string" ? arg : describe(arg))).join(" ");
  const line = (level) => (...args) => { emit(level, format(args)); };
  globalThis.console = Object.freeze({ log: line("log"), info: line("info"), debug: line("log"), warn: line("warn"), error: line("error") });

  const at = (path) => (path === "" ? "The returned value" : "The returned value at " + path);
  const child = (path, key) => (typeof key === "number" ? path + "[" + key + "]" : /^[A-Za-z_$][\w$]*$/.test(key) ? (path ? path + "." + key : key) : path + "[" + JSON.stringify(key) + "]");
  // A copy with JSON's own rules (toJSON, undefined members dropped), refusing what JSON would silently mangle.
  const toJson = (value, path, ancestors) => {
    if (value !== null && typeof value === "object" && typeof value.toJSON === "function") value = value.toJSON();
    switch (typeof value) {
      case "string": case "boolean": return value;
      case "number":
        if (!Number.isFinite(value)) throw new TypeError(at(path) + " is " + value + ", which JSON cannot hold");
        return value;
      case "bigint": throw new TypeError(at(path) + " is a BigInt; convert it with String() or Number()");
      case "function": throw new TypeError(at(path) + " is a function, which JSON cannot hold");
      case "symbol": throw new TypeError(at(path) + " is a symbol, which JSON cannot hold");
      case "undefined": return undefined;
    }
    if (value === null) return null;
    if (ancestors.includes(value)) throw new TypeError(at(path) + " refers to itself (a cycle), which JSON cannot hold");
    if (value instanceof Map) throw new TypeError(at(path) + " is a Map; convert it with Object.fromEntries(map)");
    if (value instanceof Set) throw new TypeError(at(path) + " is a Set; convert it with Array.from(set)");
    if (value instanceof Promise) throw new TypeError(at(path) + " is a Promise; await it before returning");
    ancestors.push(value);
    let copy;
    if (Array.isArray(value)) {
      copy = value.map((item, index) => { const json = toJson(item, child(path, index), ancestors); return json === undefined ? null : json; });
    } else {
      copy = {};
      for (const key of Object.keys(value)) {
        const json = toJson(value[key], child(path, key), ancestors);
        if (json !== undefined) copy[key] = json;
      }
    }
    ancestors.pop();
    return copy;
  };
  return (value) => {
    const json = toJson(value, "", []);
    return json === undefined ? "null" : JSON.stringify(json);
  };
})`;
