// Text for the report's HTML: every character that could open markup, an attribute or an entity is
// escaped, so record data and comments are text and never HTML.
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}
