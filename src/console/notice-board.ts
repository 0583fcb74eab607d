import { clearScreenDown, cursorTo, moveCursor, type Interface } from 'node:readline';
import type { Io } from '../commands/types';
import { safeLogLine } from '../render/safe-text';

/** Notices kept while a command runs, shown before the next prompt (older ones are dropped). */
const QUEUE_LIMIT = 200;

/**
 * Prints notices (kernel errors, network and Supervisor changes) above the prompt without garbling
 * the line being typed: the prompt and its line are erased, the notice printed, the prompt redrawn
 * with the cursor where it was. While a command runs, notices wait for the next prompt.
 */
export class NoticeBoard {
  private rl: Interface | undefined;
  private queue: string[] = [];

  constructor(private readonly io: Io) {}

  /** Called when a prompt is shown; flushes what waited. */
  attach(rl: Interface): void {
    this.rl = rl;
    if (this.queue.length > 0) {
      const waiting = this.queue;
      this.queue = [];
      this.show(waiting);
    }
  }

  /** Called when the prompt closes (a command is about to run). */
  detach(): void {
    this.rl = undefined;
  }

  /** Shows a notice now (at the prompt) or before the next prompt; it holds data (addresses, states), so only its colours pass. */
  post(notice: string): void {
    const text = safeLogLine(notice);
    if (!this.rl) {
      this.queue.push(text);
      if (this.queue.length > QUEUE_LIMIT) this.queue.splice(0, this.queue.length - QUEUE_LIMIT);
      return;
    }
    this.show([text]);
  }

  private show(lines: readonly string[]): void {
    const rl = this.rl;
    if (!rl) return;
    const out = this.io.stdout;
    if (this.io.stdin.isTTY === true && this.io.color) {
      // Up to the prompt's first row, clear it and everything below, print, redraw prompt + line.
      const { rows } = rl.getCursorPos();
      moveCursor(out, 0, -rows);
      cursorTo(out, 0);
      clearScreenDown(out);
      out.write(`${lines.join('\n')}\n`);
    } else {
      // Dumb or serial terminals: no cursor movement, the typed line is shown again below.
      out.write(`\n${lines.join('\n')}\n`);
    }
    rl.prompt(true);
  }
}
