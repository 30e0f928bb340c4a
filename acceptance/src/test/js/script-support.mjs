// What the peer scripts share: required environment variables, checks that fail with a reason,
// and JSON output of bigints.

/** The environment variable `name`; fails naming it when it is not set. */
export function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`the environment variable ${name} is not set`);
  return value;
}

/** Fails with `message` unless `condition` holds. */
export function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** A JSON.stringify replacer writing bigints as decimal strings. */
export function replacer(_key, value) {
  return typeof value === "bigint" ? value.toString() : value;
}
