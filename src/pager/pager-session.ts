import { toDisplayLine } from './display-line';
import { parseKeys, type Key } from './keys';
import { LEVEL_FILTERS } from './log-level';
import type { LogModel } from './log-model';
import { isPlainAscii, renderColouredAsciiRow, renderPlainRow, renderRow } from './render-row';
import { createMatcher, findLine, type Matcher } from './search';
import { fit, formatStatus, HELP_TEXT } from './status-line';
import { atEnd, pageBy, scrollBy, settle, showLine, toEnd, toStart, type Viewport } from './viewport';

/** Shortest time between two screen updates caused by arriving lines. */
export const FRAME_INTERVAL_MS = 33;

/** The terminal as the session sees it. */
export interface PagerTerminal {
  write(text: string): void;
  columns(): number;
  rows(): number;
  /** The previous frame has not been taken by the terminal yet (slow serial line): skip frames. */
  busy(): boolean;
}

/** Fixed facts about one viewer session. */
export interface SessionOptions {
  readonly title: string;
  readonly live: boolean;
  readonly color: boolean;
  /** Most lines kept. */
  readonly limit: number;
  /** Most bytes of line text kept (none said when undefined). */
  readonly limitBytes?: number;
}

interface Prompt {
  readonly direction: 1 | -1;
  readonly text: string;
}

/** The viewer's state and screen: keys and arriving lines in, frames out. Knows nothing of streams. */
export class PagerSession {
  private view: Viewport;
  private left = 0;
  private prompt: Prompt | undefined;
  private matcher: Matcher | undefined;
  private direction: 1 | -1 = 1;
  private message: string | undefined;
  private ended = false;
  private shifted = 0;
  private filterIndex = 0;
  private drawn: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastFrameAt = 0;
  private closed = false;
  private filled = false;

  constructor(
    private readonly model: LogModel,
    private readonly term: PagerTerminal,
    private readonly options: SessionOptions,
    private readonly quit: () => void,
  ) {
    this.view = { top: 0, rows: this.textRows(), follow: options.live };
  }

  /** Call after lines were appended to the model. */
  linesAdded(): void {
    const dropped = this.model.shifted - this.shifted;
    this.shifted = this.model.shifted;
    this.view = settle({ ...this.view, top: this.view.top - dropped }, this.model.count());
    this.schedule();
  }

  /**
   * Call once, right after the source was asked for lines: draws the (still empty) screen and status
   * unless lines already filled it. Called while the source's first read is under way, it also
   * prepares the drawing code for the first full screen.
   */
  begin(): void {
    if (!this.closed && !this.filled) this.render();
  }

  /** Call after each appended line: draws at once when the first screen just became full (not at chunk end). */
  lineAppended(): void {
    if (this.filled || this.model.count() - this.view.top < this.view.rows) return;
    const dropped = this.model.shifted - this.shifted;
    this.shifted = this.model.shifted;
    this.view = settle(dropped === 0 ? this.view : { ...this.view, top: this.view.top - dropped }, this.model.count());
    this.render();
  }

  /** Call when the source has ended (`error`: why, when it failed). */
  sourceEnded(error?: string): void {
    this.ended = true;
    if (error !== undefined) this.message = `log stream failed: ${error}`;
    this.schedule();
  }

  /** Call when the terminal changed size: redraws everything. */
  resized(): void {
    this.view = settle({ ...this.view, rows: this.textRows() }, this.model.count());
    this.drawn = [];
    this.term.write('\x1b[H\x1b[2J');
    this.render();
  }

  /** Handles typed input. */
  input(data: string): void {
    for (const key of parseKeys(data)) {
      if (this.closed) return;
      if (this.prompt !== undefined) this.promptKey(key, this.prompt);
      else this.key(key);
    }
    this.render();
  }

  /** Stops pending and future redraws (the viewer is closing). */
  dispose(): void {
    this.closed = true;
    this.cancelFrame();
  }

