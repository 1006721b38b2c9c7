import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/**
 * Draws text (an otpauth:// URL) as a QR code. It is rendered to an SVG string and shown as a
 * data: image, which the page's CSP allows (img-src data:), with no inline markup or script. Dark
 * modules on white whatever the theme: authenticator cameras expect that contrast.
 */
export function QrCode({ text, label }: { text: string; label: string }) {
  const [src, setSrc] = useState<string | undefined>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#000000', light: '#ffffff' } }).then(
      (svg) => live && setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [text]);
  if (failed) return <p className="field-error">The QR code could not be drawn: enter the key below by hand.</p>;
  return src ? <img className="qr-code" src={src} alt={label} /> : <div className="qr-code" aria-busy="true" />;
}
