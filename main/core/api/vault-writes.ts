// A count of the vault changes this process has started or finished: every write the API client
// sends (before it goes and after it is answered) and every change kept offline for later. A
// listing made ahead of time (during an unlock's key derivation, or right after it) records the count
// when it starts and is used only if the count is the same when it is asked for: a save, delete or
// upload in between makes it stale, and it is made again.
//
// One count for the process, not per account or core: a write anywhere only costs another core's
// early listing (it is made again, as it would have been without it), never its correctness.

let writes = 0;

export function noteVaultWrite(): void {
  writes += 1;
}

export function vaultWrites(): number {
  return writes;
}
