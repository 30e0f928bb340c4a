// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../utils/Vm.sol";
import {DataCoopTest} from "../utils/DataCoopTest.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {OwnershipRegistry} from "../../src/ownership/OwnershipRegistry.sol";
import {IOwnershipRegistry} from "../../src/interfaces/ownership/IOwnershipRegistry.sol";

/// @notice The ownership registry: a hash is bound only on an active validator's signature over
///         exactly what is bound, once; only its owner (or a delegate, where allowed) changes it; a
///         revoked or expired license stops granting.
contract OwnershipRegistryTest is DataCoopTest {
    bytes32 internal constant DATA_HASH = keccak256("hmac of alice's file");
    bytes32 internal constant TERMS_HASH = keccak256("terms v1");
    uint8 internal constant QUERY = 1;
    uint8 internal constant COMPUTE = 2;
    uint8 internal constant TRAINING = 4;

    OwnershipRegistry internal own;
    address internal carol = vm.addr(0xCA401);
    address internal mallory = vm.addr(0xBAD);
    address internal operator = vm.addr(0x0E7);
    uint256 internal fileId;
    uint64 internal boundAt;

    function setUp() public override {
        super.setUp();
        own = deployment.ownershipRegistry;
        fileId = _addFile(alice, "ipfs://alice");
        boundAt = uint64(block.timestamp);
    }

    // =============================================================== binding

    function test_bind_recordsTheOwnerOnAValidatorsSignature() public {
        vm.expectEmit(true, true, true, true, address(own));
        emit IOwnershipRegistry.DataBound(DATA_HASH, alice, fileId, tee, boundAt);
        _bind(DATA_HASH, alice, fileId);

        vm.assertEq(own.ownerOf(DATA_HASH), alice, "owner");
        vm.assertEq(own.hashOfFile(fileId), DATA_HASH, "the file's hash");
        IOwnershipRegistry.Binding memory binding = own.bindingOf(DATA_HASH);
        vm.assertEq(binding.owner, alice, "binding owner");
        vm.assertEq(binding.fileId, fileId, "binding file");
        vm.assertEq(binding.boundAt, boundAt, "binding time");
        vm.assertEq(binding.validator, tee, "binding validator");
    }

    function test_bind_canBeSentByAnyoneHoldingTheSignature() public {
        bytes memory signature = _signBinding(TEE_KEY, DATA_HASH, alice, fileId, boundAt);
        vm.prank(mallory);
        own.bind(DATA_HASH, alice, fileId, boundAt, signature);
        vm.assertEq(own.ownerOf(DATA_HASH), alice, "the signature decides the owner, not the sender");
    }

    function test_bind_refusesAnUnregisteredKey() public {
        uint256 strangerKey = 0x5742;
        bytes memory signature = _signBinding(strangerKey, DATA_HASH, alice, fileId, boundAt);
        vm.expectRevert(
            abi.encodeWithSelector(IOwnershipRegistry.OwnershipSignerNotValidator.selector, vm.addr(strangerKey))
        );
        own.bind(DATA_HASH, alice, fileId, boundAt, signature);
    }

    function test_bind_refusesARemovedValidator() public {
        pool.removeTee(tee);
        bytes memory signature = _signBinding(TEE_KEY, DATA_HASH, alice, fileId, boundAt);
        vm.expectRevert(abi.encodeWithSelector(IOwnershipRegistry.OwnershipSignerNotValidator.selector, tee));
        own.bind(DATA_HASH, alice, fileId, boundAt, signature);
    }

    function test_bind_refusesASignatureForAnotherOwner() public {
        bytes memory signature = _signBinding(TEE_KEY, DATA_HASH, alice, fileId, boundAt);
        // Recovered from another digest, the signer is some unregistered address.
        _expectNotValidator(DATA_HASH, mallory, fileId, boundAt, signature);
        own.bind(DATA_HASH, mallory, fileId, boundAt, signature);
    }

    function test_bind_refusesASignatureForAnotherFile() public {
        uint256 otherFile = _addFile(alice, "ipfs://alice-2");
        bytes memory signature = _signBinding(TEE_KEY, DATA_HASH, alice, fileId, boundAt);
        _expectNotValidator(DATA_HASH, alice, otherFile, boundAt, signature);
        own.bind(DATA_HASH, alice, otherFile, boundAt, signature);
    }

    function test_bind_refusesASignatureForAnotherTime() public {
        bytes memory signature = _signBinding(TEE_KEY, DATA_HASH, alice, fileId, boundAt);
        _expectNotValidator(DATA_HASH, alice, fileId, boundAt - 1, signature);
        own.bind(DATA_HASH, alice, fileId, boundAt - 1, signature);
    }

    function test_bind_refusesASignatureForAnotherHash() public {
        bytes memory signature = _signBinding(TEE_KEY, DATA_HASH, alice, fileId, boundAt);
        _expectNotValidator(keccak256("another"), alice, fileId, boundAt, signature);
        own.bind(keccak256("another"), alice, fileId, boundAt, signature);
    }

    function test_bind_refusesAReplay() public {
        bytes memory signature = _signBinding(TEE_KEY, DATA_HASH, alice, fileId, boundAt);
        own.bind(DATA_HASH, alice, fileId, boundAt, signature);
        vm.expectRevert(abi.encodeWithSelector(IOwnershipRegistry.OwnershipAlreadyBound.selector, DATA_HASH, alice));
        own.bind(DATA_HASH, alice, fileId, boundAt, signature);
    }

    function test_bind_refusesASecondBindingOfTheSameHash() public {
        _bind(DATA_HASH, alice, fileId);
        uint256 bobsFile = _addFile(bob, "ipfs://bob");
        bytes memory signature = _signBinding(TEE_KEY, DATA_HASH, bob, bobsFile, boundAt);
        vm.expectRevert(abi.encodeWithSelector(IOwnershipRegistry.OwnershipAlreadyBound.selector, DATA_HASH, alice));
        own.bind(DATA_HASH, bob, bobsFile, boundAt, signature);
    }

    function test_bind_refusesASecondHashForTheSameFile() public {
        _bind(DATA_HASH, alice, fileId);
        bytes32 other = keccak256("other");
        bytes memory signature = _signBinding(TEE_KEY, other, alice, fileId, boundAt);
        vm.expectRevert(
            abi.encodeWithSelector(IOwnershipRegistry.OwnershipFileAlreadyBound.selector, fileId, DATA_HASH)
        );
        own.bind(other, alice, fileId, boundAt, signature);
    }

    function test_bind_refusesAnOwnerTheRegistryDoesNotRecord() public {
        // Even a validator's signature cannot give alice's file to bob.
        bytes memory signature = _signBinding(TEE_KEY, DATA_HASH, bob, fileId, boundAt);
        vm.expectRevert(
            abi.encodeWithSelector(IOwnershipRegistry.OwnershipNotFileOwner.selector, fileId, bob, alice)
        );
        own.bind(DATA_HASH, bob, fileId, boundAt, signature);
    }

    function test_bind_refusesATimeFarInTheFuture() public {
        uint64 future = uint64(block.timestamp + own.MAX_CLOCK_SKEW() + 1);
        bytes memory signature = _signBinding(TEE_KEY, DATA_HASH, alice, fileId, future);
        vm.expectRevert(
            abi.encodeWithSelector(IOwnershipRegistry.OwnershipBindingInFuture.selector, future, block.timestamp)
        );
        own.bind(DATA_HASH, alice, fileId, future, signature);
    }

    function test_bind_refusesZeroHashAndZeroOwner() public {
        vm.expectRevert(IOwnershipRegistry.OwnershipZeroHash.selector);
        own.bind(bytes32(0), alice, fileId, boundAt, "");
        vm.expectRevert(IOwnershipRegistry.OwnershipZeroAddress.selector);
        own.bind(DATA_HASH, address(0), fileId, boundAt, "");
    }

    // =============================================================== transfer

    function test_transfer_byTheOwnerMovesOwnership() public {
        _bind(DATA_HASH, alice, fileId);
        vm.expectEmit(true, true, true, true, address(own));
        emit IOwnershipRegistry.DataTransferred(DATA_HASH, alice, bob, alice);
        vm.prank(alice);
        own.transfer(DATA_HASH, bob);
        vm.assertEq(own.ownerOf(DATA_HASH), bob, "new owner");
        vm.assertEq(own.bindingOf(DATA_HASH).fileId, fileId, "still the same file");
    }

    function test_transfer_byADelegate() public {
        _bindAndDelegate();
        vm.prank(operator);
        own.transfer(DATA_HASH, bob);
        vm.assertEq(own.ownerOf(DATA_HASH), bob, "moved by the delegate");
    }

    function test_transfer_dismissesTheOldOwnersDelegates() public {
        _bindAndDelegate();
        vm.prank(alice);
        own.transfer(DATA_HASH, bob);
        vm.assertEq(own.delegatesOf(DATA_HASH).length, 0, "bob appoints his own");
        vm.assertFalse(own.isDelegate(DATA_HASH, operator), "alice's delegate no longer acts");
        vm.expectRevert(
            abi.encodeWithSelector(IOwnershipRegistry.OwnershipNotOwnerOrDelegate.selector, DATA_HASH, operator)
        );
        vm.prank(operator);
        own.transfer(DATA_HASH, operator);
    }

    function test_transfer_byAStrangerIsRefused() public {
        _bind(DATA_HASH, alice, fileId);
        vm.expectRevert(
            abi.encodeWithSelector(IOwnershipRegistry.OwnershipNotOwnerOrDelegate.selector, DATA_HASH, mallory)
        );
        vm.prank(mallory);
        own.transfer(DATA_HASH, mallory);
    }

    function test_transfer_byARevokedDelegateIsRefused() public {
        _bindAndDelegate();
        vm.prank(alice);
        own.undelegate(DATA_HASH, operator);
        vm.expectRevert(
            abi.encodeWithSelector(IOwnershipRegistry.OwnershipNotOwnerOrDelegate.selector, DATA_HASH, operator)
        );
        vm.prank(operator);
        own.transfer(DATA_HASH, operator);
    }

    function test_transfer_ofAnUnknownHashIsRefused() public {
        vm.expectRevert(abi.encodeWithSelector(IOwnershipRegistry.OwnershipUnknownHash.selector, DATA_HASH));
        vm.prank(alice);
        own.transfer(DATA_HASH, bob);
    }

    function test_transfer_toZeroOrToTheOwnerIsRefused() public {
        _bind(DATA_HASH, alice, fileId);
        vm.startPrank(alice);
        vm.expectRevert(IOwnershipRegistry.OwnershipZeroAddress.selector);
        own.transfer(DATA_HASH, address(0));
        vm.expectRevert(abi.encodeWithSelector(IOwnershipRegistry.OwnershipAlreadyOwner.selector, DATA_HASH, alice));
        own.transfer(DATA_HASH, alice);
        vm.stopPrank();
    }

    function test_transfer_theOldOwnerCanNoLongerAct() public {
        _bind(DATA_HASH, alice, fileId);
        vm.prank(alice);
        own.transfer(DATA_HASH, bob);
        vm.expectRevert(
            abi.encodeWithSelector(IOwnershipRegistry.OwnershipNotOwnerOrDelegate.selector, DATA_HASH, alice)
        );
        vm.prank(alice);
        own.grantLicense(DATA_HASH, _terms(carol, QUERY, 0));
    }

    // =============================================================== licenses

    function test_license_grantsUntilRevoked() public {
        _bind(DATA_HASH, alice, fileId);
        IOwnershipRegistry.LicenseTerms memory terms = _terms(carol, QUERY | COMPUTE, uint64(block.timestamp + 1 days));
        vm.expectEmit(true, true, true, true, address(own));
        emit IOwnershipRegistry.LicenseGranted(
            DATA_HASH, 1, carol, QUERY | COMPUTE, terms.expiresAt, 0, TERMS_HASH, "https://terms/1", alice
        );
        vm.prank(alice);
        uint256 licenseId = own.grantLicense(DATA_HASH, terms);
        vm.assertEq(licenseId, 1, "ids count from 1");
        vm.assertEq(own.licensesCount(), 1, "counted");
        vm.assertTrue(own.isLicenseActive(licenseId), "active");
        vm.assertTrue(own.hasActiveLicense(DATA_HASH, carol, QUERY), "query granted");
        vm.assertTrue(own.hasActiveLicense(DATA_HASH, carol, QUERY | COMPUTE), "both granted");
        vm.assertFalse(own.hasActiveLicense(DATA_HASH, carol, TRAINING), "training not granted");
        vm.assertFalse(own.hasActiveLicense(DATA_HASH, bob, QUERY), "nobody else");

        IOwnershipRegistry.License[] memory licenses = own.licensesOf(DATA_HASH);
        vm.assertEq(licenses.length, 1, "one license");
        vm.assertEq(licenses[0].terms.grantee, carol, "grantee");
        vm.assertEq(licenses[0].terms.termsUrl, "https://terms/1", "terms url");
        vm.assertEq(licenses[0].terms.price, 0, "price");
        vm.assertTrue(licenses[0].paid, "a free license is paid from its grant");
        vm.assertEq(licenses[0].grantedBy, alice, "granted by");

        vm.expectEmit(true, true, true, true, address(own));
        emit IOwnershipRegistry.LicenseRevoked(DATA_HASH, licenseId, alice);
        vm.prank(alice);
        own.revokeLicense(licenseId);
        vm.assertFalse(own.isLicenseActive(licenseId), "revoked");
        vm.assertFalse(own.hasActiveLicense(DATA_HASH, carol, QUERY), "a revoked license grants nothing");
        vm.assertTrue(own.licenseRecord(licenseId).revoked, "recorded as revoked");
    }

    function test_license_expires() public {
        _bind(DATA_HASH, alice, fileId);
        uint64 expiresAt = uint64(block.timestamp + 1 hours);
        vm.prank(alice);
        uint256 licenseId = own.grantLicense(DATA_HASH, _terms(carol, QUERY, expiresAt));
        vm.warp(expiresAt - 1);
        vm.assertTrue(own.hasActiveLicense(DATA_HASH, carol, QUERY), "before expiry");
        vm.warp(expiresAt);
        vm.assertFalse(own.isLicenseActive(licenseId), "expired");
        vm.assertFalse(own.hasActiveLicense(DATA_HASH, carol, QUERY), "an expired license grants nothing");
    }

    function test_license_withoutExpiryLasts() public {
        _bind(DATA_HASH, alice, fileId);
        vm.prank(alice);
        own.grantLicense(DATA_HASH, _terms(carol, TRAINING, 0));
        vm.warp(block.timestamp + 3650 days);
        vm.assertTrue(own.hasActiveLicense(DATA_HASH, carol, TRAINING), "0: never expires");
    }

    function test_license_survivesATransferUntilTheNewOwnerRevokesIt() public {
        _bind(DATA_HASH, alice, fileId);
        vm.prank(alice);
        uint256 licenseId = own.grantLicense(DATA_HASH, _terms(carol, QUERY, 0));
        vm.prank(alice);
        own.transfer(DATA_HASH, bob);
        vm.assertTrue(own.hasActiveLicense(DATA_HASH, carol, QUERY), "still granted");
        vm.expectRevert(
            abi.encodeWithSelector(IOwnershipRegistry.OwnershipNotOwnerOrDelegate.selector, DATA_HASH, alice)
        );
        vm.prank(alice);
        own.revokeLicense(licenseId);
        vm.prank(bob);
        own.revokeLicense(licenseId);
        vm.assertFalse(own.hasActiveLicense(DATA_HASH, carol, QUERY), "revoked by the new owner");
    }

    function test_license_byADelegate() public {
        _bindAndDelegate();
        vm.prank(operator);
        uint256 licenseId = own.grantLicense(DATA_HASH, _terms(carol, QUERY, 0));
        vm.assertEq(own.licenseRecord(licenseId).grantedBy, operator, "granted by the delegate");
        vm.prank(operator);
        own.revokeLicense(licenseId);
        vm.assertFalse(own.isLicenseActive(licenseId), "revoked by the delegate");
    }

    function test_license_byAStrangerIsRefused() public {
        _bind(DATA_HASH, alice, fileId);
        vm.expectRevert(
            abi.encodeWithSelector(IOwnershipRegistry.OwnershipNotOwnerOrDelegate.selector, DATA_HASH, mallory)
        );
        vm.prank(mallory);
        own.grantLicense(DATA_HASH, _terms(mallory, QUERY, 0));
    }

    function test_license_byARevokedDelegateIsRefused() public {
        _bindAndDelegate();
        vm.prank(operator);
        uint256 licenseId = own.grantLicense(DATA_HASH, _terms(carol, QUERY, 0));
        vm.prank(alice);
        own.undelegate(DATA_HASH, operator);
        vm.startPrank(operator);
        vm.expectRevert(
            abi.encodeWithSelector(IOwnershipRegistry.OwnershipNotOwnerOrDelegate.selector, DATA_HASH, operator)
        );
        own.grantLicense(DATA_HASH, _terms(carol, QUERY, 0));
        vm.expectRevert(
            abi.encodeWithSelector(IOwnershipRegistry.OwnershipNotOwnerOrDelegate.selector, DATA_HASH, operator)
        );
        own.revokeLicense(licenseId);
        vm.stopPrank();
    }

    function test_revoke_byAStrangerIsRefused() public {
        _bind(DATA_HASH, alice, fileId);
        vm.prank(alice);
        uint256 licenseId = own.grantLicense(DATA_HASH, _terms(carol, QUERY, 0));
        vm.expectRevert(
            abi.encodeWithSelector(IOwnershipRegistry.OwnershipNotOwnerOrDelegate.selector, DATA_HASH, carol)
        );
        vm.prank(carol);
        own.revokeLicense(licenseId);
    }

    function test_revoke_twiceOrUnknownIsRefused() public {
        _bind(DATA_HASH, alice, fileId);
        vm.startPrank(alice);
        uint256 licenseId = own.grantLicense(DATA_HASH, _terms(carol, QUERY, 0));
        own.revokeLicense(licenseId);
        vm.expectRevert(abi.encodeWithSelector(IOwnershipRegistry.OwnershipLicenseAlreadyRevoked.selector, licenseId));
        own.revokeLicense(licenseId);
        vm.expectRevert(abi.encodeWithSelector(IOwnershipRegistry.OwnershipUnknownLicense.selector, 2));
        own.revokeLicense(2);
        vm.expectRevert(abi.encodeWithSelector(IOwnershipRegistry.OwnershipUnknownLicense.selector, 0));
        own.revokeLicense(0);
        vm.stopPrank();
    }

    function test_license_refusesBadTerms() public {
        _bind(DATA_HASH, alice, fileId);
        vm.startPrank(alice);
        vm.expectRevert(IOwnershipRegistry.OwnershipZeroAddress.selector);
        own.grantLicense(DATA_HASH, _terms(address(0), QUERY, 0));
        vm.expectRevert(abi.encodeWithSelector(IOwnershipRegistry.OwnershipInvalidScope.selector, 0));
        own.grantLicense(DATA_HASH, _terms(carol, 0, 0));
        vm.expectRevert(abi.encodeWithSelector(IOwnershipRegistry.OwnershipInvalidScope.selector, 8));
        own.grantLicense(DATA_HASH, _terms(carol, 8, 0));
        vm.expectRevert(
            abi.encodeWithSelector(
                IOwnershipRegistry.OwnershipExpiryInPast.selector, uint64(block.timestamp), block.timestamp
            )
        );
        own.grantLicense(DATA_HASH, _terms(carol, QUERY, uint64(block.timestamp)));
        vm.expectRevert(abi.encodeWithSelector(IOwnershipRegistry.OwnershipUnknownHash.selector, bytes32(uint256(1))));
        own.grantLicense(bytes32(uint256(1)), _terms(carol, QUERY, 0));
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(IOwnershipRegistry.OwnershipInvalidScope.selector, 0));
        own.hasActiveLicense(DATA_HASH, carol, 0);
    }

    // =============================================================== delegates

    function test_delegate_isListedUntilUndelegated() public {
        _bind(DATA_HASH, alice, fileId);
        vm.expectEmit(true, true, true, true, address(own));
        emit IOwnershipRegistry.DelegateAdded(DATA_HASH, alice, operator);
        vm.prank(alice);
        own.delegate(DATA_HASH, operator);
        vm.assertTrue(own.isDelegate(DATA_HASH, operator), "delegate");
        vm.assertEq(own.delegatesOf(DATA_HASH).length, 1, "listed");
        vm.assertEq(own.delegatesOf(DATA_HASH)[0], operator, "listed by address");

        vm.expectEmit(true, true, true, true, address(own));
        emit IOwnershipRegistry.DelegateRemoved(DATA_HASH, alice, operator);
        vm.prank(alice);
        own.undelegate(DATA_HASH, operator);
        vm.assertFalse(own.isDelegate(DATA_HASH, operator), "dismissed");
        vm.assertEq(own.delegatesOf(DATA_HASH).length, 0, "no longer listed");
    }

    function test_delegate_onlyByTheOwner() public {
        _bindAndDelegate();
        // A delegate manages licenses and may transfer, but appoints and dismisses nobody.
        vm.startPrank(operator);
        vm.expectRevert(abi.encodeWithSelector(IOwnershipRegistry.OwnershipNotOwner.selector, DATA_HASH, operator));
        own.delegate(DATA_HASH, mallory);
        vm.expectRevert(abi.encodeWithSelector(IOwnershipRegistry.OwnershipNotOwner.selector, DATA_HASH, operator));
        own.undelegate(DATA_HASH, operator);
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(IOwnershipRegistry.OwnershipNotOwner.selector, DATA_HASH, mallory));
        vm.prank(mallory);
        own.delegate(DATA_HASH, mallory);
    }

    function test_delegate_refusesBadOperators() public {
        _bindAndDelegate();
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(IOwnershipRegistry.OwnershipAlreadyDelegate.selector, DATA_HASH, operator));
        own.delegate(DATA_HASH, operator);
        vm.expectRevert(abi.encodeWithSelector(IOwnershipRegistry.OwnershipDelegateIsOwner.selector, DATA_HASH, alice));
        own.delegate(DATA_HASH, alice);
        vm.expectRevert(IOwnershipRegistry.OwnershipZeroAddress.selector);
        own.delegate(DATA_HASH, address(0));
        vm.expectRevert(abi.encodeWithSelector(IOwnershipRegistry.OwnershipNotDelegate.selector, DATA_HASH, mallory));
        own.undelegate(DATA_HASH, mallory);
        vm.stopPrank();
    }

    // =============================================================== fuzz

    function testFuzz_bind_onlyTheSignedTupleBinds(bytes32 dataHash, uint64 time, uint256 signerKey) public {
        if (dataHash == bytes32(0)) dataHash = DATA_HASH;
        time = uint64(_bound(time, 0, block.timestamp));
        signerKey = _bound(signerKey, 1, 2 ** 128);
        bytes memory signature = _signBinding(signerKey, dataHash, alice, fileId, time);
        if (vm.addr(signerKey) != tee) {
            vm.expectRevert(
                abi.encodeWithSelector(IOwnershipRegistry.OwnershipSignerNotValidator.selector, vm.addr(signerKey))
            );
            own.bind(dataHash, alice, fileId, time, signature);
            vm.assertEq(own.ownerOf(dataHash), address(0), "nothing bound");
            return;
        }
        own.bind(dataHash, alice, fileId, time, signature);
        vm.assertEq(own.ownerOf(dataHash), alice, "bound");
    }

    function testFuzz_strangersChangeNothing(address stranger, uint8 scope) public {
        if (stranger == alice || stranger == operator) stranger = mallory;
        scope = uint8(_bound(scope, 1, 7));
        _bindAndDelegate();
        vm.startPrank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IOwnershipRegistry.OwnershipNotOwnerOrDelegate.selector, DATA_HASH, stranger)
        );
        own.transfer(DATA_HASH, stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IOwnershipRegistry.OwnershipNotOwnerOrDelegate.selector, DATA_HASH, stranger)
        );
        own.grantLicense(DATA_HASH, _terms(stranger, scope, 0));
        vm.expectRevert(abi.encodeWithSelector(IOwnershipRegistry.OwnershipNotOwner.selector, DATA_HASH, stranger));
        own.delegate(DATA_HASH, stranger);
        vm.stopPrank();
        vm.assertEq(own.ownerOf(DATA_HASH), alice, "still alice's");
        vm.assertFalse(own.hasActiveLicense(DATA_HASH, stranger, scope), "no license");
    }

    function testFuzz_license_grantsExactlyItsScopeUntilExpiry(uint8 granted, uint8 asked, uint32 lifetime, uint32 later)
        public
    {
        granted = uint8(_bound(granted, 1, 7));
        asked = uint8(_bound(asked, 1, 7));
        lifetime = uint32(_bound(lifetime, 1, 365 days));
        _bind(DATA_HASH, alice, fileId);
        uint64 expiresAt = uint64(block.timestamp + lifetime);
        vm.prank(alice);
        own.grantLicense(DATA_HASH, _terms(carol, granted, expiresAt));
        vm.warp(block.timestamp + later);
        bool expected = granted & asked == asked && block.timestamp < expiresAt;
        vm.assertEq(own.hasActiveLicense(DATA_HASH, carol, asked), expected, "scope and expiry decide");
    }

    // =============================================================== paid licenses

    function test_payLicense_aPricedLicenseGrantsOnlyOncePaidAndCreditsTheOwner() public {
        uint256 licenseId = _offer();
        vm.assertFalse(own.licenseRecord(licenseId).paid, "an offer");
        vm.assertFalse(own.isLicenseActive(licenseId), "grants nothing unpaid");
        vm.assertFalse(own.hasActiveLicense(DATA_HASH, carol, QUERY), "not licensed unpaid");

        vm.deal(carol, 2 ether);
        vm.expectEmit(true, true, true, true, address(own));
        emit IOwnershipRegistry.LicensePaid(DATA_HASH, licenseId, carol, alice, 1 ether);
        vm.prank(carol);
        own.payLicense{value: 1 ether}(licenseId);

        vm.assertTrue(own.licenseRecord(licenseId).paid, "paid");
        vm.assertTrue(own.hasActiveLicense(DATA_HASH, carol, QUERY), "licensed once paid");
        vm.assertEq(own.earningsOf(alice), 1 ether, "credited to the owner");
        vm.assertEq(address(own).balance, 1 ether, "held until withdrawn");
        vm.assertEq(carol.balance, 1 ether, "exactly the price taken");
    }

    function test_payLicense_refusesAnyOtherAmount() public {
        uint256 licenseId = _offer();
        vm.deal(carol, 3 ether);
        vm.startPrank(carol);
        vm.expectRevert(
            abi.encodeWithSelector(IOwnershipRegistry.OwnershipWrongPayment.selector, licenseId, 1 ether, 0.5 ether)
        );
        own.payLicense{value: 0.5 ether}(licenseId);
        vm.expectRevert(
            abi.encodeWithSelector(IOwnershipRegistry.OwnershipWrongPayment.selector, licenseId, 1 ether, 2 ether)
        );
        own.payLicense{value: 2 ether}(licenseId);
        vm.stopPrank();
        vm.assertFalse(own.isLicenseActive(licenseId), "still unpaid");
        vm.assertEq(carol.balance, 3 ether, "nothing taken");
    }

    function test_payLicense_refusesAFreeOrAlreadyPaidLicense() public {
        uint256 licenseId = _offer();
        vm.prank(alice);
        uint256 free = own.grantLicense(DATA_HASH, _terms(carol, QUERY, 0));
        vm.deal(carol, 2 ether);
        vm.startPrank(carol);
        vm.expectRevert(abi.encodeWithSelector(IOwnershipRegistry.OwnershipLicenseAlreadyPaid.selector, free));
        own.payLicense(free);
        own.payLicense{value: 1 ether}(licenseId);
        vm.expectRevert(abi.encodeWithSelector(IOwnershipRegistry.OwnershipLicenseAlreadyPaid.selector, licenseId));
        own.payLicense{value: 1 ether}(licenseId);
        vm.expectRevert(abi.encodeWithSelector(IOwnershipRegistry.OwnershipUnknownLicense.selector, 99));
        own.payLicense{value: 1 ether}(99);
        vm.stopPrank();
        vm.assertEq(own.earningsOf(alice), 1 ether, "paid once");
    }

    function test_payLicense_refusesARevokedOrExpiredOffer() public {
        uint256 revoked = _offer();
        vm.prank(alice);
        own.revokeLicense(revoked);
        uint64 expiresAt = uint64(block.timestamp + 1 hours);
        vm.prank(alice);
        uint256 expiring = own.grantLicense(DATA_HASH, _pricedTerms(carol, QUERY, expiresAt, 1 ether));
        vm.warp(expiresAt);
        vm.deal(carol, 2 ether);
        vm.startPrank(carol);
        vm.expectRevert(abi.encodeWithSelector(IOwnershipRegistry.OwnershipLicenseNotPayable.selector, revoked));
        own.payLicense{value: 1 ether}(revoked);
        vm.expectRevert(abi.encodeWithSelector(IOwnershipRegistry.OwnershipLicenseNotPayable.selector, expiring));
        own.payLicense{value: 1 ether}(expiring);
        vm.stopPrank();
        vm.assertEq(carol.balance, 2 ether, "nothing taken");
    }

    function test_payLicense_aSponsorMayPayAndTheOwnerAtPaymentIsCredited() public {
        uint256 licenseId = _offer();
        vm.prank(alice);
        own.transfer(DATA_HASH, bob);
        vm.deal(mallory, 1 ether);
        vm.expectEmit(true, true, true, true, address(own));
        emit IOwnershipRegistry.LicensePaid(DATA_HASH, licenseId, mallory, bob, 1 ether);
        vm.prank(mallory);
        own.payLicense{value: 1 ether}(licenseId);
        vm.assertTrue(own.hasActiveLicense(DATA_HASH, carol, QUERY), "the grantee is licensed, not the payer");
        vm.assertFalse(own.hasActiveLicense(DATA_HASH, mallory, QUERY), "paying licenses nobody else");
        vm.assertEq(own.earningsOf(bob), 1 ether, "the owner when paid");
        vm.assertEq(own.earningsOf(alice), 0, "not the owner who offered it");
    }

    function test_revokeLicense_aBoughtLicenseStandsButAnOfferMayBeWithdrawn() public {
        uint256 offer = _offer();
        vm.prank(alice);
        uint256 bought = own.grantLicense(DATA_HASH, _pricedTerms(carol, COMPUTE, 0, 1 ether));
        vm.deal(carol, 1 ether);
        vm.prank(carol);
        own.payLicense{value: 1 ether}(bought);
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(IOwnershipRegistry.OwnershipLicenseBought.selector, bought));
        own.revokeLicense(bought);
        own.revokeLicense(offer);
        vm.stopPrank();
        vm.assertTrue(own.isLicenseActive(bought), "bought: stands");
        vm.assertTrue(own.licenseRecord(offer).revoked, "an unpaid offer is withdrawn");
    }

    function test_withdrawEarnings_sendsExactlyWhatWasCreditedOnce() public {
        uint256 licenseId = _offer();
        vm.deal(carol, 1 ether);
        vm.prank(carol);
        own.payLicense{value: 1 ether}(licenseId);
        uint256 before = alice.balance;
        vm.expectEmit(true, true, true, true, address(own));
        emit IOwnershipRegistry.EarningsWithdrawn(alice, 1 ether);
        vm.prank(alice);
        vm.assertEq(own.withdrawEarnings(), 1 ether, "returned");
        vm.assertEq(alice.balance - before, 1 ether, "sent");
        vm.assertEq(own.earningsOf(alice), 0, "nothing left");
        vm.assertEq(address(own).balance, 0, "nothing held");
        vm.expectRevert(abi.encodeWithSelector(IOwnershipRegistry.OwnershipNothingToWithdraw.selector, alice));
        vm.prank(alice);
        own.withdrawEarnings();
        vm.expectRevert(abi.encodeWithSelector(IOwnershipRegistry.OwnershipNothingToWithdraw.selector, mallory));
        vm.prank(mallory);
        own.withdrawEarnings();
    }

    function test_withdrawEarnings_aReenteringOwnerGetsItsEarningsOnceOrNothing() public {
        ReenteringOwner thief = new ReenteringOwner(own);
        uint256 thiefFile = _addFile(address(thief), "ipfs://thief");
        bytes32 thiefHash = keccak256("thief's data");
        _bind(thiefHash, address(thief), thiefFile);
        vm.prank(address(thief));
        uint256 licenseId = own.grantLicense(thiefHash, _pricedTerms(carol, QUERY, 0, 1 ether));
        vm.deal(carol, 1 ether);
        vm.prank(carol);
        own.payLicense{value: 1 ether}(licenseId);
        // Alice's earnings sit in the same contract: a re-entered withdrawal must not reach them.
        uint256 aliceLicense = _offer();
        vm.deal(bob, 1 ether);
        vm.prank(bob);
        own.payLicense{value: 1 ether}(aliceLicense);

        vm.expectRevert(
            abi.encodeWithSelector(IOwnershipRegistry.OwnershipWithdrawalFailed.selector, address(thief), 1 ether)
        );
        thief.withdraw();
        vm.assertEq(own.earningsOf(address(thief)), 1 ether, "kept for a later withdrawal");
        vm.assertEq(address(own).balance, 2 ether, "nothing left the registry");
    }

    function testFuzz_payLicense_onlyTheExactPriceLicenses(uint96 price, uint96 sent) public {
        price = uint96(_bound(price, 1, type(uint96).max));
        _bind(DATA_HASH, alice, fileId);
        vm.prank(alice);
        uint256 licenseId = own.grantLicense(DATA_HASH, _pricedTerms(carol, QUERY, 0, price));
        vm.deal(carol, sent);
        if (sent != price) {
            vm.expectRevert(
                abi.encodeWithSelector(IOwnershipRegistry.OwnershipWrongPayment.selector, licenseId, price, sent)
            );
        }
        vm.prank(carol);
        own.payLicense{value: sent}(licenseId);
        vm.assertEq(own.hasActiveLicense(DATA_HASH, carol, QUERY), sent == price, "licensed exactly when paid in full");
        vm.assertEq(own.earningsOf(alice), sent == price ? price : 0, "credited exactly the price");
    }

    // =============================================================== terms

    function test_setTerms_recordsThemUntilCleared() public {
        _bind(DATA_HASH, alice, fileId);
        vm.assertEq(own.termsOf(DATA_HASH).setAt, 0, "no terms before any are set");
        vm.expectEmit(true, true, true, true, address(own));
        emit IOwnershipRegistry.TermsSet(DATA_HASH, TERMS_HASH, "https://terms/1", alice);
        vm.prank(alice);
        own.setTerms(DATA_HASH, TERMS_HASH, "https://terms/1");
        IOwnershipRegistry.Terms memory terms = own.termsOf(DATA_HASH);
        vm.assertEq(terms.termsHash, TERMS_HASH, "terms hash");
        vm.assertEq(terms.termsUrl, "https://terms/1", "terms url");
        vm.assertEq(terms.setAt, block.timestamp, "set at");
        vm.assertEq(terms.setBy, alice, "set by");

        vm.expectEmit(true, true, true, true, address(own));
        emit IOwnershipRegistry.TermsCleared(DATA_HASH, alice);
        vm.prank(alice);
        own.clearTerms(DATA_HASH);
        terms = own.termsOf(DATA_HASH);
        vm.assertEq(terms.setAt, 0, "cleared");
        vm.assertEq(terms.termsHash, bytes32(0), "hash cleared");
        vm.assertEq(terms.termsUrl, "", "url cleared");
    }

    function test_setTerms_replacesEarlierTerms() public {
        _bind(DATA_HASH, alice, fileId);
        vm.startPrank(alice);
        own.setTerms(DATA_HASH, TERMS_HASH, "https://terms/1");
        own.setTerms(DATA_HASH, keccak256("terms v2"), "https://terms/2");
        vm.stopPrank();
        vm.assertEq(own.termsOf(DATA_HASH).termsHash, keccak256("terms v2"), "the latest terms");
        vm.assertEq(own.termsOf(DATA_HASH).termsUrl, "https://terms/2", "the latest url");
    }

    function test_setTerms_byADelegate() public {
        _bindAndDelegate();
        vm.prank(operator);
        own.setTerms(DATA_HASH, TERMS_HASH, "https://terms/1");
        vm.assertEq(own.termsOf(DATA_HASH).setBy, operator, "set by the delegate");
        vm.prank(operator);
        own.clearTerms(DATA_HASH);
        vm.assertEq(own.termsOf(DATA_HASH).setAt, 0, "cleared by the delegate");
    }

    function test_setTerms_byAStrangerOrARevokedDelegateIsRefused() public {
        _bindAndDelegate();
        vm.prank(alice);
        own.undelegate(DATA_HASH, operator);
        vm.expectRevert(
            abi.encodeWithSelector(IOwnershipRegistry.OwnershipNotOwnerOrDelegate.selector, DATA_HASH, mallory)
        );
        vm.prank(mallory);
        own.setTerms(DATA_HASH, TERMS_HASH, "https://terms/1");
        vm.expectRevert(
            abi.encodeWithSelector(IOwnershipRegistry.OwnershipNotOwnerOrDelegate.selector, DATA_HASH, operator)
        );
        vm.prank(operator);
        own.setTerms(DATA_HASH, TERMS_HASH, "https://terms/1");
        vm.assertEq(own.termsOf(DATA_HASH).setAt, 0, "no terms set");
    }

    function test_clearTerms_byAStrangerIsRefused() public {
        _bind(DATA_HASH, alice, fileId);
        vm.prank(alice);
        own.setTerms(DATA_HASH, TERMS_HASH, "https://terms/1");
        vm.expectRevert(
            abi.encodeWithSelector(IOwnershipRegistry.OwnershipNotOwnerOrDelegate.selector, DATA_HASH, mallory)
        );
        vm.prank(mallory);
        own.clearTerms(DATA_HASH);
        vm.assertEq(own.termsOf(DATA_HASH).termsHash, TERMS_HASH, "terms kept");
    }

    function test_setTerms_theOldOwnerCanNoLongerChangeThem() public {
        _bind(DATA_HASH, alice, fileId);
        vm.startPrank(alice);
        own.setTerms(DATA_HASH, TERMS_HASH, "https://terms/1");
        own.transfer(DATA_HASH, bob);
        vm.expectRevert(
            abi.encodeWithSelector(IOwnershipRegistry.OwnershipNotOwnerOrDelegate.selector, DATA_HASH, alice)
        );
        own.clearTerms(DATA_HASH);
        vm.stopPrank();
        vm.assertEq(own.termsOf(DATA_HASH).termsHash, TERMS_HASH, "terms go with the data");
        vm.prank(bob);
        own.clearTerms(DATA_HASH);
    }

    function test_setTerms_refusesEmptyTermsAndUnknownHashes() public {
        _bind(DATA_HASH, alice, fileId);
        vm.startPrank(alice);
        vm.expectRevert(IOwnershipRegistry.OwnershipEmptyTerms.selector);
        own.setTerms(DATA_HASH, bytes32(0), "https://terms/1");
        vm.expectRevert(IOwnershipRegistry.OwnershipEmptyTerms.selector);
        own.setTerms(DATA_HASH, TERMS_HASH, "");
        vm.expectRevert(abi.encodeWithSelector(IOwnershipRegistry.OwnershipNoTerms.selector, DATA_HASH));
        own.clearTerms(DATA_HASH);
        bytes32 unknown = keccak256("never bound");
        vm.expectRevert(abi.encodeWithSelector(IOwnershipRegistry.OwnershipUnknownHash.selector, unknown));
        own.setTerms(unknown, TERMS_HASH, "https://terms/1");
        vm.stopPrank();
    }

    function testFuzz_setTerms_onlyOwnerOrDelegate(address caller, bytes32 termsHash, string calldata termsUrl) public {
        _bindAndDelegate();
        bool allowed = caller == alice || caller == operator;
        bool valid = termsHash != bytes32(0) && bytes(termsUrl).length > 0;
        if (!allowed) {
            vm.expectRevert(
                abi.encodeWithSelector(IOwnershipRegistry.OwnershipNotOwnerOrDelegate.selector, DATA_HASH, caller)
            );
        } else if (!valid) {
            vm.expectRevert(IOwnershipRegistry.OwnershipEmptyTerms.selector);
        }
        vm.prank(caller);
        own.setTerms(DATA_HASH, termsHash, termsUrl);
        vm.assertEq(own.termsOf(DATA_HASH).setAt != 0, allowed && valid, "set only by the owner or a delegate");
    }

    // =============================================================== helpers

    function _bind(bytes32 dataHash, address owner, uint256 forFile) internal {
        own.bind(dataHash, owner, forFile, boundAt, _signBinding(TEE_KEY, dataHash, owner, forFile, boundAt));
    }

    function _bindAndDelegate() internal {
        _bind(DATA_HASH, alice, fileId);
        vm.prank(alice);
        own.delegate(DATA_HASH, operator);
    }

    function _signBinding(uint256 key, bytes32 dataHash, address owner, uint256 forFile, uint64 time)
        internal
        view
        returns (bytes memory)
    {
        return _sign(key, own.bindingDigest(dataHash, owner, forFile, time));
    }

    /// @dev A signature over another tuple recovers to some unregistered address: the refusal names it.
    function _expectNotValidator(bytes32 dataHash, address owner, uint256 forFile, uint64 time, bytes memory signature)
        internal
    {
        address recovered = ECDSA.recover(own.bindingDigest(dataHash, owner, forFile, time), signature);
        vm.expectRevert(abi.encodeWithSelector(IOwnershipRegistry.OwnershipSignerNotValidator.selector, recovered));
    }

    function _terms(address grantee, uint8 scope, uint64 expiresAt)
        internal
        pure
        returns (IOwnershipRegistry.LicenseTerms memory)
    {
        return IOwnershipRegistry.LicenseTerms({
            grantee: grantee,
            termsHash: TERMS_HASH,
            termsUrl: "https://terms/1",
            scope: scope,
            expiresAt: expiresAt,
            price: 0
        });
    }

    function _pricedTerms(address grantee, uint8 scope, uint64 expiresAt, uint256 price)
        internal
        pure
        returns (IOwnershipRegistry.LicenseTerms memory terms)
    {
        terms = _terms(grantee, scope, expiresAt);
        terms.price = price;
    }

    /// @dev Alice's data bound, and a 1-ether query license offered to carol.
    function _offer() internal returns (uint256 licenseId) {
        _bind(DATA_HASH, alice, fileId);
        vm.prank(alice);
        licenseId = own.grantLicense(DATA_HASH, _pricedTerms(carol, QUERY, 0, 1 ether));
    }
}

/// @notice An owner whose receive() tries to withdraw again: the guard makes its payout fail whole.
contract ReenteringOwner {
    OwnershipRegistry internal immutable own;

    constructor(OwnershipRegistry own_) {
        own = own_;
    }

    function withdraw() external {
        own.withdrawEarnings();
    }

    receive() external payable {
        own.withdrawEarnings();
    }
}
