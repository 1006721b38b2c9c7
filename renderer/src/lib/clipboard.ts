/**
 * Copies in the window (serve mode, where main cannot reach the system clipboard) and clears the
 * clipboard after the given seconds if it still holds the secret. Where the browser will not let
 * the page read the clipboard, it clears it unless something else was copied in this window since.
 */
let pending: { timer: ReturnType<typeof setTimeout>; onCopy: () => void } | undefined;

export async function copyAndClear(value: string, seconds: number): Promise<void> {
  await navigator.clipboard.writeText(value);
  if (pending) {
    clearTimeout(pending.timer);
    document.removeEventListener('copy', pending.onCopy);
  }
  let copiedElse = false;
  const onCopy = () => {
    copiedElse = true;
  };
  document.addEventListener('copy', onCopy);
  const timer = setTimeout(async () => {
    document.removeEventListener('copy', onCopy);
    pending = undefined;
    let current: string | undefined;
    try {
      current = await navigator.clipboard.readText();
    } catch {
      current = copiedElse ? undefined : value;
    }
    if (current === value) await navigator.clipboard.writeText('').catch(() => {});
  }, seconds * 1000);
  pending = { timer, onCopy };
}
