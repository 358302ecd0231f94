// Times as the post reads them: Pakistan time (UTC+5, no daylight saving) whatever the phone's zone, labelled PKT.
import { format } from '../../shared/i18n.ts';
import type { Strings } from './strings.ts';

/** Pakistan has no daylight saving: its day starts at 19:00 UTC the day before. */
const PKT_OFFSET_MS = 5 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

/** The zone's label, shown once beside a time or once over a list of times. */
export const PKT = 'PKT';

const shifted = (at: string | number) => new Date(new Date(at).getTime() + PKT_OFFSET_MS).toISOString();

/** The Pakistan calendar day (YYYY-MM-DD) of a time. */
export function pakistanDay(ms: number): string {
  return new Date(Math.floor((ms + PKT_OFFSET_MS) / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

/** Pakistan time of day (HH:MM), for a list whose heading says PKT. */
export function pktTime(at: string | number): string {
  return shifted(at).slice(11, 16);
}

/**
 * Left to right and isolated (U+2066 … U+2069), so "10:42 PKT" keeps its order inside an Urdu sentence whichever
 * element it lands in.
 */
export const isolated = (text: string) => `\u2066${text}\u2069`;

/** A time of day with its zone, "10:42 PKT", for a sentence. */
export function pktClock(at: string | number): string {
  return isolated(`${pktTime(at)} ${PKT}`);
}

/** Day and time with its zone, "2026-12-08 10:42 PKT", for a time that may not be today. */
export function pktStamp(at: string | number): string {
  return isolated(`${shifted(at).slice(0, 16).replace('T', ' ')} ${PKT}`);
}

/** "10:42 PKT" for a time today, "2026-12-07 10:42 PKT" for another day. */
export function pktWhen(at: string | number, nowMs: number): string {
  return pakistanDay(new Date(at).getTime()) === pakistanDay(nowMs) ? pktClock(at) : pktStamp(at);
}

/** How long ago, in the officer's language. */
export function ago(fromMs: number, nowMs: number, s: Strings): string {
  const minutes = Math.max(0, Math.floor((nowMs - fromMs) / 60_000));
  if (minutes < 1) return s.ago.justNow;
  if (minutes < 60) return format(s.ago.minutes, { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return format(s.ago.hours, { n: hours, m: minutes % 60 });
  return format(s.ago.days, { n: Math.floor(hours / 24), h: hours % 24 });
}
