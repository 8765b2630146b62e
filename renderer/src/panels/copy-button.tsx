// A small "Copy" button beside an id: the clipboard API where the page may use it, else a hidden
// text area and execCommand (an http page in some browsers). Says what it copied.
import { useState } from 'react';

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'offscreen';
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

export function CopyButton({ value, what = 'id' }: { value: string; what?: string }) {
  const [done, setDone] = useState<boolean | null>(null);
  return (
    <button
      type="button"
      className="copy-button"
      aria-label={`Copy ${what} ${value}`}
      title={`Copy ${value}`}
      onClick={() => void copyText(value).then(setDone)}
    >
      {done === null ? 'Copy' : done ? 'Copied' : 'Copy failed'}
    </button>
  );
}
