// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../utils/Vm.sol";
import {DataCoopTest} from "../utils/DataCoopTest.sol";
import {ITeePool} from "../../src/interfaces/ITeePool.sol";

/// @notice Gas of each step of one contribution, made as the CLI and the validator make it, with their
///         sizes: a 60-character blob url and its SHA-256, the password (the 132-character hex text
///         of a wallet signature) wrapped by ECIES to the validator (257 bytes: iv, ephemeral key,
///         144 bytes of AES-CBC, MAC), the validator's proof (the declarative program's metadata, a
///         60-character attestation url, a 65-byte signature), the validator's ownership binding of the
///         file's data hash, the reward, and a refinement whose
///         key (a 64-character hex password) is wrapped to the refinement service (193 bytes).
///         Each step is recorded with `snapshotGasLastCall` under the group `ContributionGas`; run
///         with `FOUNDRY_PROFILE=gas` (`./coop bench gas` does) each call is its own transaction
///         (`isolate`), so a figure is a transaction's gas, cold storage and the 21,000 included.
///         A contributor's first file and a later one differ (zero-to-nonzero balances and lists),
///         so both are recorded; another contributor's file comes first, so neither is the
///         deployment's very first.
contract ContributionGasTest is DataCoopTest {
    string internal constant GROUP = "ContributionGas";
    string internal constant METADATA = '{"program":"builtin:declarative/v1"}';
    uint256 internal constant SCORE = 0.9e18;
    uint256 internal constant KEY_SHARE_BYTES = 257;
    uint256 internal constant REFINED_KEY_BYTES = 193;

    uint256 internal refinerId;

    function setUp() public override {
        super.setUp();
        refinerId = _addRefiner(dlpId, _addSchema());
        _addService(dlpId, service);
    }

    function test_contribution_firstAndLaterFile() public {
        _contribute(bob, 0, "");
        _contribute(alice, 1, "first_");
        _contribute(alice, 2, "later_");
    }

    /// @dev One whole contribution of `owner`; records each step's gas when `prefix` is not empty.
    function _contribute(address owner, uint256 seed, string memory prefix) private {
        string memory url = _blobUrl(seed);
        bytes32 checksum = sha256(bytes(url));
        bool record = bytes(prefix).length != 0;

        vm.prank(owner);
        uint256 fileId = registry.addFile(url, checksum);
        if (record) _snapshot(prefix, "addFile");

        vm.prank(owner);
        uint256 jobId = pool.requestContributionProof{value: TEE_FEE}(fileId, dlpId);
        if (record) _snapshot(prefix, "requestContributionProof");

        bytes memory share = _bytes(KEY_SHARE_BYTES, seed);
        vm.prank(owner);
        registry.addFilePermission(fileId, tee, share);
        if (record) _snapshot(prefix, "addFilePermission");

        ITeePool.ProofData memory data = ITeePool.ProofData({
            score: SCORE,
            dlpId: dlpId,
            programDigest: PROGRAM_DIGEST,
            metadata: METADATA,
            proofUrl: _blobUrl(seed + 1000),
            instruction: ""
        });
        bytes memory signature = _signProof(TEE_KEY, jobId, data);
        vm.prank(tee);
        uint256 proofIndex = pool.addProof(jobId, data, signature);
        if (record) _snapshot(prefix, "addProof");

        _bind(owner, fileId, seed, prefix);

        vm.prank(owner);
        uint256 amount = dlp.requestReward(fileId, proofIndex);
        if (record) _snapshot(prefix, "requestReward");
        vm.assertEq(amount, REWARD_PER_FILE * SCORE / SCORE_ONE, "the reward is paid");

        bytes memory refinedKey = _bytes(REFINED_KEY_BYTES, seed + 2000);
        string memory refinedUrl = _blobUrl(seed + 3000);
        vm.prank(service);
        registry.addRefinementWithPermission(fileId, refinerId, refinedUrl, service, refinedKey);
        if (record) _snapshot(prefix, "addRefinementWithPermission");

        vm.assertEq(registry.filePermissions(fileId, tee), share, "the validator's key share");
        vm.assertEq(registry.refinements(fileId, refinerId), refinedUrl, "the refinement");
    }

    /// @dev The validator binds the file's keyed data hash to its owner after the proof, as the node does;
    ///      its own function for the stack's sake, so it records its gas itself.
    function _bind(address owner, uint256 fileId, uint256 seed, string memory prefix) private {
        bytes32 dataHash = keccak256(abi.encode("hmac of the plaintext", seed));
        uint64 boundAt = uint64(block.timestamp);
        bytes memory signature =
            _sign(TEE_KEY, deployment.ownershipRegistry.bindingDigest(dataHash, owner, fileId, boundAt));
        vm.prank(tee);
        deployment.ownershipRegistry.bind(dataHash, owner, fileId, boundAt, signature);
        if (bytes(prefix).length != 0) _snapshot(prefix, "bind");
        vm.assertEq(deployment.ownershipRegistry.ownerOf(dataHash), owner, "the binding");
    }

    function _snapshot(string memory prefix, string memory step) private {
        vm.snapshotGasLastCall(GROUP, string.concat(prefix, step));
    }

    /// @dev A storage gateway's blob url as the CLI registers it: 60 characters.
    function _blobUrl(uint256 seed) private pure returns (string memory) {
        return string.concat("http://127.0.0.1:7001/blobs/", _hex(bytes16(keccak256(abi.encode("blob", seed)))));
    }

    /// @dev `length` bytes that look like a ciphertext (few zero bytes, as calldata prices them).
    function _bytes(uint256 length, uint256 seed) private pure returns (bytes memory out) {
        out = new bytes(length);
        for (uint256 i = 0; i < length; i++) {
            out[i] = bytes1(uint8(keccak256(abi.encode(seed, i))[0]) | 1);
        }
    }

    function _hex(bytes16 value) private pure returns (string memory) {
        bytes memory digits = "0123456789abcdef";
        bytes memory out = new bytes(32);
        for (uint256 i = 0; i < 16; i++) {
            out[2 * i] = digits[uint8(value[i]) >> 4];
            out[2 * i + 1] = digits[uint8(value[i]) & 0x0f];
        }
        return string(out);
    }
}
