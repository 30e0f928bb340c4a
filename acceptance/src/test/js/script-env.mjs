// What the peer scripts share: their settings come from the environment, and a failed expectation
// ends the script with its reason (PeerScript.java shows the output).

/** The environment variable `name`; an error naming it when it is not set. */
export const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`the environment variable ${name} is not set`);
  return value;
};

/** Throws `message` unless `condition` holds. */
export const check = (condition, message) => {
  if (!condition) throw new Error(message);
};
