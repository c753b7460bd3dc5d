// ANSI colours, used only when the caller decided colour is allowed (TTY and no NO_COLOR).
export interface Palette {
  red(s: string): string;
  green(s: string): string;
  cyan(s: string): string;
  yellow(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

export const ANSI: Palette = {
  red: wrap(31, 39),
  green: wrap(32, 39),
  cyan: wrap(36, 39),
  yellow: wrap(33, 39),
  bold: wrap(1, 22),
  dim: wrap(2, 22),
};

const id = (s: string) => s;
export const PLAIN: Palette = { red: id, green: id, cyan: id, yellow: id, bold: id, dim: id };

export const palette = (color: boolean): Palette => (color ? ANSI : PLAIN);
