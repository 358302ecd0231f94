// QR text at its edges: the characters either side of the JWS alphabet, the largest pair, and bodies of any length.
import { describe, expect, it } from 'vitest';
import { fromQrText, QrTextError, toDigits, toQrText } from '../../shared/qr-text.ts';

describe('writing QR text', () => {
  it.each([
    [',', 'the character before "-"'],
    ['{', 'the character after "z"'],
  ])('refuses %j, %s, naming it and its position', (bad) => {
    const encode = () => toDigits(`eyJ${bad}`);

    expect(encode).toThrow(
      new QrTextError(
        `Cannot encode character ${JSON.stringify(bad)} at position 3: a JWS only holds base64url and '.'`,
      ),
    );
  });

  it('writes the smallest and largest characters as 00 and 77', () => {
    expect(toDigits('-z')).toBe('0077');
  });
});

describe('reading QR text', () => {
  it('reads 77, the largest pair, as "z"', () => {
    expect(fromQrText('rhd:/77')).toBe('z');
  });

  it('gives back a body far longer than one chunk of characters exactly', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    const jws = Array.from({ length: 10_001 }, (_, i) => alphabet[(i * 7) % alphabet.length]).join('');

    expect(fromQrText(toQrText(jws))).toBe(jws);
  });

  it('names a stray character by its position in the whole scan', () => {
    const read = () => fromQrText('rhd:/5656x6');

    expect(read).toThrow(new QrTextError('QR text has a non-digit "x" at position 9'));
  });

  it('names a pair too large by its position in the whole scan', () => {
    const read = () => fromQrText('rhd:/567780');

    expect(read).toThrow(
      new QrTextError('QR text has digit pair 80 at position 9; the largest allowed is 77'),
    );
  });

  it('calls a scan that was only the scanner Enter empty', () => {
    expect(() => fromQrText('\r\n')).toThrow(new QrTextError('QR text is empty'));
  });

  it('returns text that merely begins like the prefix as a raw scan', () => {
    expect(fromQrText('rhd:56')).toBe('rhd:56');
  });

  it('names its error class', () => {
    expect(new QrTextError('x').name).toBe('QrTextError');
  });
});
