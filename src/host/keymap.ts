/** Keymap file endings of the kbd and console-data packages. */
const KEYMAP_FILE = /^(.+?)\.(k?map)(\.gz)?$/;

/** Layout name of a keymap file (`de-latin1.map.gz` → `de-latin1`), or undefined (pure). */
export function keymapNameOf(fileName: string): string | undefined {
  const name = KEYMAP_FILE.exec(fileName)?.[1];
  return name === undefined || name.startsWith('.') ? undefined : name;
}

/** The KEYMAP of a vconsole.conf text (pure). https://www.freedesktop.org/software/systemd/man/vconsole.conf.html */
export function readVconsoleKeymap(text: string): string | undefined {
  for (const line of text.split('\n')) {
    const match = /^\s*KEYMAP=(["']?)([^"'\s]*)\1\s*$/.exec(line);
    if (match) return match[2] === '' ? undefined : match[2];
  }
  return undefined;
}

/** vconsole.conf text with KEYMAP set, every other line kept (pure). */
export function writeVconsoleKeymap(text: string, layout: string): string {
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const at = lines.findIndex((l) => /^\s*KEYMAP=/.test(l));
  if (at === -1) lines.push(`KEYMAP=${layout}`);
  else lines[at] = `KEYMAP=${layout}`;
  return `${lines.join('\n')}\n`;
}

/** How a chosen layout is applied and kept (pure): localectl does both; else loadkeys plus our own vconsole.conf. */
export function chooseKeymapMethod(facts: { systemd: boolean; localectl: string | undefined; loadkeys: string | undefined }):
  | { readonly kind: 'localectl'; readonly program: string }
  | { readonly kind: 'loadkeys'; readonly program: string }
  | { readonly kind: 'persist-only' } {
  if (facts.systemd && facts.localectl) return { kind: 'localectl', program: facts.localectl };
  if (facts.loadkeys) return { kind: 'loadkeys', program: facts.loadkeys };
  return { kind: 'persist-only' };
}
