// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {DataCoopTest} from "./utils/DataCoopTest.sol";
import {Vm, vm} from "./utils/Vm.sol";
import {DataLiquidityPool} from "../src/DataLiquidityPool.sol";
import {IDataRegistry} from "../src/interfaces/IDataRegistry.sol";
import {ITeePool} from "../src/interfaces/ITeePool.sol";
import {IVanaDataRegistry} from "../src/interfaces/vana/IVanaDataRegistry.sol";
import {IVanaTeePool} from "../src/interfaces/vana/IVanaTeePool.sol";

/// @notice Vana's calls (the ABIs `@opendatalabs/vana-sdk` ships) against DataCoop's contracts: the
///         shapes Vana's clients decode, and DataCoop's rules kept under them.
contract VanaCompatTest is DataCoopTest {
    event FileAdded(uint256 indexed fileId, address indexed ownerAddress, string url);
    event FileRecorded(uint256 indexed fileId, address indexed ownerAddress, bytes32 checksum, uint256 schemaId);
    event PermissionGranted(uint256 indexed fileId, address indexed account);
    event JobSubmitted(uint256 indexed jobId, uint256 indexed fileId, address teeAddress, uint256 bidAmount);
    event RewardRequested(
        address indexed contributorAddress, uint256 indexed fileId, uint256 indexed proofIndex, uint256 rewardAmount
    );

    // What Vana's SDK stores: the eccrypto-wrapped password as hex text.
    string internal constant WRAPPED = "0a1b2c3d4e5f";

    // ---- registration

    function test_addFile_vanaOverload_recordsSenderAsOwnerWithNoChecksum() public {
        vm.roll(42);
        vm.expectEmit(true, true, false, true);
        emit FileAdded(1, alice, "ipfs://v");
        vm.expectEmit(true, true, false, true);
        emit FileRecorded(1, alice, bytes32(0), 0);
        vm.prank(alice);
        uint256 fileId = registry.addFile("ipfs://v");

        IDataRegistry.FileRecord memory record = registry.fileRecords(fileId);
        vm.assertEq(record.ownerAddress, alice, "owner is the sender");
        vm.assertEq(record.checksum, bytes32(0), "Vana's registrations carry no checksum");
        IVanaDataRegistry.VanaFile memory file = registry.files(fileId);
        vm.assertEq(file.id, fileId, "id");
        vm.assertEq(file.ownerAddress, alice, "owner");
        vm.assertEq(file.url, "ipfs://v", "url");
        vm.assertEq(file.schemaId, 0, "no schema");
        vm.assertEq(file.addedAtBlock, 42, "block");
        vm.assertEq(registry.filesCount(), 1, "count");
    }

    function test_addFile_dataCoopOverload_stillRefusesAZeroChecksum() public {
        vm.prank(alice);
        vm.expectRevert(IDataRegistry.DataRegistryEmptyChecksum.selector);
        registry.addFile("ipfs://a", bytes32(0));
    }

    function test_addFileWithSchema_storesAKnownSchema() public {
        uint256 schemaId = _addSchema();
        vm.prank(alice);
        uint256 fileId = registry.addFileWithSchema("ipfs://v", schemaId);
        vm.assertEq(registry.files(fileId).schemaId, schemaId, "Vana's view");
        vm.assertEq(registry.fileRecords(fileId).schemaId, schemaId, "DataCoop's view");
    }

    function test_addFileWithSchema_revertsOnUnknownSchema() public {
        uint256 schemaId = _addSchema();
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryUnknownSchema.selector, schemaId + 1));
        registry.addFileWithSchema("ipfs://v", schemaId + 1);
        vm.assertEq(registry.filesCount(), 0, "nothing registered");
    }

    function test_addFileWithPermissions_storesTheKeyAsSentAndListsTheGrantee() public {
        vm.expectEmit(true, true, false, false);
        emit PermissionGranted(1, tee);
        vm.prank(alice);
        uint256 fileId = registry.addFileWithPermissions("ipfs://v", alice, _permissions(tee));
        vm.assertEq(registry.filePermissions(fileId, tee), bytes(WRAPPED), "the hex text Vana's clients read back");
        vm.assertEq(registry.fileGrantees(fileId).length, 1, "one grantee");
        vm.assertEq(registry.fileGrantees(fileId)[0], tee, "the validator");
    }

    function test_addFileWithPermissions_revertsWhenOwnerIsNotTheSender() public {
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryOwnerNotSender.selector, alice, bob));
        registry.addFileWithPermissions("ipfs://v", alice, _permissions(tee));
        vm.assertEq(registry.filesCount(), 0, "nothing registered");
    }

    function test_addFileWithPermissions_revertsOnAnEmptyKey() public {
        IVanaDataRegistry.VanaPermission[] memory permissions = new IVanaDataRegistry.VanaPermission[](1);
        permissions[0] = IVanaDataRegistry.VanaPermission({account: tee, key: ""});
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryInvalidPermission.selector, tee));
        registry.addFileWithPermissions("ipfs://v", alice, permissions);
    }

    function test_addFileWithPermissionsAndSchema_storesSchemaAndKeys() public {
        uint256 schemaId = _addSchema();
        vm.prank(alice);
        uint256 fileId = registry.addFileWithPermissionsAndSchema("ipfs://v", alice, _permissions(tee), schemaId);
        vm.assertEq(registry.files(fileId).schemaId, schemaId, "schema");
        vm.assertEq(registry.filePermissions(fileId, tee), bytes(WRAPPED), "key");
    }

    function test_addFileWithPermissionsAndSchema_schemaZeroMeansNone() public {
        vm.prank(alice);
        uint256 fileId = registry.addFileWithPermissionsAndSchema("ipfs://v", alice, _permissions(tee), 0);
        vm.assertEq(registry.files(fileId).schemaId, 0, "no schema");
    }

    function test_addFileWithPermissionsAndSchema_revertsOnUnknownSchema() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryUnknownSchema.selector, 1));
        registry.addFileWithPermissionsAndSchema("ipfs://v", alice, _permissions(tee), 1);
    }

    function test_addFileWithPermissionsAndSchema_revertsWhenOwnerIsNotTheSender() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryOwnerNotSender.selector, bob, alice));
        registry.addFileWithPermissionsAndSchema("ipfs://v", bob, _permissions(tee), 0);
    }

    function test_addFilePermission_stringOverload_ownerOnly() public {
        vm.prank(alice);
        uint256 fileId = registry.addFile("ipfs://v");
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryNotFileOwner.selector, fileId, bob));
        registry.addFilePermission(fileId, bob, WRAPPED);
        vm.prank(alice);
        registry.addFilePermission(fileId, tee, WRAPPED);
        vm.assertEq(registry.filePermissions(fileId, tee), bytes(WRAPPED), "shared");
    }

    function test_files_revertsOnUnknownFile() public {
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryUnknownFile.selector, 3));
        registry.files(3);
    }

    // ---- proofs, numbered from 1

    function test_fileProofs_vanaShapeNumberedFromOne() public {
        (uint256 fileId, uint256 proofIndex) = _validatedFile(alice, "ipfs://a", 0.5e18);
        vm.assertEq(proofIndex, 1, "the first proof is 1");
        IVanaDataRegistry.VanaProof memory proof = registry.fileProofs(fileId, 1);
        IDataRegistry.FileProof memory record = registry.fileProofRecords(fileId, 1);
        vm.assertEq(proof.data.score, 0.5e18, "score");
        vm.assertEq(proof.data.dlpId, dlpId, "DataDAO");
        vm.assertEq(proof.data.proofUrl, record.proofUrl, "proof url");
        vm.assertEq(proof.data.metadata, record.metadata, "metadata");
        vm.assertEq(proof.signature, record.signature, "the validator's signature");
    }

    function test_fileProofs_indexZeroIsEmptyAndPastTheLastReverts() public {
        (uint256 fileId,) = _validatedFile(alice, "ipfs://a", SCORE_ONE);
        IVanaDataRegistry.VanaProof memory empty = registry.fileProofs(fileId, 0);
        vm.assertEq(empty.data.dlpId, 0, "index 0 is never a proof");
        vm.assertEq(empty.signature.length, 0, "empty");
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryUnknownProof.selector, fileId, 2));
        registry.fileProofs(fileId, 2);
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryUnknownProof.selector, fileId, 0));
        registry.fileProofRecords(fileId, 0);
    }

    // ---- requestContributionProof(fileId)

    function test_requestContributionProof_bindsToTheDataDaoTheKeyWasSharedWith() public {
        (uint256 otherId, DataLiquidityPool other) = _createDataDao("Other DAO", PROGRAM_DIGEST);
        uint256 fileId = _vanaFile(alice, address(other), tee);
        vm.recordLogs();
        vm.prank(alice);
        uint256 jobId = pool.requestContributionProof{value: TEE_FEE}(fileId);

        ITeePool.Job memory job = pool.jobRecords(jobId);
        vm.assertEq(job.dlpId, otherId, "the DataDAO whose pool holds the key");
        vm.assertEq(job.teeAddress, tee, "the validator holding the key");
        Vm.Log[] memory logs = vm.getRecordedLogs();
        bytes32 submitted = keccak256("JobSubmitted(uint256,uint256,address,uint256)");
        bool found;
        for (uint256 i = 0; i < logs.length; i++) {
            if (logs[i].topics[0] != submitted) continue;
            found = true;
            vm.assertEq(logs[i].topics.length, 3, "the validator is not indexed, as in Vana's event");
            (address teeAddress, uint256 bid) = abi.decode(logs[i].data, (address, uint256));
            vm.assertEq(teeAddress, tee, "validator in the data");
            vm.assertEq(bid, TEE_FEE, "bid");
        }
        vm.assertTrue(found, "JobSubmitted emitted");
    }

    function test_requestContributionProof_assignsTheValidatorHoldingTheKey() public {
        address second = vm.addr(OTHER_TEE_KEY);
        _addTee(second, 2);
        uint256 fileId = _vanaFile(alice, address(dlp), second); // round robin would pick `tee`
        vm.prank(alice);
        uint256 jobId = pool.requestContributionProof{value: TEE_FEE}(fileId);
        vm.assertEq(pool.jobRecords(jobId).teeAddress, second, "the validator that can open the key");
    }

    function test_requestContributionProof_roundRobinWhenNoValidatorHoldsTheKey() public {
        IVanaDataRegistry.VanaPermission[] memory permissions = new IVanaDataRegistry.VanaPermission[](1);
        permissions[0] = IVanaDataRegistry.VanaPermission({account: address(dlp), key: WRAPPED});
        vm.prank(alice);
        uint256 fileId = registry.addFileWithPermissions("ipfs://v", alice, permissions);
        vm.prank(alice);
        uint256 jobId = pool.requestContributionProof{value: TEE_FEE}(fileId);
        vm.assertEq(pool.jobRecords(jobId).dlpId, dlpId, "bound");
        vm.assertEq(pool.jobRecords(jobId).teeAddress, tee, "the next in rotation; the owner shares the key after");
    }

    function test_requestContributionProof_revertsWhenSharedWithNoDataDao() public {
        vm.prank(alice);
        uint256 fileId = registry.addFileWithPermissions("ipfs://v", alice, _permissions(tee));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolNoDataDaoShared.selector, fileId));
        pool.requestContributionProof{value: TEE_FEE}(fileId);
    }

    function test_requestContributionProof_revertsWhenSharedWithTwoDataDaos() public {
        (uint256 otherId, DataLiquidityPool other) = _createDataDao("Other DAO", PROGRAM_DIGEST);
        IVanaDataRegistry.VanaPermission[] memory permissions = new IVanaDataRegistry.VanaPermission[](2);
        permissions[0] = IVanaDataRegistry.VanaPermission({account: address(dlp), key: WRAPPED});
        permissions[1] = IVanaDataRegistry.VanaPermission({account: address(other), key: WRAPPED});
        vm.prank(alice);
        uint256 fileId = registry.addFileWithPermissions("ipfs://v", alice, permissions);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolAmbiguousDataDao.selector, fileId, dlpId, otherId));
        pool.requestContributionProof{value: TEE_FEE}(fileId);
    }

    function test_requestContributionProof_ignoresARevokedDataDaoKey() public {
        (, DataLiquidityPool other) = _createDataDao("Other DAO", PROGRAM_DIGEST);
        IVanaDataRegistry.VanaPermission[] memory permissions = new IVanaDataRegistry.VanaPermission[](2);
        permissions[0] = IVanaDataRegistry.VanaPermission({account: address(dlp), key: WRAPPED});
        permissions[1] = IVanaDataRegistry.VanaPermission({account: address(other), key: WRAPPED});
        vm.startPrank(alice);
        uint256 fileId = registry.addFileWithPermissions("ipfs://v", alice, permissions);
        registry.revokeFilePermission(fileId, address(other));
        uint256 jobId = pool.requestContributionProof{value: TEE_FEE}(fileId);
        vm.stopPrank();
        vm.assertEq(pool.jobRecords(jobId).dlpId, dlpId, "only the DataDAO still holding the key");
    }

    function test_requestContributionProof_revertsForAnotherOwnersFile() public {
        uint256 fileId = _vanaFile(alice, address(dlp), tee);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolNotFileOwner.selector, fileId, bob));
        pool.requestContributionProof{value: TEE_FEE}(fileId);
    }

    function test_requestContributionProof_revertsBelowTheFee() public {
        uint256 fileId = _vanaFile(alice, address(dlp), tee);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolInsufficientFee.selector, TEE_FEE - 1, TEE_FEE));
        pool.requestContributionProof{value: TEE_FEE - 1}(fileId);
    }

    function test_requestContributionProof_revertsOnUnknownFile() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryUnknownFile.selector, 9));
        pool.requestContributionProof{value: TEE_FEE}(9);
    }

    // ---- jobs and tees in Vana's shapes

    function test_jobs_vanaShape() public {
        uint256 fileId = _vanaFile(alice, address(dlp), tee);
        vm.warp(1000);
        vm.prank(alice);
        uint256 jobId = pool.requestContributionProof{value: TEE_FEE}(fileId);
        IVanaTeePool.VanaJob memory job = pool.jobs(jobId);
        vm.assertEq(job.fileId, fileId, "file");
        vm.assertEq(job.bidAmount, TEE_FEE, "bid");
        vm.assertEq(job.status, 1, "submitted");
        vm.assertEq(job.addedTimestamp, 1000, "added");
        vm.assertEq(job.ownerAddress, alice, "the payer");
        vm.assertEq(job.teeAddress, tee, "validator");
    }

    function test_jobs_statusesKeepVanaValuesAndAppendFailed() public {
        uint256 proved = _requestJob(alice, _addFile(alice, "ipfs://a"));
        _prove(proved, SCORE_ONE);
        vm.assertEq(pool.jobs(proved).status, 2, "completed");

        uint256 failed = _requestJob(alice, _addFile(alice, "ipfs://b"));
        vm.prank(tee);
        pool.failJob(failed, "unreadable");
        vm.assertEq(pool.jobs(failed).status, 4, "failed: DataCoop's value after Vana's");

        vm.prank(alice);
        pool.cancelJob(failed);
        vm.assertEq(pool.jobs(failed).status, 3, "canceled, as Vana numbers it");
    }

    function test_jobs_revertsOnUnknownJob() public {
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolUnknownJob.selector, 5));
        pool.jobs(5);
    }

    function test_tees_vanaShapeWithHexKeyAndEarnings() public {
        _validatedFile(alice, "ipfs://a", SCORE_ONE);
        IVanaTeePool.VanaTee memory info = pool.tees(tee);
        vm.assertEq(info.teeAddress, tee, "address");
        vm.assertEq(info.url, "http://127.0.0.1:7000", "url");
        vm.assertEq(info.status, 1, "active");
        vm.assertEq(info.amount, TEE_FEE, "earned");
        vm.assertEq(info.withdrawnAmount, 0, "nothing claimed yet");
        vm.assertEq(info.jobsCount, 1, "jobs");
        vm.assertEq(bytes(info.publicKey), bytes(vm.toString(_secpKey(1))), "the secp256k1 key as 0x-hex");

        vm.prank(tee);
        pool.claim();
        vm.assertEq(pool.tees(tee).withdrawnAmount, TEE_FEE, "claimed");
    }

    function test_tees_unknownIsAllZero() public view {
        IVanaTeePool.VanaTee memory info = pool.tees(bob);
        vm.assertEq(info.status, 0, "none");
        vm.assertEq(bytes(info.publicKey).length, 0, "no key");
    }

    // ---- the whole flow, Vana's calls only, with a zero checksum

    function test_vanaFlow_registerPayProveAndReward() public {
        uint256 fileId = _vanaFile(alice, address(dlp), tee);
        vm.prank(alice);
        uint256 jobId = pool.requestContributionProof{value: TEE_FEE}(fileId);
        uint256 proofIndex = _prove(jobId, 0.8e18); // signed over the registry's zero checksum
        vm.assertEq(proofIndex, 1, "numbered from 1");

        vm.expectEmit(true, true, true, true);
        emit RewardRequested(alice, fileId, 1, 80e18);
        vm.prank(bob); // anyone may ask; the owner is paid
        dlp.requestReward(fileId, 1);
        vm.assertEq(token.balanceOf(alice), 80e18, "the owner is paid");
    }

    function test_requestReward_revertsOnProofIndexZero() public {
        (uint256 fileId,) = _validatedFile(alice, "ipfs://a", SCORE_ONE);
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryUnknownProof.selector, fileId, 0));
        dlp.requestReward(fileId, 0);
    }

    function _permissions(address account) internal pure returns (IVanaDataRegistry.VanaPermission[] memory list) {
        list = new IVanaDataRegistry.VanaPermission[](1);
        list[0] = IVanaDataRegistry.VanaPermission({account: account, key: WRAPPED});
    }

    /// @dev A file registered the way Vana's SDK does: its key granted to a DataDAO's pool and to a validator.
    function _vanaFile(address owner, address dataDaoPool, address validator) internal returns (uint256 fileId) {
        IVanaDataRegistry.VanaPermission[] memory permissions = new IVanaDataRegistry.VanaPermission[](2);
        permissions[0] = IVanaDataRegistry.VanaPermission({account: dataDaoPool, key: WRAPPED});
        permissions[1] = IVanaDataRegistry.VanaPermission({account: validator, key: WRAPPED});
        vm.prank(owner);
        fileId = registry.addFileWithPermissions("ipfs://v", owner, permissions);
    }
}
