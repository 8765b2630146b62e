// origins.origin_key: an origin is one kind of thing with one id (a user's ARN, an instance id, a
// federated subject), whatever credentials reached it.
export function originKey(kind: string, id: string): string {
  return `${kind}|${id}`;
}
