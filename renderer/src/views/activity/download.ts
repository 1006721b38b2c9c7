// Serve mode has no save dialog in main: the export's content is handed to the window, which saves
// it as a download. A Blob URL works under the page's CSP (it restricts what the page loads, not
// what it downloads), and, unlike a data: URL, has no length limit.

export function downloadFile(fileName: string, mimeType: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once it starts; give it a moment before letting the Blob go.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
