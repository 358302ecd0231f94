// The ways a credential comes in: a keyboard-wedge scanner (or typed text), the camera and a photo. The scan field
// keeps the focus through every tap, so a wedge scanner's next scan always lands in it.
import { h } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { format } from '../../shared/i18n.ts';
import { CameraScanner, FrameReader, photoFrame } from './scanner.ts';
import type { Strings } from './strings.ts';

const el = h;

/** Why a read gave no verdict; said in the officer's language of the moment, so kept as a reason, not words. */
export type ReadFailure =
  | { kind: 'no-code' }
  | { kind: 'reader'; detail: string }
  | { kind: 'camera'; detail: string };

export function failureText(failure: ReadFailure, s: Strings): string {
  if (failure.kind === 'no-code') return s.noQrFound;
  return format(failure.kind === 'reader' ? s.decoderFailed : s.cameraFailed, { detail: failure.detail });
}

const detailOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

const SCAN_FIELD = 'qr-text';

/** Puts the focus back on the scan field, where a wedge scanner types, without scrolling the page to it. */
export function focusScan(): void {
  document.getElementById(SCAN_FIELD)?.focus({ preventScroll: true });
}

const editable = (node: Element | null): boolean =>
  node instanceof HTMLInputElement ||
  node instanceof HTMLTextAreaElement ||
  node instanceof HTMLSelectElement ||
  (node instanceof HTMLElement && node.isContentEditable);

/**
 * After any tap on a button (OUT, Undo, Update now, a group's start, the language) the focus goes back to the scan
 * field; and a key typed while no field has the focus is sent there, so a scan is never typed into nothing.
 */
export function useScannerFocus(): void {
  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      const target = event.target instanceof Element ? event.target.closest('button, summary, a') : null;
      // After the click's own handlers, and its re-render, have run.
      if (target) setTimeout(() => !editable(document.activeElement) && focusScan(), 0);
    };
    const onKey = (event: KeyboardEvent) => {
      // A space is a keyboard user pressing a button, and no scan starts with one.
      if (event.ctrlKey || event.metaKey || event.altKey || event.key.length !== 1 || event.key === ' ')
        return;
      if (editable(document.activeElement)) return;
      // Moved before the key's default action, the character lands in the scan field.
      focusScan();
    };
    document.addEventListener('click', onClick);
    document.addEventListener('keydown', onKey, { capture: true });
    return () => {
      document.removeEventListener('click', onClick);
      document.removeEventListener('keydown', onKey, { capture: true });
    };
  }, []);
}

interface ScanInputProps {
  s: Strings;
  /** A text read or typed; already trimmed, never empty. */
  onText: (text: string, startedAt: number) => Promise<void>;
  /** A photo with no code, or the camera or reader failing: the verdict on screen no longer holds. */
  onReadFailed: (failure: ReadFailure) => void;
  muted: boolean;
  onMute: () => void;
}

