// Sound and vibration on each verdict, so an officer looking at the card, not the screen, knows go, warn or stop.
import { useCallback, useState } from 'preact/hooks';

/** Go: let through after the eye check. Warn: read the screen first. Stop: do not let through. */
export type Signal = 'go' | 'warn' | 'stop';

const MUTE_KEY = 'rahdari.muted';

/** Beeps as [hertz, milliseconds on, milliseconds after]: one short high, two middle, three long low. */
const BEEPS: Record<Signal, readonly (readonly [number, number, number])[]> = {
  go: [[1320, 120, 0]],
  warn: [
    [880, 140, 90],
    [880, 140, 0],
  ],
  stop: [
    [330, 260, 90],
    [330, 260, 90],
    [330, 260, 0],
  ],
};

/** Vibration patterns that match the beeps, for a post too loud to hear them. */
const BUZZ: Record<Signal, number[]> = {
  go: [80],
  warn: [120, 90, 120],
  stop: [300, 100, 300, 100, 300],
};

let audio: AudioContext | undefined;

/**
 * The one AudioContext, made and resumed inside a tap or a key press: a phone only lets a page start sound from
 * a user's gesture, so the first tap or scan unlocks the beeps for the verdicts after it.
 */
function unlockAudio(): void {
  try {
    audio ??= new AudioContext();
    if (audio.state === 'suspended') void audio.resume();
  } catch {
    // No Web Audio (an old WebView): vibration alone.
  }
}

if (typeof window !== 'undefined') {
  window.addEventListener('pointerdown', unlockAudio, { capture: true });
  window.addEventListener('keydown', unlockAudio, { capture: true });
}

function beep(signal: Signal): void {
  unlockAudio();
  const context = audio;
  if (!context) return;
  let at = context.currentTime + 0.01;
  for (const [hertz, onMs, afterMs] of BEEPS[signal]) {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = signal === 'stop' ? 'square' : 'sine';
    oscillator.frequency.value = hertz;
    // A short ramp in and out, so the beep does not click.
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.4, at + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + onMs / 1000);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(at);
    oscillator.stop(at + onMs / 1000 + 0.02);
    at += (onMs + afterMs) / 1000;
  }
}

/** Sounds and vibrates a verdict's class, unless the officer has muted the app. */
export function signalVerdict(signal: Signal): void {
  if (isMuted()) return;
  beep(signal);
  try {
    navigator.vibrate?.(BUZZ[signal]);
  } catch {
    // Vibration refused (no user gesture yet, or a desktop): the beep is enough.
  }
}

export function isMuted(): boolean {
  try {
    return localStorage.getItem(MUTE_KEY) === '1';
  } catch {
    return false;
  }
}

function saveMuted(muted: boolean): void {
  try {
    if (muted) localStorage.setItem(MUTE_KEY, '1');
    else localStorage.removeItem(MUTE_KEY);
  } catch {
    // Storage switched off: muted for this visit only.
  }
}

/** The mute switch, remembered on the device across reloads. */
export function useMute(): [boolean, () => void] {
  const [muted, setMuted] = useState(isMuted);
  const toggle = useCallback(() => {
    setMuted((was) => {
      saveMuted(!was);
      return !was;
    });
  }, []);
  return [muted, toggle];
}
