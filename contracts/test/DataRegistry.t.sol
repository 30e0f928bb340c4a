// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {vm} from "./utils/Vm.sol";
import {DataCoopTest} from "./utils/DataCoopTest.sol";
import {DataRegistry} from "../src/DataRegistry.sol";
import {IDataRegistry} from "../src/interfaces/IDataRegistry.sol";

contract DataRegistryTest is DataCoopTest {
    event FileAdded(uint256 indexed fileId, address indexed ownerAddress, string url);
    event FileRecorded(uint256 indexed fileId, address indexed ownerAddress, bytes32 checksum, uint256 schemaId);
    event PermissionGranted(uint256 indexed fileId, address indexed account);
    event PermissionRevoked(uint256 indexed fileId, address indexed account);

    function test_addFile_recordsOwnerUrlChecksumAndBlock() public {
        vm.roll(42);
        vm.expectEmit(true, true, false, true);
        emit FileAdded(1, alice, "ipfs://a");
        vm.expectEmit(true, true, false, true);
        emit FileRecorded(1, alice, bytes32(uint256(7)), 0);
        vm.prank(alice);
        uint256 fileId = registry.addFile("ipfs://a", bytes32(uint256(7)));

        IDataRegistry.FileRecord memory file = registry.fileRecords(fileId);
        vm.assertEq(fileId, 1, "first id is 1");
        vm.assertEq(file.ownerAddress, alice, "owner is the sender");
        vm.assertEq(file.url, "ipfs://a", "url");
        vm.assertEq(file.checksum, bytes32(uint256(7)), "checksum");
        vm.assertEq(file.addedAtBlock, 42, "block");
        vm.assertEq(registry.filesCount(), 1, "count");
        vm.assertEq(registry.fileIdByUrl(alice, "ipfs://a"), 1, "lookup");
    }

    function test_addFile_revertsOnEmptyUrl() public {
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryEmptyUrl.selector));
        vm.prank(alice);
        registry.addFile("", bytes32(uint256(1)));
    }

    function test_addFile_revertsOnEmptyChecksum() public {
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryEmptyChecksum.selector));
        vm.prank(alice);
        registry.addFile("ipfs://a", bytes32(0));
    }

    function test_addFile_revertsWhenOwnerRegistersUrlTwice() public {
        uint256 fileId = _addFile(alice, "ipfs://a");
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryFileAlreadyAdded.selector, fileId));
        vm.prank(alice);
        registry.addFile("ipfs://a", bytes32(uint256(1)));
    }

    function test_fileIdByUrl_isZeroForUnknownUrl() public view {
        vm.assertEq(registry.fileIdByUrl(alice, "ipfs://nothing"), 0, "unknown url");
    }

    function test_files_revertsOnUnknownId() public {
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryUnknownFile.selector, 1));
        registry.fileRecords(1);
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryUnknownFile.selector, 0));
        registry.fileRecords(0);
    }

    function test_addFileWithPermissions_grantsEveryPermission() public {
        IDataRegistry.Permission[] memory permissions = new IDataRegistry.Permission[](2);
        permissions[0] = IDataRegistry.Permission({account: tee, key: hex"aa01"});
        permissions[1] = IDataRegistry.Permission({account: bob, key: hex"bb02"});
        vm.expectEmit(true, true, false, false);
        emit PermissionGranted(1, tee);
        vm.prank(alice);
        uint256 fileId = registry.addFileWithPermissions("ipfs://a", bytes32(uint256(1)), permissions);

        vm.assertEq(registry.filePermissions(fileId, tee), hex"aa01", "tee key");
        vm.assertEq(registry.filePermissions(fileId, bob), hex"bb02", "bob key");
        vm.assertEq(registry.filePermissions(fileId, daoOwner), "", "no key for others");
    }

    function test_addFileWithPermissions_revertsOnInvalidPermission() public {
        IDataRegistry.Permission[] memory permissions = new IDataRegistry.Permission[](1);
        permissions[0] = IDataRegistry.Permission({account: address(0), key: hex"aa"});
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryInvalidPermission.selector, address(0)));
        vm.prank(alice);
        registry.addFileWithPermissions("ipfs://a", bytes32(uint256(1)), permissions);
        vm.assertEq(registry.filesCount(), 0, "nothing registered");
    }

    function test_addFilePermission_rotatesKey() public {
        uint256 fileId = _addFile(alice, "ipfs://a");
        vm.startPrank(alice);
        registry.addFilePermission(fileId, tee, bytes(hex"01"));
        registry.addFilePermission(fileId, tee, bytes(hex"02"));
        vm.stopPrank();
        vm.assertEq(registry.filePermissions(fileId, tee), hex"02", "rotated key");
    }

    function test_addFilePermission_revertsForNonOwner() public {
        uint256 fileId = _addFile(alice, "ipfs://a");
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryNotFileOwner.selector, fileId, bob));
        vm.prank(bob);
        registry.addFilePermission(fileId, bob, bytes(hex"01"));
    }

    function test_addFilePermission_revertsOnEmptyKey() public {
        uint256 fileId = _addFile(alice, "ipfs://a");
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryInvalidPermission.selector, tee));
        vm.prank(alice);
        registry.addFilePermission(fileId, tee, bytes(""));
    }

    function test_addFilePermission_revertsOnUnknownFile() public {
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryUnknownFile.selector, 9));
        vm.prank(alice);
        registry.addFilePermission(9, tee, bytes(hex"01"));
    }

    function test_revokeFilePermission_removesKey() public {
        uint256 fileId = _addFile(alice, "ipfs://a");
        vm.prank(alice);
        registry.addFilePermission(fileId, bob, bytes(hex"01"));
        vm.expectEmit(true, true, false, false);
        emit PermissionRevoked(fileId, bob);
        vm.prank(alice);
        registry.revokeFilePermission(fileId, bob);
        vm.assertEq(registry.filePermissions(fileId, bob), "", "key gone");
    }

    function test_revokeFilePermission_revertsForNonOwner() public {
        uint256 fileId = _addFile(alice, "ipfs://a");
        vm.prank(alice);
        registry.addFilePermission(fileId, bob, bytes(hex"01"));
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryNotFileOwner.selector, fileId, bob));
        vm.prank(bob);
        registry.revokeFilePermission(fileId, bob);
    }

    function test_revokeFilePermission_revertsWhenNothingToRevoke() public {
        uint256 fileId = _addFile(alice, "ipfs://a");
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryNoPermission.selector, fileId, bob));
        vm.prank(alice);
        registry.revokeFilePermission(fileId, bob);
    }

    function test_filePermissions_revertsOnUnknownFile() public {
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryUnknownFile.selector, 3));
        registry.filePermissions(3, bob);
    }

    function test_addProof_recordsProofFromTeePool() public {
        (uint256 fileId, uint256 proofIndex) = _validatedFile(alice, "ipfs://a", SCORE_ONE);
        IDataRegistry.FileProof memory proof = registry.fileProofRecords(fileId, proofIndex);
        vm.assertEq(proofIndex, 1, "first proof is numbered 1, as Vana numbers them");
        vm.assertEq(registry.fileProofsCount(fileId), 1, "one proof");
        vm.assertEq(proof.validator, tee, "validator");
        vm.assertEq(proof.jobId, 1, "job");
        vm.assertEq(proof.score, SCORE_ONE, "score");
        vm.assertEq(proof.dlpId, dlpId, "dlp");
        vm.assertEq(proof.addedAtBlock, block.number, "block recorded by registry");
    }

    function test_fileProofs_revertsOnUnknownIndex() public {
        uint256 fileId = _addFile(alice, "ipfs://a");
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryUnknownProof.selector, fileId, 0));
        registry.fileProofRecords(fileId, 0);
    }

    function test_fileProofsCount_revertsOnUnknownFile() public {
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryUnknownFile.selector, 5));
        registry.fileProofsCount(5);
    }

    function test_setTeePool_revertsWhenAlreadySet() public {
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryTeePoolAlreadySet.selector, address(pool)));
        registry.setTeePool(bob);
    }

    function test_setTeePool_revertsForNonOwnerAndZeroAddress() public {
        DataRegistry fresh = new DataRegistry(address(this));
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryZeroAddress.selector));
        fresh.setTeePool(address(0));
        vm.expectRevert(abi.encodeWithSignature("OwnableUnauthorizedAccount(address)", bob));
        vm.prank(bob);
        fresh.setTeePool(bob);
        fresh.setTeePool(address(pool));
        vm.assertEq(fresh.teePool(), address(pool), "set once");
    }

    function testFuzz_addFile_idsAreSequentialAndOwnedBySender(uint8 count, address owner) public {
        if (owner == address(0)) owner = alice;
        uint256 n = _bound(count, 1, 20);
        for (uint256 i = 0; i < n; i++) {
            vm.prank(owner);
            uint256 fileId = registry.addFile(string.concat("ipfs://", Strings.toString(i)), bytes32(i + 1));
            vm.assertEq(fileId, i + 1, "sequential id");
            vm.assertEq(registry.fileRecords(fileId).ownerAddress, owner, "owner");
        }
        vm.assertEq(registry.filesCount(), n, "count");
    }
}
