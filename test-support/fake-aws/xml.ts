// Serialises a response the way EC2 (ec2Query) and IAM/STS (awsQuery) put it on the wire, driven by
// the SDK's own Smithy schema of the operation's output: element names come from the model's
// xmlName traits, so the fake cannot drift from what the real service sends. Test support only.
import { NormalizedSchema } from '@smithy/core/schema';

export type XmlFlavour = 'ec2' | 'query';

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The output schema of an operation schema tuple exported by an SDK client (e.g. DescribeInstances$). */
export function outputSchema(operation: unknown): NormalizedSchema {
  return NormalizedSchema.of((operation as unknown[])[5] as never);
}

export function structToXml(schema: NormalizedSchema, value: Record<string, unknown>, flavour: XmlFlavour): string {
  let out = '';
  for (const [name, member] of schema.structIterator()) {
    const v = value[name];
    if (v === undefined || v === null) continue;
    out += memberToXml(member, name, v, flavour);
  }
  return out;
}

function elementName(member: NormalizedSchema, name: string): string {
  const traits = member.getMergedTraits() as { xmlName?: string };
  return traits.xmlName ?? name;
}

function memberToXml(member: NormalizedSchema, name: string, value: unknown, flavour: XmlFlavour): string {
  const tag = elementName(member, name);
  const traits = member.getMergedTraits() as { xmlFlattened?: unknown };
  if (member.isListSchema()) {
    const items = Array.isArray(value) ? value : [];
    const itemSchema = member.getValueSchema();
    const itemTag = flavour === 'ec2' ? 'item' : ((itemSchema.getMergedTraits() as { xmlName?: string }).xmlName ?? 'member');
    const body = items.map((item) => valueToXml(itemSchema, item, flavour)).map((x) => `<${itemTag}>${x}</${itemTag}>`);
    if (traits.xmlFlattened) return items.map((item) => `<${tag}>${valueToXml(itemSchema, item, flavour)}</${tag}>`).join('');
    return `<${tag}>${body.join('')}</${tag}>`;
  }
  return `<${tag}>${valueToXml(member, value, flavour)}</${tag}>`;
}

function valueToXml(schema: NormalizedSchema, value: unknown, flavour: XmlFlavour): string {
  if (schema.isStructSchema()) return structToXml(schema, (value ?? {}) as Record<string, unknown>, flavour);
  if (schema.isListSchema()) return memberToXml(schema, 'member', value, flavour);
  if (schema.isMapSchema()) {
    const entries = Object.entries((value ?? {}) as Record<string, unknown>);
    const valueSchema = schema.getValueSchema();
    return entries
      .map(([k, v]) => `<entry><key>${escapeXml(k)}</key><value>${valueToXml(valueSchema, v, flavour)}</value></entry>`)
      .join('');
  }
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return escapeXml(JSON.stringify(value));
  return escapeXml(String(value));
}
