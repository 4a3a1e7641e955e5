// User regular expressions run on RE2 (re2js, pure JavaScript): matching time grows linearly with
// the input, so no pattern can backtrack catastrophically and hold the event loop. RE2 has no
// backreferences or lookaround; such patterns fail with a message that says so.
import { RE2JS } from "re2js";

export class RegexUnsupportedError extends Error {
  readonly code = "SY_REGEX";
  constructor(pattern: string, reason: string) {
    super(`regular expression /${pattern}/ cannot be used: ${reason} (expressions match with RE2, which has no backreferences or lookaround)`);
  }
}

/**
 * JSONata's RegexEngine: constructed from the literal's native RegExp, used through `exec` with
 * `lastIndex` like a global RegExp. Each engine stops once its evaluation's time budget is spent.
 */
export function linearRegexEngine(timeoutMs: number) {
  return class LinearRegExp {
    lastIndex = 0;
    readonly #re: RE2JS;
    readonly #source: string;
    readonly #deadline = Date.now() + timeoutMs;
    #input: string | undefined;
    #matcher: ReturnType<RE2JS["matcher"]> | undefined;

    constructor(native: RegExp) {
      this.#source = native.source;
      try {
        this.#re = RE2JS.compile(RE2JS.translateRegExp(native));
      } catch (error) {
        throw new RegexUnsupportedError(native.source, (error as Error).message);
      }
    }

    exec(input: string): (RegExpExecArray & string[]) | null {
      if (Date.now() > this.#deadline) throw { code: "D1012", value: timeoutMs, stack: new Error().stack };
      // One matcher per input: re-reading a long string for every match would be quadratic.
      if (this.#input !== input || !this.#matcher) {
        this.#input = input;
        this.#matcher = this.#re.matcher(input);
      }
      const matcher = this.#matcher;
      if (this.lastIndex > input.length || !matcher.find(this.lastIndex)) {
        this.lastIndex = 0;
        return null;
      }
      const groups: (string | undefined)[] = [];
      for (let i = 0; i <= matcher.groupCount(); i++) groups.push(matcher.group(i) ?? undefined);
      const match = Object.assign(groups, { index: matcher.start(), input }) as unknown as RegExpExecArray;
      this.lastIndex = matcher.end();
      return match;
    }

    get source() {
      return this.#source;
    }
  };
}
