/**
 * @peculiar/x509 resolves its services through tsyringe, which needs `Reflect.getMetadata`; the
 * package declares @abraham/reflection for it, but the shared install lacks it. This is the small
 * part of the Reflect metadata API that tsyringe calls, kept per target and property in WeakMaps.
 * Import it before @peculiar/x509.
 */
type Key = string | symbol | undefined;
const store = new WeakMap<object, Map<Key, Map<unknown, unknown>>>();

function table(target: object, property: Key, create: boolean): Map<unknown, unknown> | undefined {
  let byProperty = store.get(target);
  if (!byProperty && create) {
    byProperty = new Map();
    store.set(target, byProperty);
  }
  let entries = byProperty?.get(property);
  if (!entries && create && byProperty) {
    entries = new Map();
    byProperty.set(property, entries);
  }
  return entries;
}

const reflect = Reflect as unknown as Record<string, unknown>;
if (typeof reflect.getMetadata !== "function") {
  const getOwnMetadata = (key: unknown, target: object, property?: Key) =>
    table(target, property, false)?.get(key);
  const getMetadata = (key: unknown, target: object, property?: Key): unknown => {
    for (let current: object | null = target; current; current = Object.getPrototypeOf(current)) {
      const entries = table(current, property, false);
      if (entries?.has(key)) return entries.get(key);
    }
    return undefined;
  };
  const defineMetadata = (key: unknown, value: unknown, target: object, property?: Key) => {
    table(target, property, true)!.set(key, value);
  };
  Object.assign(reflect, {
    getOwnMetadata,
    getMetadata,
    defineMetadata,
    hasMetadata: (key: unknown, target: object, property?: Key) =>
      getMetadata(key, target, property) !== undefined,
    hasOwnMetadata: (key: unknown, target: object, property?: Key) =>
      table(target, property, false)?.has(key) ?? false,
    metadata: (key: unknown, value: unknown) => (target: object, property?: Key) =>
      defineMetadata(key, value, target, property),
  });
}
