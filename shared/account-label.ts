// How an account reads in a list or a selector: "Prod (123456789012)", its alias when it has no
// Organizations name, else its id alone. Names are record data: shown as text, never markup.
import type { AccountInfo } from './engine-types.ts';

export function accountLabel(a: AccountInfo): string {
  const name = a.name ?? a.alias;
  return name ? `${name} (${a.id})` : a.id;
}