export function ScanInput({ s, onText, onReadFailed, muted, onMute }: ScanInputProps) {
  const field = useRef<HTMLInputElement>(null);
  const [cameraOn, setCameraOn] = useState(false);
  const [torch, setTorch] = useState<'none' | 'off' | 'on'>('none');
  // On a phone the field takes the wedge's keys without opening the on-screen keyboard, until the officer taps it.
  const [typing, setTyping] = useState(false);
  const coarse = useRef(typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches);
  const video = useRef<HTMLVideoElement>(null);
  const reader = useRef<FrameReader | undefined>(undefined);
  const camera = useRef<CameraScanner | undefined>(undefined);
  const frameReader = () => {
    reader.current ??= new FrameReader();
    return reader.current;
  };

  useEffect(() => () => camera.current?.stop(), []);
  useEffect(() => focusScan(), []);

  const take = (raw: string, startedAt: number) => {
    const value = raw.trim();
    if (value !== '') void onText(value, startedAt);
  };

  const toggleCamera = async () => {
    if (camera.current?.running) {
      camera.current.stop();
      setCameraOn(false);
      setTorch('none');
      return;
    }
    const scanner = new CameraScanner(frameReader(), take, (error) =>
      onReadFailed({ kind: 'reader', detail: error.message }),
    );
    camera.current = scanner;
    try {
      setCameraOn(true);
      await scanner.start(video.current as HTMLVideoElement);
      setTorch(scanner.torchSupported ? 'off' : 'none');
    } catch (error) {
      setCameraOn(false);
      onReadFailed({ kind: 'camera', detail: detailOf(error) });
    }
  };

  const toggleTorch = async () => {
    const scanner = camera.current;
    if (!scanner) return;
    const on = torch !== 'on';
    try {
      await scanner.setTorch(on);
      setTorch(on ? 'on' : 'off');
    } catch {
      setTorch('none');
    }
  };

  return el(
    'section',
    { class: 'inputs', id: 'scan', 'data-testid': 'scan' },
    el(
      'form',
      {
        class: 'text-input line',
        onSubmit: (e: Event) => {
          e.preventDefault();
          const input = field.current;
          if (!input) return;
          const value = input.value;
          input.value = '';
          setTyping(false);
          take(value, performance.now());
        },
      },
      el('label', { for: SCAN_FIELD, class: 'visually-hidden' }, s.textLabel),
      el('input', {
        id: SCAN_FIELD,
        dir: 'ltr',
        autocomplete: 'off',
        autocapitalize: 'off',
        spellcheck: false,
        enterkeyhint: 'go',
        inputMode: coarse.current && !typing ? 'none' : 'text',
        placeholder: s.textPlaceholder,
        // Not a controlled field: a wedge types hundreds of characters a second, and none of them needs a render.
        ref: field,
        'data-testid': SCAN_FIELD,
        onPointerDown: () => setTyping(true),
      }),
      el('button', { type: 'submit', 'data-testid': 'qr-text-submit' }, s.check),
    ),
    el(
      'div',
      { class: 'line tools' },
      el(
        'button',
        {
          type: 'button',
          class: 'primary',
          'data-testid': 'camera',
          'aria-pressed': cameraOn ? 'true' : 'false',
          onClick: toggleCamera,
        },
        cameraOn ? s.cameraStop : s.cameraStart,
      ),
      el(
        'label',
        { class: 'file button' },
        s.photo,
        el('input', {
          type: 'file',
          accept: 'image/*',
          class: 'visually-hidden',
          'data-testid': 'photo',
          onChange: async (e: Event) => {
            const input = e.target as HTMLInputElement;
            const file = input.files?.[0];
            input.value = '';
            focusScan();
            if (!file) return;
            try {
              const frame = await photoFrame(file);
              const startedAt = performance.now();
              const texts = await frameReader().read(frame);
              const found = texts[0]?.trim();
              if (!found) onReadFailed({ kind: 'no-code' });
              else await onText(found, startedAt);
            } catch (error) {
              onReadFailed({ kind: 'reader', detail: detailOf(error) });
            }
          },
        }),
      ),
      torch === 'none'
        ? null
        : el(
            'button',
            {
              type: 'button',
              'data-testid': 'torch',
              'aria-pressed': torch === 'on' ? 'true' : 'false',
              onClick: toggleTorch,
            },
            torch === 'on' ? s.torchOff : s.torchOn,
          ),
      el(
        'button',
        {
          type: 'button',
          'data-testid': 'mute',
          'aria-pressed': muted ? 'true' : 'false',
          onClick: onMute,
        },
        muted ? s.soundOff : s.soundOn,
      ),
    ),
    el('video', {
      ref: video,
      class: cameraOn ? 'camera on' : 'camera',
      muted: true,
      playsInline: true,
      'aria-hidden': 'true',
      'data-testid': 'video',
    }),
  );
}
