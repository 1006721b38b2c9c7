import { useState, type FormEvent } from 'react';
import type { KeyPair } from '../../../../common/contract.js';
import type { Result } from '../../../../common/errors.js';
import type { User } from '../../../../common/hoody-types.js';
import { publicKeySchema } from '../../../../common/rules.js';
import { Dialog } from '../../components/Dialog.js';
import { Field } from '../../components/Field.js';
import { CopyButton } from '../../components/CopyButton.js';
import { fieldError, formError, sentence } from '../../lib/errors.js';
import { generateKeyPair } from '../../stores/profile.js';
import { storeSigningKey } from '../../stores/vault-actions.js';
import { SaveRow } from './AliasForm.js';
import { useSave } from './useSave.js';
import { useVault } from '../../stores/vault.js';
import { entryKeySchema } from '../../../../common/vault.js';

export function PublicKeyForm({ user, onSave }: { user: User; onSave(change: { public_key: string }): Promise<Result<User>> }) {
  const [key, setKey] = useState(user.public_key ?? '');
  const [touched, setTouched] = useState(false);
  const [generated, setGenerated] = useState<KeyPair | undefined>();
  const [generateError, setGenerateError] = useState<string | undefined>();
  const save = useSave<User>();
  const check = publicKeySchema.safeParse(key.trim());
  const problem = touched && key && !check.success ? sentence(`Public key ${check.error.issues[0]?.message}`) : undefined;
  const changed = key.trim() !== (user.public_key ?? '');

  async function submit(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (!check.success || !changed) return;
    await save.run(() => onSave({ public_key: check.data }));
  }

  async function generate() {
    setGenerateError(undefined);
    const result = await generateKeyPair();
    if (!result.ok) return setGenerateError(result.error.message);
    setGenerated(result.data);
    setKey(result.data.publicKey);
    setTouched(true);
    save.clear();
  }

  return (
    <form className="inline-form" onSubmit={submit} noValidate aria-label="Public key">
      <Field label="Public key" hint="Your ED25519 public key: exactly 64 hexadecimal characters." error={problem ?? fieldError(save.error, 'public_key')}>
        <input className="mono" spellCheck={false} autoComplete="off" value={key} onChange={(e) => (setKey(e.target.value), save.clear())} onBlur={() => setTouched(true)} />
      </Field>
      <SaveRow busy={save.busy} disabled={!changed || !check.success} saved={save.saved && !changed} error={generateError ?? formError(save.error, ['public_key'])} label="Save public key">
        <button type="button" className="button secondary" onClick={generate}>
          Generate a new key pair
        </button>
      </SaveRow>
      <Dialog open={!!generated} onOpenChange={(open) => !open && setGenerated(undefined)} title="Save your private key now" wide>
        <p>
          This is the private half of the key pair. It is shown only this once. Store it in your vault (encrypted on this computer), or save it somewhere safe
          yourself; otherwise it is gone when the app quits.
        </p>
        <p className="secret-box mono" aria-label="Private key">
          {generated?.privateKey}
        </p>
        <StoreInVault />
        <div className="dialog-actions">
          {generated && <CopyButton text={generated.privateKey} label="Copy private key" />}
          {generated && (
            <a className="button secondary" download="hoody-ed25519-private-key.txt" href={`data:text/plain;charset=utf-8,${encodeURIComponent(generated.privateKey + '\n')}`}>
              Save as a file
            </a>
          )}
          <button type="button" className="button primary" onClick={() => setGenerated(undefined)}>
            I have saved it
          </button>
        </div>
        <p className="muted small">The public key is now in the form; press “Save public key” to put it on your profile.</p>
      </Dialog>
    </form>
  );
}

/** Keeps the new private key in the vault, sealed (it must be unlocked), under a name the user picks. */
function StoreInVault() {
  const unlocked = useVault((s) => s.status?.state === 'unlocked');
  const [key, setKey] = useState('ed25519-signing-key');
  const [state, setState] = useState<{ busy?: boolean; done?: string; error?: string }>({});
  const check = entryKeySchema.safeParse(key);
  if (!unlocked) return <p className="muted small">Unlock your vault (on the Vault page) to store the private key there, encrypted.</p>;
  if (state.done) return <p className="notice info" role="status">Stored in your vault as “{state.done}”, encrypted.</p>;
  return (
    <form
      className="row-form inline-form"
      noValidate
      aria-label="Store in vault"
      onSubmit={async (event) => {
        event.preventDefault();
        if (!check.success) return;
        setState({ busy: true });
        const result = await storeSigningKey(key);
        setState(result.ok ? { done: key } : { error: result.error.fields?.key ? sentence(`Key ${result.error.fields.key}`) : result.error.message });
      }}
    >
      <Field label="Store in the vault as" error={(key && !check.success ? sentence(`Key ${check.error.issues[0]?.message}`) : undefined) ?? state.error}>
        <input className="mono" value={key} onChange={(e) => setKey(e.target.value)} spellCheck={false} />
      </Field>
      <button type="submit" className="button primary" disabled={state.busy || !check.success}>
        {state.busy ? 'Storing…' : 'Store in vault'}
      </button>
    </form>
  );
}
