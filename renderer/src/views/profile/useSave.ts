import { useState } from 'react';
import type { AppError, Result } from '../../../../common/errors.js';

/** Runs a save, tracking busy/saved/error, so every small form behaves the same way. */
export function useSave<T>() {
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<AppError | undefined>();
  async function run(action: () => Promise<Result<T>>): Promise<Result<T>> {
    setBusy(true);
    setSaved(false);
    setError(undefined);
    const result = await action();
    setBusy(false);
    if (result.ok) setSaved(true);
    else setError(result.error);
    return result;
  }
  return { busy, saved, error, run, clear: () => (setSaved(false), setError(undefined)) };
}
