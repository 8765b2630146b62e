// A resource version's stored configuration text (resource_versions.config), as the analyses read it.
// Ingest keeps a document of at most 16 MB (ingest/parse/config-bounds.ts), but the case file itself is
// hostile: a crafted case may hold a text of any size, and each reader would parse it whole and then walk
// or copy it. Every reader of a stored version's text goes through this bound instead.
import { parsedOrNull } from '../../json-values.ts';

/**
 * Characters of a stored configuration read: a group at AWS's ceiling of 1,000 rules, or an instance with
 * every attribute, is a few hundred kilobytes. A larger text is left out, as a damaged one is.
 */
export const MAX_STORED_CONFIG_CHARS = 4 * 1024 * 1024;

/** The SQL condition that keeps a version whose text a reader parses (`column` names it in the query). */
export function configWithinBound(column: string): string {
  return `length(${column}) <= ${MAX_STORED_CONFIG_CHARS}`;
}

/** A stored configuration parsed, or null when it is too long or not JSON. */
export function storedConfig(text: string | null | undefined): unknown {
  return typeof text === 'string' && text.length <= MAX_STORED_CONFIG_CHARS ? parsedOrNull(text) : null;
}
