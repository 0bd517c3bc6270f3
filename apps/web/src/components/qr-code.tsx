import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/** The otpauth:// link as a QR code for authenticator apps. */
export function QrCode({ value, label }: { value: string; label: string }) {
  const [src, setSrc] = useState<string>();
  useEffect(() => {
    let isCurrent = true;
    QRCode.toDataURL(value, { errorCorrectionLevel: 'M', margin: 1, width: 200 }).then((url) => {
      if (isCurrent) setSrc(url);
    });
    return () => {
      isCurrent = false;
    };
  }, [value]);
  return src ? (
    <img className="qr" src={src} alt={label} width={200} height={200} />
  ) : (
    <div className="qr qr-loading" aria-busy="true" />
  );
}
