"use client";

// Starts a test run of the draft from anywhere inside the builder (toolbar, Listen for test event).
import { createContext, useContext } from "react";

/** Runs the current draft as a test run, with `trigger` as its request or else the flow's sample. */
export type StartTestRun = (trigger?: unknown) => Promise<void>;

const TestRunContext = createContext<StartTestRun | null>(null);

export const TestRunProvider = TestRunContext.Provider;

export function useStartTestRun(): StartTestRun {
  const start = useContext(TestRunContext);
  if (!start) throw new Error("useStartTestRun must be used inside the flow builder");
  return start;
}
