"use client";
// zod 4 probes `new Function` before its first parse to decide whether to compile parsers; under the
// app's Content-Security-Policy (no 'unsafe-eval') that probe is a reported violation. In the
// browser, parse without compiled parsers instead.
import { z } from "zod";

if (typeof window !== "undefined") z.config({ jitless: true });

export function ZodWithoutEval() {
  return null;
}
