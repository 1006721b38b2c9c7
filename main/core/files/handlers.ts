import { CoreError } from '../core-error.js';
import type { AreaHandlers } from '../dispatch.js';
import type { FilesService } from './files-service.js';

/** Where main can show a native save dialog (Electron); serve mode downloads in the window instead. */
export type SaveDialog = (defaultName: string) => Promise<string | undefined>;

export function filesHandlers(files: FilesService, saveDialog: SaveDialog | undefined): AreaHandlers<'files'> {
  return {
    'vault.uploadFile': ({ fileId, realmId, key, notes, uploadId }) => files.uploadRegistered({ fileId, realmId, key, notes, uploadId }),
    'vault.cancelUpload': ({ uploadId }) => ({ cancelled: files.cancel(uploadId) }),
    'vault.previewFile': ({ realmId, key }) => files.preview(realmId, key),
    'vault.saveFile': ({ realmId, key }) => {
      if (!saveDialog) throw new CoreError('NOT_AVAILABLE', 'Saving through a dialog is for the desktop app; the window downloads the file instead.');
      return files.saveTo(realmId, key, saveDialog);
    },
    'vault.prepareDownload': ({ realmId, key }) => files.prepareDownload(realmId, key),
  };
}
