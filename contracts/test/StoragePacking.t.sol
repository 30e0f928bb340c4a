// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {vm} from "./utils/Vm.sol";
import {DataCoopTest} from "./utils/DataCoopTest.sol";
import {DataRegistry} from "../src/DataRegistry.sol";
import {IDataRegistry} from "../src/interfaces/IDataRegistry.sol";
import {ILazaiDataRegistry} from "../src/interfaces/lazai/ILazaiDataRegistry.sol";
import {ITeePool} from "../src/interfaces/ITeePool.sol";

/// @notice The packed storage of files, proofs and jobs: a value too large for its narrowed slot is
///         refused, never wrapped; what is stored packed or indexed differently reads back exactly as
///         before (signature, timestamps, urls shared by several owners, grantees, a file's jobs).
contract StoragePackingTest is DataCoopTest {
    address internal carol = vm.addr(0xCA201);

    // ---- narrowed types refuse what does not fit

    function test_requestContributionProof_refusesABidOverUint96() public {
        uint256 fileId = _addFile(alice, "ipfs://a");
        uint256 bid = uint256(type(uint96).max) + 1;
        vm.deal(alice, bid);
        vm.expectRevert(abi.encodeWithSelector(SafeCast.SafeCastOverflowedUintDowncast.selector, 96, bid));
        vm.prank(alice);
        pool.requestContributionProof{value: bid}(fileId, dlpId);
    }

    function test_requestContributionProof_keepsTheLargestBidThatFits() public {
        uint256 fileId = _addFile(alice, "ipfs://a");
        uint256 bid = type(uint96).max;
        vm.deal(alice, bid);
        vm.prank(alice);
        uint256 jobId = pool.requestContributionProof{value: bid}(fileId, dlpId);
        vm.assertEq(pool.jobRecords(jobId).bidAmount, bid, "the whole bid, not wrapped");
    }

    function test_requestContributionProof_refusesATimestampPastUint40() public {
        uint256 fileId = _addFile(alice, "ipfs://a");
        uint256 late = uint256(type(uint40).max) + 1;
        vm.warp(late);
        vm.expectRevert(abi.encodeWithSelector(SafeCast.SafeCastOverflowedUintDowncast.selector, 40, late));
        vm.prank(alice);
        pool.requestContributionProof{value: TEE_FEE}(fileId, dlpId);
    }

    function test_addProof_refusesWhatDoesNotFitItsSlot() public {
        DataRegistry fresh = new DataRegistry(address(this));
        fresh.setTeePool(address(this)); // this test plays the pool, to send what the pool never would
        vm.prank(alice);
        uint256 fileId = fresh.addFile("ipfs://a", bytes32(uint256(1)));

        IDataRegistry.FileProof memory proof = _fileProof(new bytes(64));
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryInvalidSignature.selector, 64));
        fresh.addProof(fileId, proof);

        proof = _fileProof(new bytes(65));
        proof.jobId = uint256(type(uint64).max) + 1;
        vm.expectRevert(abi.encodeWithSelector(SafeCast.SafeCastOverflowedUintDowncast.selector, 64, proof.jobId));
        fresh.addProof(fileId, proof);

        proof = _fileProof(new bytes(65));
        proof.score = uint256(type(uint64).max) + 1;
        vm.expectRevert(abi.encodeWithSelector(SafeCast.SafeCastOverflowedUintDowncast.selector, 64, proof.score));
        fresh.addProof(fileId, proof);

        proof = _fileProof(new bytes(65));
        proof.dlpId = uint256(type(uint64).max) + 1;
        vm.expectRevert(abi.encodeWithSelector(SafeCast.SafeCastOverflowedUintDowncast.selector, 64, proof.dlpId));
        fresh.addProof(fileId, proof);
        vm.assertEq(fresh.fileProofsCount(fileId), 0, "nothing recorded");
    }

    // ---- what is packed reads back exactly

    function test_fileProofs_giveBackTheSignatureAndTimesRecorded() public {
        vm.roll(77);
        vm.warp(1_900_000_000);
        uint256 fileId = _addFile(alice, "ipfs://a");
        uint256 jobId = _requestJob(alice, fileId);
        ITeePool.ProofData memory data = _proofData(SCORE_ONE / 3, dlpId);
        data.instruction = "an instruction";
        bytes memory signature = _signProof(TEE_KEY, jobId, data);
        vm.prank(tee);
        uint256 proofIndex = pool.addProof(jobId, data, signature);

        IDataRegistry.FileProof memory proof = registry.fileProofRecords(fileId, proofIndex);
        vm.assertEq(proof.signature, signature, "the signature, r s v as signed");
        vm.assertEq(proof.score, SCORE_ONE / 3, "score");
        vm.assertEq(proof.addedAtBlock, 77, "block");
        vm.assertEq(proof.instruction, "an instruction", "instruction");
        vm.assertEq(proof.metadata, data.metadata, "metadata");
        vm.assertEq(proof.proofUrl, data.proofUrl, "proof url");
        vm.assertEq(registry.fileProofs(fileId, proofIndex).signature, signature, "Vana's view");
        ILazaiDataRegistry.LazaiFileProof memory lazai = registry.getFileProof(fileId, proofIndex);
        vm.assertEq(lazai.timestamp, 1_900_000_000, "LazAI's timestamp");
        vm.assertEq(lazai.signature, signature, "LazAI's signature");
        vm.assertEq(lazai.hash, pool.proofDigest(jobId, tee, data), "LazAI's hash is the digest signed");
        (uint256 provedJob, uint256 provedDlp, uint256 score) = registry.fileProofScore(fileId, proofIndex);
        vm.assertEq(provedJob, jobId, "job");
        vm.assertEq(provedDlp, dlpId, "DataDAO");
        vm.assertEq(score, SCORE_ONE / 3, "score for the reward");
    }

    function test_fileIdByUrl_eachOfThreeOwnersOfOneUrlFindsTheirOwn() public {
        uint256 ofAlice = _addFile(alice, "ipfs://shared");
        vm.prank(carol);
        vm.assertEq(registry.getFileIdByUrl("ipfs://shared"), ofAlice, "one owner: anyone finds it");
        uint256 ofBob = _addFile(bob, "ipfs://shared");
        uint256 ofCarol = _addFile(carol, "ipfs://shared");

        vm.assertEq(registry.fileIdByUrl(alice, "ipfs://shared"), ofAlice, "alice's");
        vm.assertEq(registry.fileIdByUrl(bob, "ipfs://shared"), ofBob, "bob's");
        vm.assertEq(registry.fileIdByUrl(carol, "ipfs://shared"), ofCarol, "carol's");
        vm.assertEq(registry.fileIdByUrl(daoOwner, "ipfs://shared"), 0, "nobody else's");
        vm.prank(bob);
        vm.assertEq(registry.getFileIdByUrl("ipfs://shared"), ofBob, "LazAI's lookup, bob's own");
        vm.prank(daoOwner);
        vm.expectRevert(abi.encodeWithSelector(ILazaiDataRegistry.DataRegistryAmbiguousUrl.selector, "ipfs://shared"));
        registry.getFileIdByUrl("ipfs://shared");

        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryFileAlreadyAdded.selector, ofAlice));
        registry.addFile("ipfs://shared", bytes32(uint256(1)));
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryFileAlreadyAdded.selector, ofCarol));
        registry.addFile("ipfs://shared", bytes32(uint256(1)));
    }

    function test_fileGrantees_listAnAccountOnceThroughRevokeAndRegrant() public {
        uint256 fileId = _addFile(alice, "ipfs://a");
        vm.startPrank(alice);
        registry.addFilePermission(fileId, tee, bytes(hex"01"));
        registry.addFilePermission(fileId, tee, bytes(hex"02")); // a rotation
        registry.revokeFilePermission(fileId, tee);
        vm.assertEq(registry.filePermissions(fileId, tee).length, 0, "revoked");
        registry.addFilePermission(fileId, tee, bytes(hex"03"));
        registry.addFilePermission(fileId, bob, bytes(hex"04"));
        vm.stopPrank();
        address[] memory grantees = registry.fileGrantees(fileId);
        vm.assertEq(grantees.length, 2, "each account once");
        vm.assertEq(grantees[0], tee, "in the order first shared");
        vm.assertEq(grantees[1], bob, "then bob");
        vm.assertEq(registry.filePermissions(fileId, tee), bytes(hex"03"), "the key shared last");
    }

    function test_fileJobIds_listAFilesJobsOldestFirst() public {
        uint256 a = _addFile(alice, "ipfs://a");
        uint256 b = _addFile(bob, "ipfs://b");
        uint256 firstOfA = _requestJob(alice, a);
        uint256 onlyOfB = _requestJob(bob, b);
        vm.prank(tee);
        pool.failJob(firstOfA, "could not fetch");
        uint256 secondOfA = _requestJob(alice, a);

        vm.assertEq(pool.fileJobIds(a), _uints(firstOfA, secondOfA), "a's jobs, oldest first");
        vm.assertEq(pool.fileJobIds(b), _uints(onlyOfB), "b's job");
        vm.assertEq(pool.fileJobIds(99).length, 0, "no job");
        vm.assertEq(pool.jobRecords(firstOfA).failureReason, "could not fetch", "the failure's reason");
        vm.assertEq(pool.jobRecords(secondOfA).failureReason, "", "none for an open job");
        vm.assertEq(pool.jobRewardPerFile(secondOfA), REWARD_PER_FILE, "the pinned reward");
    }

    function _fileProof(bytes memory signature) private view returns (IDataRegistry.FileProof memory) {
        return IDataRegistry.FileProof({
            jobId: 1,
            validator: tee,
            score: 1,
            dlpId: dlpId,
            programDigest: PROGRAM_DIGEST,
            metadata: "",
            proofUrl: "",
            instruction: "",
            signature: signature,
            addedAtBlock: 0
        });
    }
}
