// Sets a property from an attacker-chosen name as an own data property: a plain assignment of
// "__proto__" would replace the object's prototype instead of storing a field.
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
