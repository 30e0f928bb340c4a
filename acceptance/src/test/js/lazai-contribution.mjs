// LazAI's data contribution flow against a DataCoop deployment, with LazAI's own TypeScript client
// (alith's Client, unchanged) as alith's example lazai_data_contribution_with_reward.ts runs it:
// the password from the wallet's signature of "Sign to retrieve your encryption key", the data
// encrypted with alith's encrypt (openpgp.js), uploaded to DataCoop's gateway, getFileIdByUrl then
// addFileWithHash, requestProof(fileId) paid with nodeFee, the job from fileJobIds and getJob, the
// validator's PKCS#1 PEM key from getNode, the password wrapped with node-rsa's default (as alith's
// example does) and POSTed to the validator's /proof, then requestReward(fileId). DataCoop's
// validator proves the file by itself. Then the hostile cases: LazAI's addProof is refused, and
// another wallet registering the same url never captures the owner's file id. Prints one JSON line
// of what it saw; any failure exits non-zero with the reason.
//
// Run: node lazai-contribution.mjs, with the environment RPC_URL, CHAIN_ID, PRIVATE_KEY and
// OTHER_PRIVATE_KEY (two funded wallets), DATA_REGISTRY, TEE_POOL, TOKEN (the DataDAO's reward
// token), STORAGE_URL (DataCoop's gateway), VALIDATOR (the validator expected to prove), CONTENT
// (the file), TIMEOUT_SECONDS.
import { ChainConfig, Client, ContractConfig, DATA_REGISTRY_CONTRACT_ABI, ProofData } from "alith/lazai";
import { encrypt } from "alith/data";
import NodeRSA from "node-rsa";
import { createHash } from "node:crypto";
import { check, env } from "./script-support.mjs";

const same = (a, b) => a.toLowerCase() === b.toLowerCase();

const chainConfig = new ChainConfig("local", env("RPC_URL"), Number(env("CHAIN_ID")));
// LazAI's DataRegistry is DataCoop's; its VerifiedComputing is DataCoop's TeePool. alith's other
// contracts (DAT, query, inference, training, settlement) are not used by this flow.
const unused = "0x0000000000000000000000000000000000000000";
const contracts = new ContractConfig(env("DATA_REGISTRY"), env("TEE_POOL"), unused, unused, unused, unused, unused);
const client = new Client(chainConfig, contracts, env("PRIVATE_KEY"));
const owner = client.getWallet().address;
const validator = env("VALIDATOR");
const deadline = Date.now() + 1000 * Number(env("TIMEOUT_SECONDS"));

// 1. The password: the wallet's signature of the seed; the data encrypted with it (openpgp.js).
const encryptionSeed = "Sign to retrieve your encryption key";
const password = client.getWallet().sign(encryptionSeed).signature;
const privacyData = env("CONTENT");
const privacyDataSha256 = createHash("sha256").update(privacyData).digest("hex");
const encrypted = await encrypt(Uint8Array.from(Buffer.from(privacyData)), password);

// 2. Upload to DataCoop's storage gateway (where alith's example uses Pinata).
const upload = await fetch(`${env("STORAGE_URL")}/blobs`, { method: "POST", body: encrypted });
if (upload.status !== 201) throw new Error(`the storage gateway answered ${upload.status}: ${await upload.text()}`);
const { url } = await upload.json();

// 3. Register, as the example does: an unknown url reads 0, then addFileWithHash.
let fileId = await client.getFileIdByUrl(url);
check(fileId === 0n, `getFileIdByUrl(${url}) is ${fileId} before anyone registered it`);
fileId = await client.addFileWithHash(url, privacyDataSha256);
check(fileId > 0n, `addFileWithHash gave file id ${fileId}`);
const file = await client.getFile(fileId);
check(same(file.ownerAddress, owner) && file.url === url && file.hash === privacyDataSha256,
  `getFile(${fileId}) is ${JSON.stringify(file, replacer)}`);

// 4. Pay for the proof; the job from fileJobIds and getJob.
const fee = await client.nodeFee();
await client.requestProof(fileId, fee);
const jobIds = await client.fileJobIds(fileId);
check(jobIds.length === 1, `fileJobIds(${fileId}) is ${jobIds}`);
const jobId = jobIds[jobIds.length - 1];
const job = await client.getJob(jobId);
check(job.fileId === fileId && job.status === 1n && same(job.ownerAddress, owner) && job.bidAmount === fee,
  `getJob(${jobId}) is ${JSON.stringify(job, replacer)}`);
check(same(job.nodeAddress, validator), `the job went to ${job.nodeAddress}, not ${validator}`);
check(await client.isNode(job.nodeAddress), `isNode(${job.nodeAddress}) is false`);

