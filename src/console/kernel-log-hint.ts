/** The hint shown while the kernel log streams. */
export const KERNEL_LOG_HINT = 'Press Enter for the Home Assistant console';

const ERASE_LINE = '\r\x1b[K';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

/** Where and how the hint is drawn. */
export interface KernelLogHintOptions {
  readonly text: string;
  readonly color: boolean;
  /** Terminal width; 0 for a serial console (unknown size). */
  readonly columns: number;
}

/**
 * Keeps the hint visible as log lines arrive; returns the text to write, never writes itself.
 * On a colour terminal with a known width the hint is the last line, without a newline: erased before
 * new lines and drawn again after them. Elsewhere (serial, dumb, no colour) there are no cursor
 * tricks: the hint is a plain line at the start and again after the log goes quiet.
 */
export class KernelLogHint {
  /** True when the hint lives on the last line and is redrawn (colour terminal of known width). */
  readonly sticky: boolean;
  private readonly rendered: string;
  private shown = false;
  private linesSinceHint = false;

  constructor(options: KernelLogHintOptions) {
    this.sticky = options.color && options.columns > 0;
    const text = this.sticky && options.text.length >= options.columns ? options.text.slice(0, Math.max(0, options.columns - 1)) : options.text;
    this.rendered = options.color ? `${DIM}${text}${RESET}` : text;
  }

  /** What to write when the phase starts. */
  initial(): string {
    this.shown = true;
    return this.sticky ? this.rendered : `${this.rendered}\n`;
  }

  /** `lines` (complete, newline-terminated) wrapped so the hint stays visible. */
  wrapLines(lines: string): string {
    if (lines === '') return '';
    return `${this.beforeLines()}${lines}${this.afterLines()}`;
  }

  /** What to write just before a batch of (non-empty) log lines: the sticky hint erased. */
  beforeLines(): string {
    if (!this.sticky) {
      this.linesSinceHint = true;
      return '';
    }
    const erase = this.shown ? ERASE_LINE : '';
    this.shown = true;
    return erase;
  }

  /** What to write just after a batch of log lines: the sticky hint drawn again. */
  afterLines(): string {
    return this.sticky ? this.rendered : '';
  }

  /** What to write when the log has been quiet for a while (the hint again, if lines pushed it away). */
  idle(): string {
    if (this.sticky || !this.linesSinceHint) return '';
    this.linesSinceHint = false;
    return `${this.rendered}\n`;
  }

  /** What to write when the phase ends (the sticky hint is erased, leaving a clean line). */
  finish(): string {
    if (!this.sticky || !this.shown) return '';
    this.shown = false;
    return ERASE_LINE;
  }
}
