// Language for the Rahdari web pages: English or Urdu (right to left), chosen by the user and remembered.
export type Lang = 'en' | 'ur';

export const LANGS: readonly Lang[] = ['en', 'ur'];

const STORAGE_KEY = 'rahdari.lang';

/** The language last chosen on this device, English when none was. */
export function savedLang(): Lang {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === 'ur' ? 'ur' : 'en';
  } catch {
    // Storage can be switched off; the page still works, it just forgets.
    return 'en';
  }
}

/** Remembers the language and sets the document's lang and dir, so logical CSS properties flip for Urdu. */
export function applyLang(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // See savedLang.
  }
  document.documentElement.lang = lang;
  document.documentElement.dir = lang === 'ur' ? 'rtl' : 'ltr';
}

/** Fills `{name}` placeholders of a catalogue string. */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in values ? String(values[key]) : whole,
  );
}

/** A CNIC as printed on the card: 5-7-1 digits. */
export function cnicAsPrinted(cnic: number | string): string {
  const digits = String(cnic);
  return digits.length === 13 ? `${digits.slice(0, 5)}-${digits.slice(5, 12)}-${digits.slice(12)}` : digits;
}
