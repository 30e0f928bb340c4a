// Lets Node load @opendatalabs/vana-sdk 0.1.0-alpha.47bbd13 as published: its ES modules import
// their siblings without file extensions and its JSON schemas without an import attribute, which
// a bundler accepts and Node does not. Nothing of the SDK is changed; only how Node resolves it.
import { register } from "node:module";

register("./resolve-vana-sdk-hooks.mjs", import.meta.url);
