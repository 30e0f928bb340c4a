// What the pages do the same way: the error line, a step log with transaction hashes, lists, and reading a form.
import { formatEther, isAddress, parseEther, zeroAddress } from "viem";
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

export function item(className, text, data = {}) {
  const element = document.createElement("li");
  element.className = className;
  element.textContent = text;
  Object.assign(element.dataset, data);
  return element;
}

export function note(text) {
  const paragraph = document.createElement("p");
  paragraph.className = "none";
  paragraph.textContent = text;
  return paragraph;
}

/** A titled list of `items`, or of one line saying `empty`. */
export function list(title, items, empty) {
  const section = document.createElement("div");
  const heading = document.createElement("h3");
  heading.textContent = title;
  const ul = document.createElement("ul");
  ul.replaceChildren(...(items.length ? items : [item("none", empty)]));
  section.append(heading, ul);
  return section;
}

/** A column permission in words: what it covers, for whom, its price and its state. */
export function permissionText(permission) {
  const what = permission.tableName ? `${permission.tableName}.${permission.columnName || "*"}` : "every table";
  const who = permission.grantee === zeroAddress ? "anyone" : permission.grantee;
  const state = permission.revoked ? "revoked" : permission.approved ? "approved" : "pending approval";
  return `Permission ${permission.id}: ${what} for ${who} at ${formatEther(permission.price)} ETH per query: ${state}`;
}

/** Fills input `id` with `value` unless the user typed something there. */
export function prefill(id, value) {
  if (!$(id).value) $(id).value = value.toString();
}

/** The text typed in input `id`, trimmed; empty is an error naming `what`. */
export function text(id, what) {
  const value = $(id).value.trim();
  if (!value) throw new Error(`${what} must not be empty.`);
  return value;
}

/** The amount of ETH typed in input `id`, in wei, or an error naming `what` and what was typed. */
export function ether(id, what) {
  const value = $(id).value.trim();
  if (!/^[0-9]+(\.[0-9]{1,18})?$/.test(value)) throw new Error(`${what} must be an amount of ETH such as 0.01; got "${value}".`);
  return parseEther(value);
}

/** The whole number typed in input `id`, or an error naming `what` and what was typed. */
export function wholeNumber(id, what) {
  const value = $(id).value.trim();
  if (!/^[1-9][0-9]*$/.test(value)) throw new Error(`${what} must be a whole number from 1 up; got "${value}".`);
  return BigInt(value);
}

/** The whole number typed in input `id`, in decimal or 0x-hex (for 256-bit ids), or an error naming `what` and what was typed. */
export function bigWholeNumber(id, what) {
  const value = $(id).value.trim();
  if (!/^([0-9]+|0x[0-9a-fA-F]+)$/.test(value) || BigInt(value) === 0n) {
    throw new Error(`${what} must be a whole number from 1 up, in decimal or 0x-hex; got "${value}".`);
  }
  return BigInt(value);
}

/** The address typed in input `id`, lowercase, or an error naming `what` and what was typed. */
export function address(id, what) {
  const value = $(id).value.trim();
  if (!isAddress(value)) throw new Error(`${what} must be an address (0x and 40 hex digits); got "${value}".`);
  return value.toLowerCase();
}

/**
 * Runs `action` when `button` (an element, or its id) is clicked: the error line cleared, the button
 * disabled meanwhile, a refusal told in words (and ended in step log `log`), then `after` (the page reread).
 */
export function onAction(button, log, action, after) {
  const element = typeof button === "string" ? $(button) : button;
  element.onclick = async () => {
    hideError();
    element.disabled = true;
    try {
      await action();
      await after();
    } catch (error) {
      showError(error);
      step($(log), "stopped: " + inWords(error));
    } finally {
      element.disabled = false;
    }
  };
}
