// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "./utils/Vm.sol";
import {DataCoopTest} from "./utils/DataCoopTest.sol";
import {TeePool} from "../src/TeePool.sol";
import {ITeePool} from "../src/interfaces/ITeePool.sol";
import {IDataRegistry} from "../src/interfaces/IDataRegistry.sol";

/// @dev Accepts no ether, to show a failed payout leaves the claim in place.
contract RejectsEther {
    function addFile(IDataRegistry registry, string calldata url) external returns (uint256) {
        return registry.addFile(url, bytes32(uint256(1)));
    }

    function requestJob(TeePool pool, uint256 fileId, uint256 dlpId) external payable returns (uint256) {
        return pool.requestContributionProof{value: msg.value}(fileId, dlpId);
    }

    function cancel(TeePool pool, uint256 jobId) external {
        pool.cancelJob(jobId);
    }

    function claim(TeePool pool) external {
        pool.claim();
    }
}

contract TeePoolTest is DataCoopTest {
    event JobSubmitted(uint256 indexed jobId, uint256 indexed fileId, address teeAddress, uint256 bidAmount);
    event TeeUrlUpdated(address indexed teeAddress, string url);
    event TeeAdded(address indexed teeAddress, string url, string enclaveType, bytes32 measurement);
    event TeeKeysUpdated(address indexed teeAddress, bytes rsaPublicKey, bytes secp256k1PublicKey);
    event JobFailed(uint256 indexed jobId, uint256 indexed fileId, address indexed teeAddress, string reason);

    // ---- validators

    function test_addTee_registersActiveValidator() public view {
        ITeePool.TeeInfo memory info = pool.teeRecords(tee);
        vm.assertTrue(info.status == ITeePool.TeeStatus.Active, "active");
        vm.assertEq(info.url, "http://127.0.0.1:7000", "url");
        vm.assertEq(info.enclaveType, "software", "enclave type");
        vm.assertTrue(pool.isActiveTee(tee), "isActiveTee");
        vm.assertEq(pool.activeTees().length, 1, "one active");
    }

    function test_addTee_revertsForNonMaintainer() public {
        vm.expectRevert(
            abi.encodeWithSignature(
                "AccessControlUnauthorizedAccount(address,bytes32)", bob, pool.MAINTAINER_ROLE()
            )
        );
        vm.prank(bob);
        pool.addTee(bob, "u", hex"01", "", "software", bytes32(0));
    }

    function test_addTee_revertsOnZeroAddressAndWhileActive() public {
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolZeroAddress.selector));
        pool.addTee(address(0), "u", hex"01", "", "software", bytes32(0));
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolTeeAlreadyActive.selector, tee));
        pool.addTee(tee, "u", hex"0102", "", "software", bytes32(0));
    }

    function test_addTee_readdsRemovedValidatorWithItsOwnKeys() public {
        _requestJob(alice, _addFile(alice, "ipfs://a"));
        pool.removeTee(tee);
        _addTee(tee, 1); // the same keys: they are its own
        ITeePool.TeeInfo memory info = pool.teeRecords(tee);
        vm.assertTrue(info.status == ITeePool.TeeStatus.Active, "active again");
        vm.assertEq(info.jobsCount, 1, "its history kept");
        vm.assertEq(pool.activeTees().length, 1, "back in rotation");
        uint256 jobId = _requestJob(alice, _addFile(alice, "ipfs://b"));
        vm.assertEq(pool.jobRecords(jobId).teeAddress, tee, "receives jobs again");
    }

    function test_addTee_readdsRemovedValidatorWithNewKeysUrlAndEvidence() public {
        pool.removeTee(tee);
        bytes memory secp = _secpKey(9);
        vm.expectEmit(true, false, false, true);
        emit TeeAdded(tee, "http://127.0.0.1:7100", "sgx", bytes32(uint256(9)));
        pool.addTee(tee, "http://127.0.0.1:7100", hex"0909", secp, "sgx", bytes32(uint256(9)));
        ITeePool.TeeInfo memory info = pool.teeRecords(tee);
        vm.assertEq(info.url, "http://127.0.0.1:7100", "url");
        vm.assertEq(info.rsaPublicKey, hex"0909", "rsa key");
        vm.assertEq(info.secp256k1PublicKey, secp, "secp key");
        vm.assertEq(info.enclaveType, "sgx", "enclave type");
        vm.assertEq(info.measurement, bytes32(uint256(9)), "measurement");
    }

    function test_addTee_readdRevertsOnKeyOfAnotherValidator() public {
        _addTee(bob, 2);
        pool.removeTee(tee);
        bytes memory bobsKey = _secpKey(2);
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolKeyInUse.selector, bob));
        pool.addTee(tee, "u", "", bobsKey, "software", bytes32(0));
    }

    function test_updateTeeKeys_replacesCallersKeys() public {
        bytes memory secp = _secpKey(7);
        vm.expectEmit(true, false, false, true);
        emit TeeKeysUpdated(tee, hex"0707", secp);
        vm.prank(tee);
        pool.updateTeeKeys(hex"0707", secp);
        ITeePool.TeeInfo memory info = pool.teeRecords(tee);
        vm.assertEq(info.rsaPublicKey, hex"0707", "rsa key");
        vm.assertEq(info.secp256k1PublicKey, secp, "secp key");
        vm.assertTrue(info.status == ITeePool.TeeStatus.Active, "still active");
    }

    function test_updateTeeKeys_acceptsOneKeyAlone() public {
        vm.prank(tee);
        pool.updateTeeKeys("", _secpKeyCompressed(3));
        vm.assertEq(pool.teeRecords(tee).rsaPublicKey, "", "rsa key dropped");
        vm.assertEq(pool.teeRecords(tee).secp256k1PublicKey.length, 33, "compressed secp key");
    }

    function test_updateTeeKeys_revertsForNonValidatorOrRemovedValidator() public {
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolNotActiveTee.selector, bob));
        vm.prank(bob);
        pool.updateTeeKeys(hex"0b0b", "");
        pool.removeTee(tee);
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolNotActiveTee.selector, tee));
        vm.prank(tee);
        pool.updateTeeKeys(hex"0b0b", "");
    }

    function test_updateTeeKeys_revertsWithoutKeyOrWithMalformedSecpKey() public {
        vm.startPrank(tee);
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolNoPublicKey.selector));
        pool.updateTeeKeys("", "");
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolInvalidPublicKey.selector));
        pool.updateTeeKeys(hex"01", hex"0401");
        vm.stopPrank();
    }

    function test_updateTeeKeys_revertsOnKeyOfAnotherValidator() public {
        _addTee(bob, 2);
        bytes memory bobsRsa = pool.teeRecords(bob).rsaPublicKey;
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolKeyInUse.selector, bob));
        vm.prank(tee);
        pool.updateTeeKeys(bobsRsa, "");
    }

    function test_updateTeeKeys_releasesTheOldKey() public {
        bytes memory oldSecp = pool.teeRecords(tee).secp256k1PublicKey;
        vm.prank(tee);
        pool.updateTeeKeys("", _secpKey(8));
        vm.prank(tee); // its own retired key is its own to take back
        pool.updateTeeKeys("", oldSecp);
        vm.assertEq(pool.teeRecords(tee).secp256k1PublicKey, oldSecp, "rotated back");
        vm.prank(tee);
        pool.updateTeeKeys("", _secpKey(8));
        pool.addTee(bob, "http://bob", "", oldSecp, "software", bytes32(0)); // released: another may publish it
        vm.assertEq(pool.teeRecords(bob).secp256k1PublicKey, oldSecp, "taken up");
    }

    /// A validator front-runs another's registration with its key; removing the squatter frees it.
    function test_removeTee_releasesASquattedKey() public {
        bytes memory victimsKey = _secpKey(9);
        vm.prank(tee);
        pool.updateTeeKeys("", victimsKey);
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolKeyInUse.selector, tee));
        pool.addTee(bob, "http://bob", "", victimsKey, "software", bytes32(0));
        pool.removeTee(tee);
        pool.addTee(bob, "http://bob", "", victimsKey, "software", bytes32(0));
        vm.assertEq(pool.teeRecords(bob).secp256k1PublicKey, victimsKey, "the victim registered");
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolKeyInUse.selector, bob));
        pool.addTee(tee, "http://tee", "", victimsKey, "software", bytes32(0)); // the squatter cannot come back with it
    }

    function testFuzz_updateTeeKeys_storesAnyFreshKeyPair(uint256 seed) public {
        bytes memory rsaKey = abi.encodePacked("fuzzed-rsa-", seed); // never the fixture's "rsa-public-key-"
        bytes memory secp = _secpKey(_bound(seed, 3, type(uint256).max)); // the fixture's validators use 1 and 2
        vm.prank(tee);
        pool.updateTeeKeys(rsaKey, secp);
        vm.assertEq(pool.teeRecords(tee).rsaPublicKey, rsaKey, "rsa key");
        vm.assertEq(pool.teeRecords(tee).secp256k1PublicKey, secp, "secp key");
    }

    function _secpKeyCompressed(uint256 seed) private pure returns (bytes memory key) {
        key = abi.encodePacked(bytes1(0x02), keccak256(abi.encodePacked(seed)));
    }

    /// One secp256k1 key in its other form is the same key: no second validator may publish it.
    function test_addTee_refusesAnotherValidatorsKeyInItsCompressedForm() public {
        bytes memory uncompressed = pool.teeRecords(tee).secp256k1PublicKey;
        bytes memory x = new bytes(32);
        for (uint256 i = 0; i < 32; i++) {
            x[i] = uncompressed[i + 1];
        }
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolKeyInUse.selector, tee));
        pool.addTee(bob, "u", "", abi.encodePacked(bytes1(0x03), x), "software", bytes32(0));
        // an RSA key whose bytes equal that secp key is another kind of key, and no clash
        pool.addTee(bob, "u", uncompressed, "", "software", bytes32(0));
    }

    function test_addTee_emitsItsKeys() public {
        bytes memory rsa = abi.encodePacked("rsa-public-key-", uint256(5));
        bytes memory secp = _secpKey(5);
        vm.expectEmit(true, true, true, true, address(pool));
        emit ITeePool.TeeKeysUpdated(bob, rsa, secp);
        pool.addTee(bob, "u", rsa, secp, "software", bytes32(0));
    }

    function test_addTee_revertsOnASecpKeyWithAWrongPrefix() public {
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolInvalidPublicKey.selector));
        pool.addTee(bob, "u", "", abi.encodePacked(bytes1(0x04), keccak256("x")), "software", bytes32(0)); // 33 bytes, 0x04
        bytes memory wrong = _secpKey(6);
        wrong[0] = 0x02; // 65 bytes, not 0x04
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolInvalidPublicKey.selector));
        pool.addTee(bob, "u", "", wrong, "software", bytes32(0));
    }

    function test_addTee_revertsWithoutKeyOrWithMalformedSecpKey() public {
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolNoPublicKey.selector));
        pool.addTee(bob, "u", "", "", "software", bytes32(0));
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolInvalidPublicKey.selector));
        pool.addTee(bob, "u", "", hex"0401", "software", bytes32(0));
    }

    function test_removeTee_takesValidatorOutOfRotation() public {
        _addTee(bob, 2);
        pool.removeTee(tee);
        vm.assertTrue(pool.teeRecords(tee).status == ITeePool.TeeStatus.Removed, "removed");
        vm.assertTrue(!pool.isActiveTee(tee), "not active");
        uint256 jobId = _requestJob(alice, _addFile(alice, "ipfs://a"));
        vm.assertEq(pool.jobRecords(jobId).teeAddress, bob, "only bob receives jobs");
    }

    function test_removeTee_revertsForUnknownValidator() public {
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolNotActiveTee.selector, bob));
        pool.removeTee(bob);
    }

    function test_updateTeeUrl_setsCallersOwnUrl() public {
        vm.expectEmit(true, false, false, true);
        emit TeeUrlUpdated(tee, "http://127.0.0.1:9000");
        vm.prank(tee);
        pool.updateTeeUrl("http://127.0.0.1:9000");
        vm.assertEq(pool.teeRecords(tee).url, "http://127.0.0.1:9000", "url updated");
    }

    function test_updateTeeUrl_revertsForUnregisteredOrRemovedCaller() public {
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolNotActiveTee.selector, bob));
        vm.prank(bob);
        pool.updateTeeUrl("http://evil");
        pool.removeTee(tee);
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolNotActiveTee.selector, tee));
        vm.prank(tee);
        pool.updateTeeUrl("http://stale");
    }

    function test_updateTeeFeeAndCancelDelay_adminOnly() public {
        pool.updateTeeFee(1 ether);
        pool.updateCancelDelay(5);
        vm.assertEq(pool.teeFee(), 1 ether, "fee");
        vm.assertEq(pool.cancelDelay(), 5, "delay");
        vm.expectRevert(
            abi.encodeWithSignature("AccessControlUnauthorizedAccount(address,bytes32)", bob, bytes32(0))
        );
        vm.prank(bob);
        pool.updateTeeFee(0);
    }

    // ---- jobs

    function test_requestContributionProof_opensJobForAssignedValidator() public {
        uint256 fileId = _addFile(alice, "ipfs://a");
        vm.warp(1000);
        vm.expectEmit(true, true, true, true);
        emit JobSubmitted(1, fileId, tee, TEE_FEE);
        uint256 jobId = _requestJob(alice, fileId);

        ITeePool.Job memory job = pool.jobRecords(jobId);
        vm.assertEq(job.fileId, fileId, "file");
        vm.assertEq(job.dlpId, dlpId, "dlp");
        vm.assertEq(job.bidAmount, TEE_FEE, "bid");
        vm.assertEq(job.teeAddress, tee, "tee");
        vm.assertEq(job.payer, alice, "payer");
        vm.assertEq(job.addedTimestamp, 1000, "timestamp");
        vm.assertTrue(job.status == ITeePool.JobStatus.Submitted, "submitted");
        vm.assertEq(pool.jobsCount(), 1, "count");
        vm.assertEq(pool.fileJobIds(fileId).length, 1, "file jobs");
        vm.assertEq(address(pool).balance, TEE_FEE, "fee held");
    }

    function test_requestContributionProof_assignsRoundRobin() public {
        _addTee(bob, 2);
        address[] memory assigned = new address[](4);
        for (uint256 i = 0; i < 4; i++) {
            uint256 fileId = _addFile(alice, string.concat("ipfs://", string(abi.encodePacked(uint8(65 + i)))));
            assigned[i] = pool.jobRecords(_requestJob(alice, fileId)).teeAddress;
        }
        vm.assertEq(assigned[0], tee, "first");
        vm.assertEq(assigned[1], bob, "second");
        vm.assertEq(assigned[2], tee, "third");
        vm.assertEq(assigned[3], bob, "fourth");
        vm.assertEq(pool.teeRecords(tee).jobsCount, 2, "tee jobs");
    }

    function test_requestContributionProof_revertsOnUnknownFile() public {
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryUnknownFile.selector, 7));
        vm.prank(alice);
        pool.requestContributionProof{value: TEE_FEE}(7, dlpId);
    }

    function test_requestContributionProof_revertsOnUnknownDataDao() public {
        uint256 fileId = _addFile(alice, "ipfs://a");
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolUnknownDataDao.selector, 99));
        vm.prank(alice);
        pool.requestContributionProof{value: TEE_FEE}(fileId, 99);
        vm.assertEq(address(pool).balance, 0, "nothing paid");
    }

    function test_requestContributionProof_revertsOnInsufficientFee() public {
        uint256 fileId = _addFile(alice, "ipfs://a");
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolInsufficientFee.selector, TEE_FEE - 1, TEE_FEE));
        vm.prank(alice);
        pool.requestContributionProof{value: TEE_FEE - 1}(fileId, dlpId);
    }

    function test_requestContributionProof_revertsWithoutActiveValidator() public {
        pool.removeTee(tee);
        uint256 fileId = _addFile(alice, "ipfs://a");
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolNoActiveTee.selector));
        vm.prank(alice);
        pool.requestContributionProof{value: TEE_FEE}(fileId, dlpId);
    }

    function test_requestContributionProof_allowsRetryAfterFailure() public {
        uint256 fileId = _addFile(alice, "ipfs://a");
        uint256 first = _requestJob(alice, fileId);
        vm.prank(tee);
        pool.failJob(first, "could not fetch the file");
        uint256 second = _requestJob(alice, fileId);
        vm.assertEq(second, first + 1, "a new job");
    }

    function test_requestContributionProof_pinsTheDataDaosCurrentProgram() public {
        uint256 first = _requestJob(alice, _addFile(alice, "ipfs://a"));
        bytes32 newProgram = keccak256("program v2");
        vm.prank(daoOwner);
        dlp.updateProgram(newProgram, "https://example.org/v2");
        uint256 second = _requestJob(alice, _addFile(alice, "ipfs://b"));
        vm.assertEq(pool.jobRecords(first).programDigest, PROGRAM_DIGEST, "the first keeps its program");
        vm.assertEq(pool.jobRecords(second).programDigest, newProgram, "the second gets the new one");
    }

    function test_requestContributionProof_allowsNewJobAfterZeroScore() public {
        uint256 fileId = _addFile(alice, "ipfs://a");
        uint256 first = _requestJob(alice, fileId);
        _prove(first, 0);
        uint256 second = _requestJob(alice, fileId);
        vm.assertEq(second, first + 1, "a new job");
        vm.assertEq(pool.fileJobIds(fileId).length, 2, "both listed");
    }

    function test_requestContributionProof_revertsAfterScoreAboveZero() public {
        uint256 fileId = _addFile(alice, "ipfs://a");
        uint256 jobId = _requestJob(alice, fileId);
        _prove(jobId, 1);
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolAlreadyValidated.selector, fileId, dlpId, jobId));
        vm.prank(alice);
        pool.requestContributionProof{value: TEE_FEE}(fileId, dlpId);
    }

    function test_requestContributionProof_revertsWhileZeroScoredFileHasOpenJob() public {
        uint256 fileId = _addFile(alice, "ipfs://a");
        _prove(_requestJob(alice, fileId), 0);
        uint256 open = _requestJob(alice, fileId);
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolJobAlreadyOpen.selector, fileId, dlpId, open));
        vm.prank(alice);
        pool.requestContributionProof{value: TEE_FEE}(fileId, dlpId);
    }

    function test_jobs_revertsOnUnknownJob() public {
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolUnknownJob.selector, 1));
        pool.jobRecords(1);
    }

    // ---- proofs

    function test_addProof_completesJobAndCreditsFee() public {
        uint256 jobId = _requestJob(alice, _addFile(alice, "ipfs://a"));
        uint256 proofIndex = _prove(jobId, SCORE_ONE / 2);
        vm.assertEq(proofIndex, 1, "first proof is numbered 1, as Vana numbers them");
        vm.assertTrue(pool.jobRecords(jobId).status == ITeePool.JobStatus.Completed, "completed");
        vm.assertEq(pool.claimable(tee), TEE_FEE, "fee credited");
    }

    function test_addProof_revertsForNonAssignedCaller() public {
        uint256 jobId = _requestJob(alice, _addFile(alice, "ipfs://a"));
        ITeePool.ProofData memory data = _proofData(SCORE_ONE, dlpId);
        bytes memory signature = _signProof(TEE_KEY, jobId, data);
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolNotAssignedTee.selector, jobId, bob));
        vm.prank(bob);
        pool.addProof(jobId, data, signature);
    }

    function test_addProof_revertsOnWrongDataDao() public {
        uint256 jobId = _requestJob(alice, _addFile(alice, "ipfs://a"));
        ITeePool.ProofData memory data = _proofData(SCORE_ONE, dlpId + 1);
        bytes memory signature = _signProof(TEE_KEY, jobId, data);
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolProofWrongDataDao.selector, jobId, dlpId + 1));
        vm.prank(tee);
        pool.addProof(jobId, data, signature);
    }

    function test_addProof_revertsOnScoreAboveOne() public {
        uint256 jobId = _requestJob(alice, _addFile(alice, "ipfs://a"));
        ITeePool.ProofData memory data = _proofData(SCORE_ONE + 1, dlpId);
        bytes memory signature = _signProof(TEE_KEY, jobId, data);
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolScoreOutOfRange.selector, SCORE_ONE + 1));
        vm.prank(tee);
        pool.addProof(jobId, data, signature);
    }

    function test_addProof_revertsWhenSignatureIsNotTheValidators() public {
        uint256 jobId = _requestJob(alice, _addFile(alice, "ipfs://a"));
        ITeePool.ProofData memory data = _proofData(SCORE_ONE, dlpId);
        bytes memory signature = _sign(OTHER_TEE_KEY, pool.proofDigest(jobId, tee, data));
        vm.expectRevert(
            abi.encodeWithSelector(ITeePool.TeePoolInvalidSignature.selector, vm.addr(OTHER_TEE_KEY), tee)
        );
        vm.prank(tee);
        pool.addProof(jobId, data, signature);
    }

    function test_addProof_revertsWhenSignedFieldsDiffer() public {
        uint256 jobId = _requestJob(alice, _addFile(alice, "ipfs://a"));
        ITeePool.ProofData memory data = _proofData(SCORE_ONE / 10, dlpId);
        bytes memory signature = _signProof(TEE_KEY, jobId, data);
        data.score = SCORE_ONE; // the validator signed 0.1, the submission claims 1
        vm.expectRevert();
        vm.prank(tee);
        pool.addProof(jobId, data, signature);
        vm.assertTrue(pool.jobRecords(jobId).status == ITeePool.JobStatus.Submitted, "still open");
    }

    function test_addProof_revertsOnProgramOtherThanPinned() public {
        uint256 jobId = _requestJob(alice, _addFile(alice, "ipfs://a"));
        bytes32 newProgram = keccak256("program v2");
        vm.prank(daoOwner);
        dlp.updateProgram(newProgram, "https://example.org/v2");
        ITeePool.ProofData memory data = _proofData(SCORE_ONE, dlpId);
        data.programDigest = newProgram; // the DataDAO's program now, not the job's
        bytes memory signature = _signProof(TEE_KEY, jobId, data);
        vm.expectRevert(
            abi.encodeWithSelector(ITeePool.TeePoolProofWrongProgram.selector, jobId, newProgram, PROGRAM_DIGEST)
        );
        vm.prank(tee);
        pool.addProof(jobId, data, signature);
    }

    function test_addProof_acceptsPinnedProgramAfterDataDaoChangedIt() public {
        uint256 jobId = _requestJob(alice, _addFile(alice, "ipfs://a"));
        vm.prank(daoOwner);
        dlp.updateProgram(keccak256("program v2"), "https://example.org/v2");
        _prove(jobId, SCORE_ONE); // signed for PROGRAM_DIGEST, pinned to the job
        vm.assertTrue(pool.jobRecords(jobId).status == ITeePool.JobStatus.Completed, "completed");
    }

    function test_addProof_readdedValidatorProvesItsJob() public {
        uint256 jobId = _requestJob(alice, _addFile(alice, "ipfs://a"));
        pool.removeTee(tee);
        _addTee(tee, 1);
        _prove(jobId, SCORE_ONE);
        vm.assertTrue(pool.jobRecords(jobId).status == ITeePool.JobStatus.Completed, "completed");
    }

    function test_addProof_revertsWhenValidatorWasRemoved() public {
        uint256 jobId = _requestJob(alice, _addFile(alice, "ipfs://a"));
        pool.removeTee(tee);
        ITeePool.ProofData memory data = _proofData(SCORE_ONE, dlpId);
        bytes memory signature = _signProof(TEE_KEY, jobId, data);
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolNotActiveTee.selector, tee));
        vm.prank(tee);
        pool.addProof(jobId, data, signature);
    }

    // ---- failure, cancel, claim

    function test_failJob_recordsReason() public {
        uint256 fileId = _addFile(alice, "ipfs://a");
        uint256 jobId = _requestJob(alice, fileId);
        vm.expectEmit(true, true, true, true);
        emit JobFailed(jobId, fileId, tee, "schema: missing field steps");
        vm.prank(tee);
        pool.failJob(jobId, "schema: missing field steps");
        ITeePool.Job memory job = pool.jobRecords(jobId);
        vm.assertTrue(job.status == ITeePool.JobStatus.Failed, "failed");
        vm.assertEq(job.failureReason, "schema: missing field steps", "reason");
        vm.assertEq(pool.claimable(tee), 0, "no fee for a failed job");
    }

    function test_failJob_revertsOnEmptyReasonOrStranger() public {
        uint256 jobId = _requestJob(alice, _addFile(alice, "ipfs://a"));
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolEmptyReason.selector));
        vm.prank(tee);
        pool.failJob(jobId, "");
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolNotAssignedTee.selector, jobId, bob));
        vm.prank(bob);
        pool.failJob(jobId, "x");
    }

    function test_cancelJob_refundsAfterDelay() public {
        vm.warp(10_000);
        uint256 jobId = _requestJob(alice, _addFile(alice, "ipfs://a"));
        vm.warp(10_000 + CANCEL_DELAY);
        vm.prank(alice);
        pool.cancelJob(jobId);
        ITeePool.Job memory job = pool.jobRecords(jobId);
        vm.assertTrue(job.status == ITeePool.JobStatus.Canceled, "canceled");
        vm.assertEq(job.bidAmount, 0, "bid zeroed");
        vm.assertEq(pool.claimable(alice), TEE_FEE, "refund credited");
    }

    function test_cancelJob_revertsBeforeDelay() public {
        vm.warp(10_000);
        uint256 jobId = _requestJob(alice, _addFile(alice, "ipfs://a"));
        vm.warp(10_000 + CANCEL_DELAY - 1);
        vm.expectRevert(
            abi.encodeWithSelector(ITeePool.TeePoolCancelTooEarly.selector, jobId, 10_000 + CANCEL_DELAY)
        );
        vm.prank(alice);
        pool.cancelJob(jobId);
    }

    function test_cancelJob_refundsFailedJobAtOnce() public {
        uint256 jobId = _requestJob(alice, _addFile(alice, "ipfs://a"));
        vm.prank(tee);
        pool.failJob(jobId, "decryption failed");
        vm.prank(alice);
        pool.cancelJob(jobId);
        vm.assertEq(pool.claimable(alice), TEE_FEE, "refund credited");
    }

    function test_cancelJob_revertsForNonPayerAndCompletedJob() public {
        uint256 jobId = _requestJob(alice, _addFile(alice, "ipfs://a"));
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolNotPayer.selector, jobId, bob));
        vm.prank(bob);
        pool.cancelJob(jobId);
        _prove(jobId, SCORE_ONE);
        vm.expectRevert(
            abi.encodeWithSelector(ITeePool.TeePoolJobNotSubmitted.selector, jobId, ITeePool.JobStatus.Completed)
        );
        vm.prank(alice);
        pool.cancelJob(jobId);
    }

    function test_claim_paysAndZeroes() public {
        _prove(_requestJob(alice, _addFile(alice, "ipfs://a")), SCORE_ONE);
        uint256 before = tee.balance;
        vm.prank(tee);
        pool.claim();
        vm.assertEq(tee.balance - before, TEE_FEE, "paid the fee");
        vm.assertEq(pool.claimable(tee), 0, "nothing left");
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolNothingToClaim.selector, tee));
        vm.prank(tee);
        pool.claim();
    }

    function test_claim_revertsAndKeepsBalanceWhenPayoutFails() public {
        RejectsEther payer = new RejectsEther();
        uint256 fileId = payer.addFile(registry, "ipfs://a");
        uint256 jobId = payer.requestJob{value: TEE_FEE}(pool, fileId, dlpId);
        vm.prank(tee);
        pool.failJob(jobId, "bad file");
        payer.cancel(pool, jobId);
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolTransferFailed.selector, address(payer), TEE_FEE));
        payer.claim(pool);
        vm.assertEq(pool.claimable(address(payer)), TEE_FEE, "claim kept");
    }

    // ---- fuzz

    function testFuzz_requestContributionProof_keepsWhateverWasBid(uint256 bid) public {
        bid = _bound(bid, TEE_FEE, 50 ether);
        uint256 fileId = _addFile(alice, "ipfs://a");
        vm.prank(alice);
        uint256 jobId = pool.requestContributionProof{value: bid}(fileId, dlpId);
        vm.assertEq(pool.jobRecords(jobId).bidAmount, bid, "bid");
        _prove(jobId, SCORE_ONE);
        vm.assertEq(pool.claimable(tee), bid, "validator is owed the whole bid");
    }

    function testFuzz_addProof_acceptsEveryScoreInRange(uint256 score) public {
        score = _bound(score, 0, SCORE_ONE);
        uint256 fileId = _addFile(alice, "ipfs://a");
        uint256 proofIndex = _prove(_requestJob(alice, fileId), score);
        vm.assertEq(registry.fileProofRecords(fileId, proofIndex).score, score, "score recorded");
    }

    function testFuzz_jobs_revertsOnAnyUnknownId(uint256 jobId) public {
        _requestJob(alice, _addFile(alice, "ipfs://a"));
        if (jobId == 1) jobId = 2;
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolUnknownJob.selector, jobId));
        pool.jobRecords(jobId);
    }
}
