// Types for qrcode's core matrix builder, imported on its own so bundles leave out the renderers and pngjs.
declare module 'qrcode/lib/core/qrcode.js' {
  /** The levels qrcode accepts, long or short form, as in its main entry's types. */
  export type QrErrorCorrectionLevel = 'low' | 'medium' | 'quartile' | 'high' | 'L' | 'M' | 'Q' | 'H';

  export type QrSegment = { mode: 'byte'; data: Uint8Array } | { mode: 'numeric'; data: string };

  export interface QrCoreOptions {
    errorCorrectionLevel?: QrErrorCorrectionLevel;
    /** Without it the smallest version that holds the segments is picked. */
    version?: number;
  }

  export interface QrSymbol {
    version: number;
    /** Row-major, `size * size` entries; non-zero is a dark module. */
    modules: { size: number; data: Uint8Array };
  }

  /** Throws when the segments do not fit (in the given version, or in version 40). */
  export function create(segments: QrSegment[], options?: QrCoreOptions): QrSymbol;
}
