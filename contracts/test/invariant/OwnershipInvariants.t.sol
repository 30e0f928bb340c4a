// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../utils/Vm.sol";
import {DataCoopTest} from "../utils/DataCoopTest.sol";
import {OwnershipHandler} from "./OwnershipHandler.sol";
import {OwnershipRegistry} from "../../src/ownership/OwnershipRegistry.sol";

/// @notice Whatever transfers, licenses, payments and delegations happen, by whomever, in whatever
///         order: every bound hash has exactly one owner, the one that only its owners and their
///         delegates moved it to, and stays bound to its one file; every wei paid for a license is held
///         for an owner until withdrawn.
contract OwnershipInvariantsTest is DataCoopTest {
    OwnershipHandler internal handler;
    OwnershipRegistry internal own;
    uint256[] internal fileIds;

    function setUp() public override {
        super.setUp();
        own = deployment.ownershipRegistry;
        address[] memory actors = new address[](4);
        for (uint256 i = 0; i < actors.length; i++) {
            actors[i] = vm.addr(0x0A0 + i);
        }
        bytes32[] memory hashes = new bytes32[](3);
        for (uint256 i = 0; i < hashes.length; i++) {
            hashes[i] = keccak256(abi.encode("hash", i));
            uint256 fileId = _addFile(actors[i], string.concat("ipfs://file-", vm.toString(abi.encode(i))));
            fileIds.push(fileId);
            uint64 boundAt = uint64(block.timestamp);
            own.bind(
                hashes[i], actors[i], fileId, boundAt, _sign(TEE_KEY, own.bindingDigest(hashes[i], actors[i], fileId, boundAt))
            );
        }
        handler = new OwnershipHandler(own, actors, hashes);
    }

    /// @dev forge fuzzes only the handler.
    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function invariant_eachBoundHashHasExactlyTheOwnerItsOwnersMovedItTo() public view {
        for (uint256 i = 0; i < handler.hashesCount(); i++) {
            bytes32 dataHash = handler.hashes(i);
            address owner = own.ownerOf(dataHash);
            vm.assertTrue(owner != address(0), "a bound hash always has an owner");
            vm.assertEq(owner, handler.expectedOwner(dataHash), "only its owner or a delegate moved it");
            vm.assertEq(own.bindingOf(dataHash).owner, owner, "one owner, whichever read");
            vm.assertEq(own.hashOfFile(fileIds[i]), dataHash, "bound to its one file for good");
        }
    }

    function invariant_licensePaymentsAreHeldUntilWithdrawnAndNeverLost() public view {
        uint256 credited;
        for (uint256 i = 0; i < handler.actorsCount(); i++) {
            credited += own.earningsOf(handler.actors(i));
        }
        vm.assertEq(address(own).balance, handler.paidIn() - handler.paidOut(), "holds what was paid in, less paid out");
        vm.assertEq(credited, address(own).balance, "every wei held is someone's to withdraw");
    }

    function invariant_onlyPaidLicensesGrantAndBoughtOnesStand() public view {
        vm.assertEq(handler.unpaidOrRevokedBought(), 0, "no unpaid license granted, no bought one revoked");
    }

    function invariant_nobodyElseChangedAnything() public view {
        vm.assertEq(handler.unauthorisedChanges(), 0, "no change by a stranger or a dismissed delegate");
    }
}