  private cancelFrame(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private textRows(): number {
    return Math.max(1, this.term.rows() - 1);
  }

  private key(key: Key): void {
    const count = this.model.count();
    const char = key.name === 'char' ? key.char : '';
    this.message = undefined;
    if (char === 'q' || char === 'Q' || key.name === 'interrupt') {
      this.closed = true;
      return this.quit();
    }
    if (key.name === 'up' || char === 'k' || char === 'y') this.view = scrollBy(this.view, -1, count);
    else if (key.name === 'down' || key.name === 'enter' || char === 'j' || char === 'e') this.view = scrollBy(this.view, 1, count);
    else if (key.name === 'pageDown' || char === ' ' || char === 'f') this.view = pageBy(this.view, 1, count);
    else if (key.name === 'pageUp' || char === 'b') this.view = pageBy(this.view, -1, count);
    else if (char === 'd') this.view = scrollBy(this.view, Math.ceil(this.view.rows / 2), count);
    else if (char === 'u') this.view = scrollBy(this.view, -Math.ceil(this.view.rows / 2), count);
    else if (key.name === 'home' || char === 'g' || char === '<') this.view = toStart(this.view);
    else if (key.name === 'end' || char === 'G' || char === '>' || char === 'F') this.view = toEnd(this.view, count);
    else if (key.name === 'left') this.left = Math.max(0, this.left - Math.max(1, Math.floor(this.term.columns() / 2)));
    else if (key.name === 'right') this.left = Math.min(65_536, this.left + Math.max(1, Math.floor(this.term.columns() / 2)));
    else if (char === '/' || char === '?') this.prompt = { direction: char === '/' ? 1 : -1, text: '' };
    else if (char === 'n' || char === 'N') this.searchAgain(char === 'n' ? this.direction : this.direction === 1 ? -1 : 1);
    else if (char === 'l') this.cycleFilter();
    else if (char === 'h' || char === 'H') this.message = HELP_TEXT;
  }

  private promptKey(key: Key, prompt: Prompt): void {
    if (key.name === 'char') this.prompt = { ...prompt, text: prompt.text + key.char };
    else if (key.name === 'backspace') this.prompt = prompt.text === '' ? undefined : { ...prompt, text: Array.from(prompt.text).slice(0, -1).join('') };
    else if (key.name === 'escape' || key.name === 'interrupt') this.prompt = undefined;
    else if (key.name === 'enter') {
      this.prompt = undefined;
      if (prompt.text === '') return this.searchAgain(prompt.direction);
      this.matcher = createMatcher(prompt.text);
      this.direction = prompt.direction;
      this.search(prompt.direction, prompt.direction === 1 ? this.view.top : this.view.top - 1);
    }
  }

  private searchAgain(direction: 1 | -1): void {
    if (this.matcher === undefined) {
      this.message = 'No previous search';
      return;
    }
    this.search(direction, this.view.top + direction);
  }

  private search(direction: 1 | -1, from: number): void {
    if (this.matcher === undefined) return;
    const found = findLine(this.model, this.matcher, from, direction);
    if (found < 0) this.message = `Pattern not found: ${this.matcher.pattern} (${direction === 1 ? 'below' : 'above'})`;
    else this.view = showLine(this.view, found, this.model.count());
  }

  private cycleFilter(): void {
    const topSeq = this.model.count() > 0 ? this.model.seq(this.view.top) : 0;
    this.filterIndex = (this.filterIndex + 1) % LEVEL_FILTERS.length;
    const filter = LEVEL_FILTERS[this.filterIndex] ?? { name: 'all', min: 0 };
    this.model.setFilter(filter.min);
    this.shifted = this.model.shifted;
    const count = this.model.count();
    this.view = this.view.follow ? settle(this.view, count) : showLine(this.view, this.model.indexAtOrAfter(topSeq), count);
    if (count === 0) this.message = `No lines at level ${filter.name} (l: next level filter)`;
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    // Until the screen has been filled once, draw as soon as lines arrive: the first screen must not wait.
    const wait = this.filled ? Math.max(0, this.lastFrameAt + FRAME_INTERVAL_MS - Date.now()) : 0;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.term.busy()) this.schedule();
      else this.render();
    }, wait);
  }

  /** Draws the rows that changed since the last frame, and the status line. */
  render(): void {
    this.cancelFrame();
    if (this.closed) return;
    this.lastFrameAt = Date.now();
    const columns = Math.max(1, this.term.columns());
    const count = this.model.count();
    // One string, one write: the terminal gets the frame at once.
    let frame = '';
    for (let row = 0; row < this.view.rows; row++) {
      const index = this.view.top + row;
      const text = index < count ? this.renderLine(this.model.line(index), columns) : '~';
      if (this.drawn[row] !== text) frame += '\x1b[' + String(row + 1) + ';1H' + text + '\x1b[K';
      this.drawn[row] = text;
    }
    this.drawn.length = this.view.rows;
    this.filled ||= count - this.view.top >= this.view.rows;
    frame += '\x1b[' + String(this.view.rows + 1) + ';1H' + this.statusText(columns);
    this.term.write(frame);
  }

  private renderLine(raw: string, columns: number): string {
    if (isPlainAscii(raw)) {
      // The common case (and the whole first screen of a plain log): the line as it is.
      if (this.left === 0 && this.matcher === undefined && raw.length <= columns) return raw;
      return renderPlainRow(raw, this.left, columns, this.matcher === undefined ? [] : this.matcher.ranges(raw));
    }
    if (this.left === 0 && this.matcher === undefined) {
      // Coloured ASCII (dmesg's and journalctl's lines): drawn as they are, no cells built.
      const coloured = renderColouredAsciiRow(raw, columns, this.options.color);
      if (coloured !== undefined) return coloured;
    }
    const line = toDisplayLine(raw, this.options.color);
    return renderRow(line, this.left, columns, this.matcher === undefined ? [] : this.matcher.ranges(line.plain));
  }

  private statusText(columns: number): string {
    if (this.prompt !== undefined) return `\x1b[0m${visible(fit((this.prompt.direction === 1 ? '/' : '?') + this.prompt.text, columns - 1))}\x1b[K\x1b[?25h`;
    const count = this.model.count();
    const shown = Math.min(this.view.rows, Math.max(0, count - this.view.top));
    const lastIndex = this.view.top + shown - 1;
    const status = formatStatus(
      {
        title: this.options.title,
        first: shown > 0 ? this.model.seq(this.view.top) + 1 : 0,
        last: shown > 0 ? this.model.seq(lastIndex) + 1 : 0,
        total: this.model.ring.total,
        shown: count,
        dropped: this.model.ring.firstSeq,
        limit: this.options.limit,
        limitBytes: this.options.limitBytes,
        following: this.view.follow,
        live: this.options.live,
        ended: this.ended,
        atEnd: atEnd(this.view, count),
        percent: count === 0 ? 100 : Math.floor(((lastIndex + 1) * 100) / count),
        filter: LEVEL_FILTERS[this.filterIndex]?.name ?? 'all',
        search: this.matcher?.pattern,
        left: this.left,
        message: this.message,
      },
      columns - 1,
    );
    return `\x1b[0m\x1b[7m${visible(status)}\x1b[0m\x1b[K\x1b[?25l`;
  }
}

/** Replaces control characters (from a title or typed text) so the status line cannot emit escapes. */
function visible(text: string): string {
  // eslint-disable-next-line no-control-regex -- the point is to find control characters
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, '?');
}
