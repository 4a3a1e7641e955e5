"use client";

// A JavaScript editor for code steps (CodeMirror 6): syntax highlighting, line numbers, bracket
// matching, undo history, Tab indents (Escape, then Tab, leaves the editor). A controlled field:
// `value` in, `onChange` out; a `value` that differs from the editor's text (undo of the
// whole form, another node selected) replaces it. The CSP allows inline styles
// (lib/config/security-headers.ts), which CodeMirror needs for its generated style rules.
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { javascript } from "@codemirror/lang-javascript";
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { Compartment, EditorState, type Extension } from "@codemirror/state";
import { EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers, placeholder as placeholderText } from "@codemirror/view";
import { useEffect, useRef } from "react";

const theme = EditorView.theme({
  "&": { fontSize: "12px", backgroundColor: "white", borderRadius: "0.375rem", border: "1px solid rgb(203 213 225)" },
  "&.cm-focused": { outline: "2px solid rgb(99 102 241)", outlineOffset: "-1px" },
  ".cm-scroller": { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", lineHeight: "1.5", minHeight: "10rem", maxHeight: "28rem" },
  ".cm-gutters": { backgroundColor: "rgb(248 250 252)", color: "rgb(148 163 184)", borderRight: "1px solid rgb(226 232 240)", borderRadius: "0.375rem 0 0 0.375rem" },
  ".cm-activeLine, .cm-activeLineGutter": { backgroundColor: "rgb(241 245 249 / 0.7)" },
});

export function CodeEditor({
  id,
  value,
  onChange,
  onBlur,
  readOnly = false,
  invalid = false,
  describedBy,
  labelledBy,
  placeholder,
}: {
  /** Put on the editable element, so a <label htmlFor> focuses the editor. */
  id?: string;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  readOnly?: boolean;
  invalid?: boolean;
  describedBy?: string;
  labelledBy?: string;
  placeholder?: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  // The editor is created once; these keep its listeners and settings current without recreating it.
  const callbacks = useRef({ onChange, onBlur });
  const settings = useRef(new Compartment());
  useEffect(() => {
    callbacks.current = { onChange, onBlur };
  });

  const configured = (): Extension => [
    EditorState.readOnly.of(readOnly),
    EditorView.editable.of(!readOnly),
    EditorView.contentAttributes.of({
      ...(id ? { id } : {}),
      "aria-multiline": "true",
      ...(labelledBy ? { "aria-labelledby": labelledBy } : {}),
      ...(describedBy ? { "aria-describedby": describedBy } : {}),
      ...(invalid ? { "aria-invalid": "true" } : {}),
    }),
    placeholder ? placeholderText(placeholder) : [],
  ];

  useEffect(() => {
    if (!host.current) return;
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          highlightActiveLineGutter(),
          highlightActiveLine(),
          history(),
          indentOnInput(),
          bracketMatching(),
          syntaxHighlighting(defaultHighlightStyle),
          javascript(),
          keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
          EditorState.tabSize.of(2),
          EditorView.lineWrapping,
          theme,
          settings.current.of(configured()),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) callbacks.current.onChange(update.state.doc.toString());
            if (update.focusChanged && !update.view.hasFocus) callbacks.current.onBlur?.();
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // Created once per mount; value and settings reach it through the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    view.current?.dispatch({ effects: settings.current.reconfigure(configured()) });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, readOnly, invalid, describedBy, labelledBy, placeholder]);

  useEffect(() => {
    const editor = view.current;
    if (!editor || editor.state.doc.toString() === value) return;
    editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
  }, [value]);

  return <div ref={host} data-testid="code-editor" className={invalid ? "rounded-md ring-1 ring-red-500" : undefined} />;
}
