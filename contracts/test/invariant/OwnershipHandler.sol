// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../utils/Vm.sol";
import {OwnershipRegistry} from "../../src/ownership/OwnershipRegistry.sol";
import {IOwnershipRegistry} from "../../src/interfaces/ownership/IOwnershipRegistry.sol";

/// @notice Drives the ownership registry in random orders for the invariant suite: transfers,
///         licenses (free and priced), payments, withdrawals, revocations, delegations and dismissals
///         over a few bound hashes, each by a
///         random actor (owner, delegate or stranger). It keeps its own record of who owns what,
///         changed only when the caller was the owner or a delegate just before the call, and counts
///         any change the registry let someone else make.
contract OwnershipHandler {
    OwnershipRegistry public immutable own;

    address[] public actors;
    bytes32[] public hashes;
    mapping(bytes32 dataHash => address owner) public expectedOwner;
    /// A transfer, license or delegation that succeeded for a caller who was not allowed: must stay zero.
    uint256 public unauthorisedChanges;
    uint256 public licensesGranted;
    /// What payLicense took and withdrawEarnings sent: the registry must hold exactly the difference.
    uint256 public paidIn;
    uint256 public paidOut;
    /// A license that granted while unpaid, or a bought license that was revoked: must stay zero.
    uint256 public unpaidOrRevokedBought;

    constructor(OwnershipRegistry own_, address[] memory actors_, bytes32[] memory hashes_) {
        own = own_;
        actors = actors_;
        hashes = hashes_;
        for (uint256 i = 0; i < hashes_.length; i++) {
            expectedOwner[hashes_[i]] = own_.ownerOf(hashes_[i]);
        }
    }

    function transfer(uint256 hashSeed, uint256 callerSeed, uint256 toSeed) external {
        bytes32 dataHash = _hash(hashSeed);
        address caller = _actor(callerSeed);
        address to = _actor(toSeed);
        bool allowed = _ownerOrDelegate(dataHash, caller);
        vm.prank(caller);
        try own.transfer(dataHash, to) {
            if (!allowed) unauthorisedChanges++;
            expectedOwner[dataHash] = to;
        } catch {}
    }

    function grantLicense(uint256 hashSeed, uint256 callerSeed, uint256 granteeSeed, uint8 scope, uint64 price)
        external
    {
        bytes32 dataHash = _hash(hashSeed);
        address caller = _actor(callerSeed);
        bool allowed = _ownerOrDelegate(dataHash, caller);
        IOwnershipRegistry.LicenseTerms memory terms = IOwnershipRegistry.LicenseTerms({
            grantee: _actor(granteeSeed),
            termsHash: bytes32(0),
            termsUrl: "",
            scope: uint8(1 + scope % 7),
            expiresAt: 0,
            price: price % 2 == 0 ? 0 : price % 10 ether
        });
        vm.prank(caller);
        try own.grantLicense(dataHash, terms) {
            if (!allowed) unauthorisedChanges++;
            licensesGranted++;
        } catch {}
    }

    function revokeLicense(uint256 licenseSeed, uint256 callerSeed) external {
        if (licensesGranted == 0) return;
        uint256 licenseId = 1 + licenseSeed % licensesGranted;
        address caller = _actor(callerSeed);
        bool allowed = _ownerOrDelegate(own.licenseRecord(licenseId).dataHash, caller);
        bool bought = own.licenseRecord(licenseId).paid && own.licenseRecord(licenseId).terms.price != 0;
        vm.prank(caller);
        try own.revokeLicense(licenseId) {
            if (!allowed) unauthorisedChanges++;
            if (bought) unpaidOrRevokedBought++;
        } catch {}
    }

    function payLicense(uint256 licenseSeed, uint256 payerSeed, bool exact) external {
        if (licensesGranted == 0) return;
        uint256 licenseId = 1 + licenseSeed % licensesGranted;
        uint256 price = own.licenseRecord(licenseId).terms.price;
        uint256 value = exact ? price : price + 1;
        address payer = _actor(payerSeed);
        vm.deal(payer, value);
        vm.prank(payer);
        try own.payLicense{value: value}(licenseId) {
            paidIn += value;
        } catch {}
        if (!own.licenseRecord(licenseId).paid && own.isLicenseActive(licenseId)) unpaidOrRevokedBought++;
    }

    function withdrawEarnings(uint256 callerSeed) external {
        address caller = _actor(callerSeed);
        vm.prank(caller);
        try own.withdrawEarnings() returns (uint256 amount) {
            paidOut += amount;
        } catch {}
    }

    function setTerms(uint256 hashSeed, uint256 callerSeed, bool clear) external {
        bytes32 dataHash = _hash(hashSeed);
        address caller = _actor(callerSeed);
        bool allowed = _ownerOrDelegate(dataHash, caller);
        vm.prank(caller);
        if (clear) {
            try own.clearTerms(dataHash) {
                if (!allowed) unauthorisedChanges++;
            } catch {}
        } else {
            try own.setTerms(dataHash, keccak256(abi.encode(hashSeed)), "https://terms") {
                if (!allowed) unauthorisedChanges++;
            } catch {}
        }
    }

    function delegate(uint256 hashSeed, uint256 callerSeed, uint256 operatorSeed) external {
        bytes32 dataHash = _hash(hashSeed);
        address caller = _actor(callerSeed);
        bool allowed = own.ownerOf(dataHash) == caller;
        vm.prank(caller);
        try own.delegate(dataHash, _actor(operatorSeed)) {
            if (!allowed) unauthorisedChanges++;
        } catch {}
    }

    function undelegate(uint256 hashSeed, uint256 callerSeed, uint256 operatorSeed) external {
        bytes32 dataHash = _hash(hashSeed);
        address caller = _actor(callerSeed);
        bool allowed = own.ownerOf(dataHash) == caller;
        vm.prank(caller);
        try own.undelegate(dataHash, _actor(operatorSeed)) {
            if (!allowed) unauthorisedChanges++;
        } catch {}
    }

    function hashesCount() external view returns (uint256) {
        return hashes.length;
    }

    function actorsCount() external view returns (uint256) {
        return actors.length;
    }

    function _ownerOrDelegate(bytes32 dataHash, address caller) private view returns (bool) {
        return own.ownerOf(dataHash) == caller || own.isDelegate(dataHash, caller);
    }

    function _hash(uint256 seed) private view returns (bytes32) {
        return hashes[seed % hashes.length];
    }

    function _actor(uint256 seed) private view returns (address) {
        return actors[seed % actors.length];
    }
}
