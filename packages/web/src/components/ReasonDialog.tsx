// Asks for the reason of a void, decline or terminate (Radix Dialog: focus trap, Escape, labelled).
import * as Dialog from '@radix-ui/react-dialog';
import { type FormEvent, useState } from 'react';

export interface ReasonDialogProps {
  trigger: string;
  title: string;
  description: string;
  confirm: string;
  danger?: boolean;
  disabled?: boolean;
  onConfirm(reason: string): Promise<unknown>;
}

export function ReasonDialog({ trigger, title, description, confirm, danger, disabled, onConfirm }: ReasonDialogProps) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      await onConfirm(reason.trim());
      setOpen(false);
      setReason('');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger asChild>
        <button type="button" className={danger ? 'button danger' : 'button'} disabled={disabled}>
          {trigger}
        </button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog">
          <Dialog.Title>{title}</Dialog.Title>
          <Dialog.Description className="muted">{description}</Dialog.Description>
          <form onSubmit={submit}>
            <label className="field">
              <span>Reason</span>
              <textarea required maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} rows={3} />
            </label>
            <div className="row end">
              <Dialog.Close asChild>
                <button type="button" className="button ghost">
                  Cancel
                </button>
              </Dialog.Close>
              <button
                type="submit"
                className={danger ? 'button danger' : 'button primary'}
                disabled={busy || reason.trim() === ''}
              >
                {confirm}
              </button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
