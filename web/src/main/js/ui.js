// What both pages show the same way: the error line, and a step log with transaction hashes.
import { inWords } from "./messages.js";

export const $ = (id) => document.getElementById(id);

export function showError(error) {
  $("error").textContent = inWords(error);
  $("error").hidden = false;
}

export function hideError() {
  $("error").hidden = true;
}

/** Appends `text` (and `hash`, a transaction's) to the step log `log`; returns the line. */
export function step(log, text, hash) {
  const item = document.createElement("li");
  item.textContent = text;
  if (hash) {
    const code = document.createElement("code");
    code.textContent = hash;
    item.append(" ", code);
  }
  log.append(item);
  return item;
}