// 5. The password wrapped to the node's PKCS#1 PEM key with node-rsa (its default: OAEP, SHA-1)
//    and sent to the node's /proof, as alith's example does.
const node = await client.getNode(job.nodeAddress);
check(node.status === 1n && node.publicKey.startsWith("-----BEGIN RSA PUBLIC KEY-----"),
  `getNode(${job.nodeAddress}) is ${JSON.stringify(node, replacer)}`);
const rsa = new NodeRSA(node.publicKey, "pkcs1-public-pem");
const encryptionKey = rsa.encrypt(password, "hex");
const proofRequest = await fetch(`${node.url}/proof`, {
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify({
    job_id: Number(jobId), file_id: Number(fileId), file_url: url, encryption_key: encryptionKey,
    encryption_seed: encryptionSeed, nonce: null, proof_url: null,
  }),
});
check(proofRequest.ok, `${node.url}/proof answered ${proofRequest.status}: ${await proofRequest.text()}`);

// 6. DataCoop's validator proves it; poll getJob.
let ended;
for (;;) {
  ended = await client.getJob(jobId);
  if (ended.status !== 1n) break;
  check(Date.now() < deadline, `job ${jobId} is still open after ${env("TIMEOUT_SECONDS")} s`);
  await new Promise((resolve) => setTimeout(resolve, 250));
}
check(ended.status === 2n, `job ${jobId} ended with status ${ended.status}, not completed (2)`);

// 7. The proof: the digest the validator signed, and its signature, recovering to the validator.
const proof = await client.getFileProof(fileId, 1n);
const signer = client.web3.eth.accounts.recover(proof.hash, proof.signature, true);
check(same(signer, validator), `getFileProof(${fileId}, 1) recovers to ${signer}, not ${validator}`);

// 8. The reward, in the DataDAO's token, through the registry as alith asks it.
const token = new client.web3.eth.Contract(
  [{ name: "balanceOf", type: "function", stateMutability: "view", inputs: [{ name: "a", type: "address" }], outputs: [{ name: "", type: "uint256" }] }],
  env("TOKEN"));
const before = await token.methods.balanceOf(owner).call();
await client.requestReward(fileId);
const after = await token.methods.balanceOf(owner).call();
check(after > before, `the owner's token balance went from ${before} to ${after}`);
const rewarded = await client.getFile(fileId);
check(rewarded.proofIndex === 1n && rewarded.rewardAmount === after - before,
  `getFile(${fileId}) after the reward is ${JSON.stringify(rewarded, replacer)}`);

// 9. Hostile: LazAI's addProof (anyone may add a proof on LazAI) is refused.
const refused = await client.addProof(fileId, new ProofData(fileId, 100n, url, "http://forged")).then(() => null, (e) => e);
const onlyThroughTeePool = client.web3.utils.keccak256("DataRegistryProofsOnlyThroughTeePool(address)").slice(0, 10);
check(refused !== null && JSON.stringify(refused, replacer).includes(onlyThroughTeePool),
  `LazAI's addProof was not refused with DataRegistryProofsOnlyThroughTeePool: ${refused ?? "accepted"}`);

// 10. Hostile: another wallet registers the same url; the owner's file id is never handed to it,
//     nor its copy to the owner, and a reader naming nobody is told the url is ambiguous.
const other = new Client(chainConfig, contracts, env("OTHER_PRIVATE_KEY"));
const copied = await other.addFileWithHash(url, privacyDataSha256).then(() => null, (e) => e);
const ambiguous = client.web3.utils.keccak256("DataRegistryAmbiguousUrl(string)").slice(0, 10);
check(copied !== null && JSON.stringify(copied, replacer).includes(ambiguous),
  `alith's read-back after the copy did not report the url as ambiguous: ${copied ?? "no error"}`);
const registry = new client.web3.eth.Contract(DATA_REGISTRY_CONTRACT_ABI, env("DATA_REGISTRY"));
const ownersView = await registry.methods.getFileIdByUrl(url).call({ from: owner });
const othersView = await registry.methods.getFileIdByUrl(url).call({ from: other.getWallet().address });
check(ownersView === fileId, `the owner reads file ${ownersView} at its url, not ${fileId}`);
check(othersView !== fileId && othersView > 0n, `the copier reads file ${othersView} at the url`);
const stolen = await other.requestProof(fileId, fee).then(() => null, (e) => e);
check(stolen !== null, "another wallet paid for a proof of the owner's file");

console.log(JSON.stringify({
  fileId, jobId, copyId: othersView, validator: job.nodeAddress, reward: after - before,
}, replacer));

function replacer(_key, value) {
  return typeof value === "bigint" ? value.toString() : value;
}
