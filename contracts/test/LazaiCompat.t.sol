// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {DataCoopTest} from "./utils/DataCoopTest.sol";
import {vm} from "./utils/Vm.sol";
import {DataLiquidityPool} from "../src/DataLiquidityPool.sol";
import {DataDaoToken} from "../src/DataDaoToken.sol";
import {RsaPublicKeyPem} from "../src/libraries/RsaPublicKeyPem.sol";
import {IDataRegistry} from "../src/interfaces/IDataRegistry.sol";
import {IDataLiquidityPool} from "../src/interfaces/IDataLiquidityPool.sol";
import {ITeePool} from "../src/interfaces/ITeePool.sol";
import {IVanaDataRegistry} from "../src/interfaces/vana/IVanaDataRegistry.sol";
import {ILazaiDataRegistry} from "../src/interfaces/lazai/ILazaiDataRegistry.sol";
import {ILazaiVerifiedComputing} from "../src/interfaces/lazai/ILazaiVerifiedComputing.sol";

/// @dev Calls the library on memory, so a fuzzed key reaches it as a stored one would.
contract PemHarness {
    function pem(bytes memory spki) external pure returns (string memory) {
        return RsaPublicKeyPem.fromSubjectPublicKeyInfo(spki);
    }
}

/// @notice LazAI's calls (the ABIs LazAI's `alith` 0.12.3 client ships) against DataCoop's contracts:
///         the shapes alith decodes, and DataCoop's rules kept under them.
contract LazaiCompatTest is DataCoopTest {
    event RewardRequested(
        address indexed contributorAddress, uint256 indexed fileId, uint256 indexed proofIndex, uint256 rewardAmount
    );
    event DefaultDlpSet(uint256 dlpId);

    // What alith sends as the file's hash: the SHA-256 hex of the plaintext.
    string internal constant HASH = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
    string internal constant WRAPPED = "0a1b2c3d4e5f";
    // A 2048-bit RSA key: its DER SubjectPublicKeyInfo, and its PKCS#1 PEM as `openssl rsa -RSAPublicKey_out` writes it.
    bytes internal constant SPKI =
        hex"30820122300d06092a864886f70d01010105000382010f003082010a028201010088e739f23bc5cb7ce8791bd1cb9f672f1a69b37fa3fa1c53fcc49382323f2d3b3665f2d8ca56f4ff3249fb0b300dc6fc5baa7d4acd532b0e438eb2d54b29c09be4adca62ce6776b07f4513d4f0142ee2bf5a60fc00db2474439958b10c0ddf17c68d6ec28dfabd16014ccc02abc352de8d0411a3d372a96744d8929fb88ef9a7de0cddbbc9d6c8f321d10c83cf7ebf9ef83c45863d77729e96128684e6c4866fd688299e1fb4d2f2f9fbd270d9c5499263f2ade3e1a37813bba0fb4b734f56ef160b21f3251ed0ba7dad14574cb7cc1a3e5499037af7148d53462270b9e1bcc5ee4aa6b094ce8b42854ddb556f74e384871f1c540d66ecf3ea9f30ef96652e230203010001";
    string internal constant PEM = "-----BEGIN RSA PUBLIC KEY-----\n"
        "MIIBCgKCAQEAiOc58jvFy3zoeRvRy59nLxpps3+j+hxT/MSTgjI/LTs2ZfLYylb0\n"
        "/zJJ+wswDcb8W6p9Ss1TKw5DjrLVSynAm+StymLOZ3awf0UT1PAULuK/WmD8ANsk\n"
        "dEOZWLEMDd8Xxo1uwo36vRYBTMwCq8NS3o0EEaPTcqlnRNiSn7iO+afeDN27ydbI\n"
        "8yHRDIPPfr+e+DxFhj13cp6WEoaE5sSGb9aIKZ4ftNLy+fvScNnFSZJj8q3j4aN4\n"
        "E7ug+0tzT1bvFgsh8yUe0Lp9rRRXTLfMGj5UmQN69xSNU0YicLnhvMXuSqawlM6L\n"
        "QoVN21VvdOOEhx8cVA1m7PPqnzDvlmUuIwIDAQAB\n" "-----END RSA PUBLIC KEY-----\n";

    address internal carol = vm.addr(0xCA401);

    // ---- registration

    function test_addFile_lazaiOverload_recordsSenderKeepsHashAndNoChecksum() public {
        vm.prank(alice);
        uint256 fileId = registry.addFile("ipfs://l", HASH);

        ILazaiDataRegistry.LazaiFile memory file = registry.getFile(fileId);
        vm.assertEq(file.id, fileId, "id");
        vm.assertEq(file.ownerAddress, alice, "the sender owns it");
        vm.assertEq(file.url, "ipfs://l", "url");
        vm.assertEq(file.hash, HASH, "the hash as alith sent it");
        vm.assertEq(file.proofIndex, 0, "no proof yet");
        vm.assertEq(file.rewardAmount, 0, "no reward yet");
        vm.assertEq(registry.fileRecords(fileId).checksum, bytes32(0), "a plaintext hash is no checksum of the stored file");
    }

    function test_addFile_lazaiOverload_acceptsAnEmptyHashAsAlithsAddFileSends() public {
        vm.prank(alice);
        uint256 fileId = registry.addFile("ipfs://l", string(""));
        vm.assertEq(registry.getFile(fileId).hash, "", "empty");
    }

    function test_addFile_lazaiOverload_revertsOnAnEmptyUrl() public {
        vm.prank(alice);
        vm.expectRevert(IDataRegistry.DataRegistryEmptyUrl.selector);
        registry.addFile("", HASH);
    }

    function test_addFileWithPermissions_lazai_storesHashAndKeys() public {
        vm.prank(alice);
        uint256 fileId = registry.addFileWithPermissions("ipfs://l", HASH, alice, _permissions(tee));
        vm.assertEq(registry.getFile(fileId).hash, HASH, "hash");
        vm.assertEq(registry.getFilePermission(fileId, tee), WRAPPED, "the key as sent");
    }

    function test_addFileWithPermissions_lazai_revertsWhenOwnerIsNotTheSender() public {
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryOwnerNotSender.selector, alice, bob));
        registry.addFileWithPermissions("ipfs://l", HASH, alice, _permissions(tee));
        vm.assertEq(registry.filesCount(), 0, "nothing registered");
    }

    function test_addPermissionForFile_ownerOnly() public {
        vm.prank(alice);
        uint256 fileId = registry.addFile("ipfs://l", HASH);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryNotFileOwner.selector, fileId, bob));
        registry.addPermissionForFile(fileId, bob, WRAPPED);
        vm.prank(alice);
        registry.addPermissionForFile(fileId, tee, WRAPPED);
        vm.assertEq(registry.getFilePermission(fileId, tee), WRAPPED, "shared");
        vm.assertEq(registry.getFilePermission(fileId, bob), "", "not shared");
    }

    function test_getFilePermission_aKeySharedAsBytesReadsAsHex() public {
        uint256 fileId = _addFile(alice, "ipfs://a");
        vm.prank(alice);
        registry.addFilePermission(fileId, tee, hex"00ff10");
        vm.assertEq(registry.getFilePermission(fileId, tee), "0x00ff10", "hex of the wrapped bytes");
    }

    function test_getFile_revertsOnUnknownFile() public {
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryUnknownFile.selector, 1));
        registry.getFile(1);
    }

    // ---- getFileIdByUrl: never decided by who came first

    function test_getFileIdByUrl_theCallersOwnFileBeforeAFrontRunnersCopy() public {
        vm.prank(bob); // bob copies alice's pending registration and lands first
        uint256 copy = registry.addFile("ipfs://l", string(""));
        vm.prank(alice);
        uint256 own = registry.addFile("ipfs://l", HASH);

        vm.prank(alice);
        vm.assertEq(registry.getFileIdByUrl("ipfs://l"), own, "alice gets her own file");
        vm.prank(bob);
        vm.assertEq(registry.getFileIdByUrl("ipfs://l"), copy, "bob gets his copy");
        vm.prank(carol); // or a call with no sender, as alith reads
        vm.expectRevert(abi.encodeWithSelector(ILazaiDataRegistry.DataRegistryAmbiguousUrl.selector, "ipfs://l"));
        registry.getFileIdByUrl("ipfs://l");
    }

    function test_getFileIdByUrl_aSingleRegistrationIsFoundByAnyone() public {
        vm.prank(alice);
        uint256 fileId = registry.addFile("ipfs://l", HASH);
        vm.prank(address(0));
        vm.assertEq(registry.getFileIdByUrl("ipfs://l"), fileId, "a call with no sender");
        vm.assertEq(registry.getFileIdByUrl("ipfs://other"), 0, "an unknown url is 0");
    }

    function test_getFileIdByUrl_aCopyGivesTheCopierNothingOfTheOwners() public {
        vm.prank(alice);
        uint256 own = registry.addFile("ipfs://l", HASH);
        vm.prank(bob);
        registry.addFile("ipfs://l", HASH);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolNotFileOwner.selector, own, bob));
        pool.requestProof{value: TEE_FEE}(own);
    }

    // ---- proofs

    function test_addProof_lazaisUnguardedAddProofIsRefusedForEveryone() public {
        (uint256 fileId,) = _validatedFile(alice, "ipfs://a", SCORE_ONE);
        ILazaiDataRegistry.LazaiProof memory forged = ILazaiDataRegistry.LazaiProof({
            signature: hex"01",
            data: ILazaiDataRegistry.LazaiProofData({id: fileId, score: 100, fileUrl: "ipfs://a", proofUrl: "x"})
        });
        address[3] memory callers = [bob, tee, address(pool)];
        for (uint256 i = 0; i < callers.length; i++) {
            vm.prank(callers[i]);
            vm.expectRevert(
                abi.encodeWithSelector(ILazaiDataRegistry.DataRegistryProofsOnlyThroughTeePool.selector, address(pool))
            );
            registry.addProof(fileId, forged);
        }
        vm.assertEq(registry.fileProofsCount(fileId), 1, "no proof added");
    }

    function test_getFileProof_theValidatorsDigestSignatureAndTime() public {
        vm.warp(1_700_000_000);
        (uint256 fileId, uint256 proofIndex) = _validatedFile(alice, "ipfs://a", SCORE_ONE);
        ILazaiDataRegistry.LazaiFileProof memory proof = registry.getFileProof(fileId, proofIndex);
        IDataRegistry.FileProof memory record = registry.fileProofRecords(fileId, proofIndex);
        vm.assertEq(proof.timestamp, 1_700_000_000, "when it was recorded");
        vm.assertEq(proof.hash, pool.recordedProofDigest(fileId, record), "the EIP-712 digest signed");
        vm.assertEq(proof.signature, record.signature, "the validator's signature");
        vm.assertEq(ECDSA.recover(proof.hash, proof.signature), tee, "recovers to the validator");
    }

    function test_getFileProof_revertsOnIndexZeroAndPastTheLast() public {
        (uint256 fileId,) = _validatedFile(alice, "ipfs://a", SCORE_ONE);
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryUnknownProof.selector, fileId, 0));
        registry.getFileProof(fileId, 0);
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryUnknownProof.selector, fileId, 2));
        registry.getFileProof(fileId, 2);
    }

    // ---- requestReward through the registry

    function test_requestReward_paysTheOwnerThroughTheProofsDataDaoOnce() public {
        (uint256 fileId, uint256 proofIndex) = _validatedFile(alice, "ipfs://a", 0.5e18);
        vm.expectEmit(true, true, true, true, address(dlp));
        emit RewardRequested(alice, fileId, proofIndex, 50e18);
        vm.prank(bob); // anyone may ask; the owner is paid
        registry.requestReward(fileId, proofIndex);
        vm.assertEq(token.balanceOf(alice), 50e18, "the owner is paid in the DataDAO's token");
        vm.assertEq(token.balanceOf(bob), 0, "the caller is not");
        ILazaiDataRegistry.LazaiFile memory file = registry.getFile(fileId);
        vm.assertEq(file.proofIndex, 1, "its proof");
        vm.assertEq(file.rewardAmount, 50e18, "what it was paid");

        vm.expectRevert(abi.encodeWithSelector(IDataLiquidityPool.DataLiquidityPoolAlreadyRewarded.selector, fileId));
        registry.requestReward(fileId, proofIndex);
        vm.expectRevert(abi.encodeWithSelector(IDataLiquidityPool.DataLiquidityPoolAlreadyRewarded.selector, fileId));
        dlp.requestReward(fileId, proofIndex);
    }

    function test_requestReward_paysInTheTokenOfTheDataDaoTheProofIsFor() public {
        (uint256 otherId, DataLiquidityPool other) = _createDataDao("Other DAO", PROGRAM_DIGEST);
        uint256 fileId = _validatedFileFor(alice, "ipfs://a", SCORE_ONE, otherId);
        registry.requestReward(fileId, 1);
        vm.assertEq(DataDaoToken(other.token()).balanceOf(alice), REWARD_PER_FILE, "paid by the proof's DataDAO");
        vm.assertEq(token.balanceOf(alice), 0, "not by another");
    }

    function test_requestReward_revertsOnAProofThatIsNone() public {
        (uint256 fileId,) = _validatedFile(alice, "ipfs://a", SCORE_ONE);
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryUnknownProof.selector, fileId, 0));
        registry.requestReward(fileId, 0);
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryUnknownProof.selector, fileId, 2));
        registry.requestReward(fileId, 2);
    }

    function test_requestReward_revertsOnAZeroScore() public {
        (uint256 fileId, uint256 proofIndex) = _validatedFile(alice, "ipfs://a", 0);
        vm.expectRevert(abi.encodeWithSelector(IDataLiquidityPool.DataLiquidityPoolZeroScore.selector, fileId));
        registry.requestReward(fileId, proofIndex);
    }

    // ---- requestProof(fileId): the DataDAO holding the key, else the deployment's default

    function test_requestProof_refusedWhenNoDataDaoHoldsTheKeyAndThereIsNoDefault() public {
        vm.prank(alice);
        uint256 fileId = registry.addFile("ipfs://l", HASH);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolNoDefaultDataDao.selector, fileId));
        pool.requestProof{value: TEE_FEE}(fileId);
    }

    function test_requestProof_bindsToTheDefaultDataDaoInLazaisJobShape() public {
        vm.expectEmit(false, false, false, true, address(pool));
        emit DefaultDlpSet(dlpId);
        pool.setDefaultDlpId(dlpId);
        vm.warp(1_700_000_000);
        vm.prank(alice);
        uint256 fileId = registry.addFile("ipfs://l", HASH);
        vm.prank(alice);
        pool.requestProof{value: TEE_FEE}(fileId);

        uint256[] memory jobIds = pool.fileJobIds(fileId);
        vm.assertEq(jobIds.length, 1, "one job");
        vm.assertEq(pool.jobRecords(jobIds[0]).dlpId, dlpId, "the default DataDAO");
        ILazaiVerifiedComputing.LazaiJob memory job = pool.getJob(jobIds[0]);
        vm.assertEq(job.fileId, fileId, "file");
        vm.assertEq(job.bidAmount, TEE_FEE, "bid");
        vm.assertEq(job.status, 1, "submitted");
        vm.assertEq(job.addedTimestamp, 1_700_000_000, "added");
        vm.assertEq(job.ownerAddress, alice, "payer");
        vm.assertEq(job.nodeAddress, tee, "validator");
    }

    function test_requestProof_bindsToTheDataDaoHoldingTheKeyOverTheDefault() public {
        (uint256 otherId, DataLiquidityPool other) = _createDataDao("Other DAO", PROGRAM_DIGEST);
        pool.setDefaultDlpId(dlpId);
        vm.prank(alice);
        uint256 fileId = registry.addFileWithPermissions("ipfs://l", HASH, alice, _permissions(address(other)));
        vm.prank(alice);
        pool.requestProof{value: TEE_FEE}(fileId);
        vm.assertEq(pool.jobRecords(pool.fileJobIds(fileId)[0]).dlpId, otherId, "the DataDAO holding the key");
    }

    function test_requestProof_refusesAnotherPayerAndTooSmallAFee() public {
        pool.setDefaultDlpId(dlpId);
        vm.prank(alice);
        uint256 fileId = registry.addFile("ipfs://l", HASH);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolNotFileOwner.selector, fileId, bob));
        pool.requestProof{value: TEE_FEE}(fileId);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolInsufficientFee.selector, TEE_FEE - 1, TEE_FEE));
        pool.requestProof{value: TEE_FEE - 1}(fileId);
        vm.assertEq(pool.fileJobIds(fileId).length, 0, "no job");
    }

    function test_setDefaultDlpId_adminOnlyAndAnExistingDataDao() public {
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSignature("AccessControlUnauthorizedAccount(address,bytes32)", bob, bytes32(0))
        );
        pool.setDefaultDlpId(dlpId);
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolUnknownDataDao.selector, dlpId + 1));
        pool.setDefaultDlpId(dlpId + 1);
        pool.setDefaultDlpId(dlpId);
        vm.assertEq(pool.defaultDlpId(), dlpId, "set");
        pool.setDefaultDlpId(0);
        vm.assertEq(pool.defaultDlpId(), 0, "unset");
    }

    function test_getJob_numbersStatusesAsLazai() public {
        (uint256 proved,) = _validatedFile(alice, "ipfs://a", SCORE_ONE);
        vm.assertEq(pool.getJob(pool.fileJobIds(proved)[0]).status, 2, "completed");

        uint256 failedFile = _addFile(alice, "ipfs://f");
        uint256 failed = _requestJob(alice, failedFile);
        vm.prank(tee);
        pool.failJob(failed, "unreadable");
        vm.assertEq(pool.getJob(failed).status, 4, "failed, after LazAI's values");
        vm.prank(alice);
        pool.cancelJob(failed);
        vm.assertEq(pool.getJob(failed).status, 3, "canceled");

        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolUnknownJob.selector, 99));
        pool.getJob(99);
    }

    // ---- nodes

    function test_getNode_publishesTheRsaKeyAsPkcs1Pem() public {
        pool.addTee(bob, "http://bob", SPKI, "", "software", bytes32(0));
        ILazaiVerifiedComputing.LazaiNode memory node = pool.getNode(bob);
        vm.assertEq(node.nodeAddress, bob, "address");
        vm.assertEq(node.url, "http://bob", "url");
        vm.assertEq(node.status, 1, "active");
        vm.assertEq(node.amount, 0, "earned nothing yet");
        vm.assertEq(node.jobsCount, 0, "no jobs");
        vm.assertEq(node.publicKey, PEM, "the PKCS#1 PEM openssl writes for the same key");
        vm.assertTrue(pool.isNode(bob), "a node");

        pool.removeTee(bob);
        vm.assertEq(pool.getNode(bob).status, 2, "removed");
        vm.assertFalse(pool.isNode(bob), "no longer a node");
    }

    function test_getNode_earnedFeesAndJobs_andNoPemWithoutAnRsaKey() public {
        _validatedFile(alice, "ipfs://a", SCORE_ONE);
        ILazaiVerifiedComputing.LazaiNode memory node = pool.getNode(tee);
        vm.assertEq(node.amount, TEE_FEE, "earned");
        vm.assertEq(node.jobsCount, 1, "jobs");
        vm.assertEq(node.publicKey, "", "the fixture's RSA key is no SubjectPublicKeyInfo");
        vm.assertEq(pool.getNode(carol).status, 0, "never registered");
        vm.assertEq(pool.getNode(carol).nodeAddress, address(0), "all zero");
    }

    function test_nodeListAndNodeFee() public view {
        address[] memory nodes = pool.nodeList();
        vm.assertEq(nodes.length, 1, "one active validator");
        vm.assertEq(nodes[0], tee, "the fixture's");
        vm.assertEq(pool.nodeFee(), TEE_FEE, "the fee per job");
    }

    function testFuzz_getNode_anyStoredKeyGivesAPemOrNothing(bytes memory key, uint256 cut) public {
        PemHarness harness = new PemHarness();
        string memory pem = harness.pem(key);
        vm.assertTrue(bytes(pem).length == 0 || _startsWith(pem, "-----BEGIN RSA PUBLIC KEY-----\n"), "a PEM or nothing");
        // Every truncation of a real key is refused, never read past its end.
        bytes memory truncated = new bytes(_bound(cut, 0, SPKI.length - 1));
        for (uint256 i = 0; i < truncated.length; i++) {
            truncated[i] = SPKI[i];
        }
        vm.assertEq(bytes(harness.pem(truncated)).length, 0, "a truncated key has no PEM");
    }

    function _startsWith(string memory text, string memory prefix) private pure returns (bool) {
        bytes memory t = bytes(text);
        bytes memory p = bytes(prefix);
        if (t.length < p.length) return false;
        for (uint256 i = 0; i < p.length; i++) {
            if (t[i] != p[i]) return false;
        }
        return true;
    }

    function _permissions(address account) internal pure returns (IVanaDataRegistry.VanaPermission[] memory list) {
        list = new IVanaDataRegistry.VanaPermission[](1);
        list[0] = IVanaDataRegistry.VanaPermission({account: account, key: WRAPPED});
    }
}
