// The deployment's storage gateway (on loopback), which admits the app's origin, and what the page reads from the machine.

/** Uploads `bytes`; returns the url the gateway stores them at, or throws its refusal in words. */
export async function upload(deployment, bytes, what) {
  const response = await fetch(`${deployment.services["storage-url"]}/blobs`, { method: "POST", body: bytes });
  const stored = await response.json();
  if (response.status !== 201) throw new Error(`the storage gateway refused ${what}: ${stored.error ?? response.status}`);
  return stored.url;
}

/** The bytes at a data: URL or a loopback url: the page asks nothing else, and says so. */
export async function loopbackBytes(url) {
  if (url.startsWith("data:")) {
    const comma = url.indexOf(",");
    const body = url.slice(comma + 1);
    return url.slice(0, comma).endsWith(";base64")
      ? Uint8Array.from(atob(body), (c) => c.charCodeAt(0)) : new TextEncoder().encode(decodeURIComponent(body));
  }
  if (new URL(url).hostname !== "127.0.0.1") throw new Error("it is not on this machine, and this page fetches nothing from elsewhere");
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the server answered ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}
