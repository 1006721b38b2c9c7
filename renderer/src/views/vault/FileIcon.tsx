import { File, FileArchive, FileCode, FileImage, FileText, KeyRound } from 'lucide-react';
import type { VaultItem } from '../../../../common/vault.js';

/** A secret's key, or a file's icon by its type. */
export function EntryIcon({ item, size = 18 }: { item: Pick<VaultItem, 'kind' | 'contentType'>; size?: number }) {
  if (item.kind !== 'file') return <KeyRound size={size} />;
  const type = item.contentType ?? '';
  if (type.startsWith('image/')) return <FileImage size={size} />;
  if (type.startsWith('text/') || type === 'application/pdf') return <FileText size={size} />;
  if (/json|xml|yaml|javascript|pem/.test(type)) return <FileCode size={size} />;
  if (/zip|gzip|tar|compressed/.test(type)) return <FileArchive size={size} />;
  return <File size={size} />;
}
