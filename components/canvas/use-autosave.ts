"use client";

// Debounced, conflict-safe draft autosave: PATCH { graph, revision }; a 409 means another tab or
// user saved a newer draft, and nothing is overwritten until the user reloads.
import { useCallback, useEffect, useRef } from "react";
import { apiFetch } from "@/lib/api/client";
import { flowSchema } from "@/lib/flows/flow-responses";
import { useEditorStoreApi } from "./editor-context";

const DEBOUNCE_MS = 800;

export function useAutosave(): { saveNow: () => Promise<boolean> } {
  const store = useEditorStoreApi();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const inFlight = useRef<Promise<boolean> | null>(null);
  const scheduleRef = useRef<() => void>(() => {});

  const save = useCallback(async (): Promise<boolean> => {
    if (inFlight.current) await inFlight.current;
    const state = store.getState();
    if (state.readOnly || state.saveStatus === "conflict") return state.saveStatus !== "conflict";
    if (state.changeId === state.savedChangeId) return true;
    const changeId = state.changeId;
    state.markSaving();
    const request = (async () => {
      const result = await apiFetch(`/api/v1/flows/${state.flowId}`, {
        schema: flowSchema,
        method: "PATCH",
        body: { graph: state.graph(), revision: state.revision },
      });
      if (result.ok) {
        store.getState().markSaved(changeId, result.data.draftRevision);
        return true;
      }
      store.getState().markSaveFailed(result.error.message, result.status === 409);
      return false;
    })();
    inFlight.current = request;
    try {
      return await request;
    } finally {
      inFlight.current = null;
      // Changes made while saving get their own save.
      const after = store.getState();
      if (after.changeId !== after.savedChangeId && after.saveStatus === "dirty") scheduleRef.current();
    }
  }, [store]);

  const schedule = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void save(), DEBOUNCE_MS);
  }, [save]);
  useEffect(() => {
    scheduleRef.current = schedule;
  }, [schedule]);

  useEffect(() => {
    const unsubscribe = store.subscribe((state, previous) => {
      if (state.changeId !== previous.changeId) schedule();
    });
    // Leaving with unsaved changes: warn (the browser shows its own text).
    const beforeUnload = (event: BeforeUnloadEvent) => {
      const state = store.getState();
      if (state.changeId !== state.savedChangeId) event.preventDefault();
    };
    window.addEventListener("beforeunload", beforeUnload);
    return () => {
      unsubscribe();
      clearTimeout(timer.current);
      window.removeEventListener("beforeunload", beforeUnload);
    };
  }, [store, schedule]);

  const saveNow = useCallback(async () => {
    clearTimeout(timer.current);
    return save();
  }, [save]);

  return { saveNow };
}
