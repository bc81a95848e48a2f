/**
 * A modal confirmation for destructive actions (delete a topic, reset a group's offsets),
 * built on the native <dialog> element: focus is trapped, Escape cancels. When `typeToConfirm`
 * is set the confirm button stays disabled until that exact text is typed.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

export interface ConfirmDialogProps {
  title: string;
  confirmLabel: string;
  typeToConfirm?: string;
  danger?: boolean;
  onConfirm(): Promise<void> | void;
  onClose(): void;
  children?: ComponentChildren;
}

export function ConfirmDialog(props: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  useEffect(() => {
    ref.current?.showModal();
  }, []);

  const allowed = !busy && (props.typeToConfirm === undefined || typed === props.typeToConfirm);
  const confirm = async (e: Event) => {
    e.preventDefault();
    if (!allowed) return;
    setBusy(true);
    setError(undefined);
    try {
      await props.onConfirm();
      props.onClose();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };

  return (
    <dialog ref={ref} class="dialog" aria-labelledby="confirm-title" onClose={props.onClose}>
      <form method="dialog" onSubmit={confirm}>
        <h2 id="confirm-title">{props.title}</h2>
        <div class="dialog-body">{props.children}</div>
        {props.typeToConfirm !== undefined && (
          <label class="field">
            <span>
              Type <code>{props.typeToConfirm}</code> to confirm
            </span>
            <input value={typed} onInput={(e) => setTyped(e.currentTarget.value)} autoComplete="off" spellcheck={false} autoFocus />
          </label>
        )}
        {error !== undefined && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        <div class="dialog-actions">
          <button type="button" class="btn" onClick={() => ref.current?.close()}>
            Cancel
          </button>
          <button type="submit" class={props.danger ? 'btn btn-danger' : 'btn btn-primary'} disabled={!allowed}>
            {busy ? 'Working…' : props.confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
