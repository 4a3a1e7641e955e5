"use client";

// Keyboard shortcuts, opened with "?" or the help button.
import { useEffect, useRef } from "react";
import { Button } from "@/components/ui/button";

export const SHORTCUTS: [string, string][] = [
  ["/ or Ctrl K", "Add a step (quick add)"],
  ["Ctrl Z", "Undo"],
  ["Ctrl Shift Z or Ctrl Y", "Redo"],
  ["Ctrl C / Ctrl V", "Copy / paste selected steps"],
  ["Ctrl D", "Duplicate selected steps"],
  ["Delete or Backspace", "Delete selected steps or connections"],
  ["Shift click or drag with Shift", "Select several steps"],
  ["Arrow keys", "Move the selected steps"],
  ["Tab", "Move focus between steps"],
  ["Shift L", "Tidy up (auto-layout)"],
  ["Shift F", "Fit the flow in view"],
  ["Ctrl S", "Save now"],
  ["Escape", "Close the panel or dialog"],
  ["?", "Show this help"],
];

export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (open && !dialog.current?.open) dialog.current?.showModal();
    if (!open && dialog.current?.open) dialog.current.close();
  }, [open]);
  return (
    <dialog ref={dialog} onClose={onClose} aria-labelledby="shortcuts-title" className="m-auto w-full max-w-lg rounded-xl p-0 shadow-xl backdrop:bg-slate-900/40">
      <div className="p-6">
        <h2 id="shortcuts-title" className="text-lg font-semibold">
          Keyboard shortcuts
        </h2>
        <table className="mt-4 w-full text-sm">
          <tbody className="divide-y divide-slate-100">
            {SHORTCUTS.map(([keys, action]) => (
              <tr key={keys}>
                <td className="py-1.5 pr-4 whitespace-nowrap">
                  <kbd className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs">{keys}</kbd>
                </td>
                <td className="py-1.5 text-slate-700">{action}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="mt-3 text-xs text-slate-500">On a Mac, use ⌘ instead of Ctrl.</p>
        <div className="mt-4 flex justify-end">
          <Button variant="secondary" onClick={onClose}>
            Close
          </Button>
        </div>
      </div>
    </dialog>
  );
}
