// The deployment's storage gateway (on loopback), which admits the app's origin.

/** Uploads `bytes`; returns the url the gateway stores them at, or throws its refusal in words. */
export async function upload(deployment, bytes, what) {
  const response = await fetch(`${deployment.services["storage-url"]}/blobs`, { method: "POST", body: bytes });
  const stored = await response.json();
  if (response.status !== 201) throw new Error(`the storage gateway refused ${what}: ${stored.error ?? response.status}`);
  return stored.url;
}
