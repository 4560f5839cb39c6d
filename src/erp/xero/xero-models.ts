/**
 * An instance of a xero-node model class with these fields. The models are plain classes with optional
 * fields and no constructor arguments; building real instances keeps their serialiser metadata in play.
 */
export function xeroModel<T extends object>(Model: new () => T, fields: Partial<T>): T {
  return Object.assign(new Model(), fields);
}
