// What both pages do the same way: the error line, a step log with transaction hashes, and reading a form.
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

/** The whole number typed in input `id`, or an error naming `what` and what was typed. */
export function wholeNumber(id, what) {
  const value = $(id).value.trim();
  if (!/^[1-9][0-9]*$/.test(value)) throw new Error(`${what} must be a whole number from 1 up; got "${value}".`);
  return BigInt(value);
}

/**
 * Runs `action` when button `id` is clicked: the error line cleared, the button disabled meanwhile,
 * a refusal told in words (and ended in step log `log`), then `after` (the page reread).
 */
export function onAction(id, log, action, after) {
  $(id).onclick = async () => {
    hideError();
    $(id).disabled = true;
    try {
      await action();
      await after();
    } catch (error) {
      showError(error);
      step($(log), "stopped: " + inWords(error));
    } finally {
      $(id).disabled = false;
    }
  };
}
