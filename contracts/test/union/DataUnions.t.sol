// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../utils/Vm.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {UnionTest} from "./UnionTest.sol";
import {IOperatorTemplates} from "../../src/interfaces/union/IOperatorTemplates.sol";
import {IDataUnions} from "../../src/interfaces/union/IDataUnions.sol";

/// @notice DataToken's lifecycle (tests/test.py): DT1 permits add {arg1: 1, arg2: free}, DT2 {arg1: free,
///         arg2: 2}; union CDT3 binds DT1 {1, 3} and DT2 {free, 2}; every owner consents; CDT4 and CDT5 fill
///         DT2's arg1 with 1 and 4. Then what DataToken cannot refuse: unfulfilled terms, activation without
///         consent, a revoked consent or changed terms deactivating everything built on the leaf.
contract DataUnionsTest is UnionTest {
    uint256 internal dt1;
    uint256 internal dt2;

    function setUp() public override {
        super.setUp();
        dt1 = _leaf(alice);
        dt2 = _leaf(bob);
        _setTerms(dt1, _pair(_fixed(1), _free()), 1 ether);
        _setTerms(dt2, _pair(_free(), _fixed(2)), 2 ether);
    }

    function _cdt3() internal returns (uint256 id) {
        vm.prank(carol);
        id = unions.createUnion(addTemplate, _ids(dt1, dt2), _quad(_fixed(1), _fixed(3), _free(), _fixed(2)), 0.5 ether);
    }

    function _algorithm(uint256 over, uint256 arg1) internal returns (uint256 id) {
        vm.prank(carol);
        id = unions.createAlgorithm(addTemplate, over, _quad(_fixed(1), _fixed(3), _fixed(arg1), _fixed(2)), 0);
    }

    /// @dev An algorithm asset over `over` filling DT2's arg1 with `arg1`, consented by `over`'s owner and activated.
    function _activeAlgorithm(uint256 over, uint256 arg1) internal returns (uint256 id) {
        id = _algorithm(over, arg1);
        _consentAll(id);
        vm.prank(carol);
        unions.activate(id);
    }

    function _activeCdt3() internal returns (uint256 id) {
        id = _cdt3();
        _consentAll(id);
        vm.prank(carol);
        unions.activate(id);
    }

    // =============================================================== templates

    function test_registerTemplate_recordsItForGood() public {
        string[] memory names = _names2();
        vm.expectEmit(true, true, true, true, address(templates));
        emit IOperatorTemplates.TemplateRegistered(2, IOperatorTemplates.Kind.QUERY, ADD_DIGEST, "sum", names, bob);
        vm.prank(bob);
        uint256 id = templates.registerTemplate(IOperatorTemplates.Kind.QUERY, ADD_DIGEST, "sum", names);
        IOperatorTemplates.Template memory t = templates.template(id);
        vm.assertEq(t.registeredBy, bob, "registered by");
        vm.assertEq(t.params.length, 2, "params");
        vm.assertEq(t.params[1], "arg2", "second param");
        vm.assertEq(templates.templatesCount(), 2, "count");
    }

    function test_registerTemplate_refusesMalformedOnes() public {
        string[] memory names = _names2();
        vm.expectRevert(IOperatorTemplates.OperatorTemplatesZeroDigest.selector);
        templates.registerTemplate(IOperatorTemplates.Kind.ALGORITHM, bytes32(0), "x", names);
        vm.expectRevert(IOperatorTemplates.OperatorTemplatesEmptyName.selector);
        templates.registerTemplate(IOperatorTemplates.Kind.ALGORITHM, ADD_DIGEST, "", names);
        vm.expectRevert(abi.encodeWithSelector(IOperatorTemplates.OperatorTemplatesParamCount.selector, 0, 16));
        templates.registerTemplate(IOperatorTemplates.Kind.ALGORITHM, ADD_DIGEST, "x", new string[](0));
        string[] memory many = new string[](17);
        for (uint256 i = 0; i < many.length; i++) {
            many[i] = Strings.toString(i);
        }
        vm.expectRevert(abi.encodeWithSelector(IOperatorTemplates.OperatorTemplatesParamCount.selector, 17, 16));
        templates.registerTemplate(IOperatorTemplates.Kind.ALGORITHM, ADD_DIGEST, "x", many);
        names[1] = "arg1";
        vm.expectRevert(abi.encodeWithSelector(IOperatorTemplates.OperatorTemplatesBadParam.selector, 1, "arg1"));
        templates.registerTemplate(IOperatorTemplates.Kind.ALGORITHM, ADD_DIGEST, "x", names);
        names[1] = "";
        vm.expectRevert(abi.encodeWithSelector(IOperatorTemplates.OperatorTemplatesBadParam.selector, 1, ""));
        templates.registerTemplate(IOperatorTemplates.Kind.ALGORITHM, ADD_DIGEST, "x", names);
        vm.expectRevert(abi.encodeWithSelector(IOperatorTemplates.OperatorTemplatesUnknownTemplate.selector, 9));
        templates.template(9);
    }

    // =============================================================== leaves and terms

    function test_registerFileLeaf_byTheOwnerOrADelegateOnceOnly() public {
        bytes32 dataHash = unions.asset(dt1).dataHash;
        vm.assertEq(unions.leafOfFile(dataHash), dt1, "leaf of the file");
        vm.assertEq(unions.ownerOf(dt1), alice, "owner from the ownership registry");
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsLeafExists.selector, dt1));
        vm.prank(alice);
        unions.registerFileLeaf(dataHash);
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsUnboundHash.selector, keccak256("never bound")));
        unions.registerFileLeaf(keccak256("never bound"));
    }

    function test_registerFileLeaf_refusesAStranger() public {
        bytes32 fresh = keccak256("fresh");
        uint256 fileId = _addFile(alice, "ipfs://fresh");
        deployment.ownershipRegistry.bind(
            fresh, alice, fileId, uint64(block.timestamp),
            _sign(TEE_KEY, deployment.ownershipRegistry.bindingDigest(fresh, alice, fileId, uint64(block.timestamp)))
        );
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsNotAssetOwner.selector, 0, mallory));
        vm.prank(mallory);
        unions.registerFileLeaf(fresh);
        vm.prank(alice);
        deployment.ownershipRegistry.delegate(fresh, carol);
        vm.prank(carol);
        uint256 leafId = unions.registerFileLeaf(fresh);
        vm.assertEq(unions.ownerOf(leafId), alice, "a delegate registers the owner's leaf");
    }

    function test_registerTableLeaf_byTheDataDaosOwner() public {
        uint256 refinerId = _addRefiner(dlpId, _addSchema());
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsNotAssetOwner.selector, 0, mallory));
        vm.prank(mallory);
        unions.registerTableLeaf(refinerId, "daily_steps");
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsUnknownRefiner.selector, refinerId + 1));
        vm.prank(daoOwner);
        unions.registerTableLeaf(refinerId + 1, "daily_steps");
        vm.expectRevert(IDataUnions.DataUnionsEmptyTable.selector);
        vm.prank(daoOwner);
        unions.registerTableLeaf(refinerId, "");

        vm.prank(daoOwner);
        uint256 leafId = unions.registerTableLeaf(refinerId, "daily_steps");
        vm.assertEq(unions.ownerOf(leafId), daoOwner, "the DataDAO's owner owns its table");
        vm.assertEq(unions.leafOfTable(refinerId, "daily_steps"), leafId, "leaf of the table");
        vm.assertEq(unions.asset(leafId).table, "daily_steps", "table");
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsLeafExists.selector, leafId));
        vm.prank(daoOwner);
        unions.registerTableLeaf(refinerId, "daily_steps");
    }

    function test_setTerms_recordsThemWithTheirHash() public view {
        IDataUnions.Terms memory terms = unions.termsOf(dt1, addTemplate);
        vm.assertEq(terms.price, 1 ether, "price");
        vm.assertEq(terms.setBy, alice, "set by");
        vm.assertEq(uint8(terms.constraints[0].kind), uint8(IDataUnions.ConstraintKind.FIXED), "arg1 fixed");
        vm.assertEq(terms.constraints[0].values[0], 1, "arg1 = 1");
        vm.assertEq(uint8(terms.constraints[1].kind), uint8(IDataUnions.ConstraintKind.FREE), "arg2 free");
        vm.assertTrue(terms.termsHash != bytes32(0), "hashed");
        vm.assertEq(unions.templatesOf(dt1).length, 1, "one template listed");
    }

    function test_setTerms_refusesStrangersAndMalformedConstraints() public {
        IDataUnions.Constraint[] memory ok = _pair(_fixed(1), _free());
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsNotAssetOwner.selector, dt1, mallory));
        vm.prank(mallory);
        unions.setTerms(dt1, addTemplate, ok, 0);
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsConstraintCount.selector, 1, 2));
        unions.setTerms(dt1, addTemplate, new IDataUnions.Constraint[](1), 0);
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsBadConstraint.selector, 1));
        unions.setTerms(dt1, addTemplate, _pair(_fixed(1), _range(5, 4)), 0);
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsBadConstraint.selector, 0));
        unions.setTerms(dt1, addTemplate, _pair(_set(_values(1, 3, 3, 4)), _free()), 0);
        IDataUnions.Constraint memory freeWithValue = _fixed(1);
        freeWithValue.kind = IDataUnions.ConstraintKind.FREE;
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsBadConstraint.selector, 0));
        unions.setTerms(dt1, addTemplate, _pair(freeWithValue, _free()), 0);
        vm.expectRevert(abi.encodeWithSelector(IOperatorTemplates.OperatorTemplatesUnknownTemplate.selector, 7));
        unions.setTerms(dt1, 7, ok, 0);
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsUnknownAsset.selector, 99));
        unions.setTerms(99, addTemplate, ok, 0);
        vm.stopPrank();
        uint256 cdt3 = _cdt3();
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsNotLeaf.selector, cdt3));
        vm.prank(carol);
        unions.setTerms(cdt3, addTemplate, ok, 0);
    }

    function test_clearTerms_stopsPermittingTheTemplate() public {
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsNotAssetOwner.selector, dt1, mallory));
        vm.prank(mallory);
        unions.clearTerms(dt1, addTemplate);
        vm.prank(alice);
        unions.clearTerms(dt1, addTemplate);
        vm.assertEq(unions.termsOf(dt1, addTemplate).setAt, 0, "cleared");
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsNoTerms.selector, dt1, addTemplate));
        vm.prank(alice);
        unions.clearTerms(dt1, addTemplate);
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsNoTerms.selector, dt1, addTemplate));
        _cdt3();
    }

    // =============================================================== the DataToken lifecycle

    function test_lifecycle_unionConsentsActivationAndTwoAlgorithmAssets() public {
        uint256 cdt3 = _cdt3();
        vm.assertFalse(unions.isActive(cdt3), "inactive before consents");

        vm.expectEmit(true, true, true, true, address(unions));
        emit IDataUnions.ConsentGranted(cdt3, dt1, 0, unions.termsOf(dt1, addTemplate).termsHash, alice);
        vm.prank(alice);
        unions.consent(cdt3, 0);
        vm.prank(bob);
        unions.consent(cdt3, 1);
        vm.expectEmit(true, true, true, true, address(unions));
        emit IDataUnions.UnionActivated(cdt3, carol);
        vm.prank(carol);
        unions.activate(cdt3);
        vm.assertTrue(unions.isActive(cdt3), "active");

        uint256 cdt4 = _activeAlgorithm(cdt3, 1);
        uint256 cdt5 = _activeAlgorithm(cdt3, 4);
        vm.assertTrue(unions.isActive(cdt4) && unions.isActive(cdt5), "both algorithm assets active");

        (bytes32 termsHash, uint256 price) = unions.authorize(cdt4, addTemplate, _values(1, 3, 1, 2));
        vm.assertEq(termsHash, unions.asset(cdt4).termsHash, "the algorithm asset's terms");
        vm.assertEq(price, 3.5 ether, "the leaves' prices and the union's");
        unions.authorize(cdt5, addTemplate, _values(1, 3, 4, 2));
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsValueRefused.selector, 2, 4));
        unions.authorize(cdt4, addTemplate, _values(1, 3, 4, 2));
        unions.authorize(cdt3, addTemplate, _values(1, 3, 99, 2));
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsValueRefused.selector, 1, 2));
        unions.authorize(cdt3, addTemplate, _values(1, 2, 99, 2));
    }

    function test_createUnion_refusesTermsThatDoNotFulfilAChilds() public {
        vm.startPrank(carol);
        // DT1 fixes arg1 at 1
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsTermsNotFulfilled.selector, dt1, 0, 0));
        unions.createUnion(addTemplate, _ids(dt1, dt2), _quad(_fixed(2), _fixed(3), _free(), _fixed(2)), 0);
        // a free value cannot stand for DT2's fixed arg2
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsTermsNotFulfilled.selector, dt2, 0, 1));
        unions.createUnion(addTemplate, _ids(dt1, dt2), _quad(_fixed(1), _fixed(3), _free(), _free()), 0);
        // a range wider than the fixed value
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsTermsNotFulfilled.selector, dt1, 0, 0));
        unions.createUnion(addTemplate, _ids(dt1, dt2), _quad(_range(1, 2), _fixed(3), _free(), _fixed(2)), 0);
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsConstraintCount.selector, 2, 4));
        unions.createUnion(addTemplate, _ids(dt1, dt2), _pair(_fixed(1), _fixed(3)), 0);
        vm.stopPrank();
        uint256 cdt3 = _cdt3();
        // an algorithm asset over CDT3 must keep DT2's arg2 at 2
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsTermsNotFulfilled.selector, cdt3, 1, 1));
        vm.prank(carol);
        unions.createAlgorithm(addTemplate, cdt3, _quad(_fixed(1), _fixed(3), _fixed(1), _fixed(5)), 0);
    }

    function test_createAlgorithm_leavesNothingFree() public {
        uint256 cdt3 = _cdt3();
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsNotFixed.selector, 2));
        vm.prank(carol);
        unions.createAlgorithm(addTemplate, cdt3, _quad(_fixed(1), _fixed(3), _free(), _fixed(2)), 0);
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsNotFixed.selector, 2));
        vm.prank(carol);
        unions.createAlgorithm(addTemplate, cdt3, _quad(_fixed(1), _fixed(3), _range(1, 4), _fixed(2)), 0);
    }

    function test_activate_refusedWithoutEveryConsent() public {
        uint256 cdt3 = _cdt3();
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsMissingConsent.selector, cdt3, 0));
        vm.prank(carol);
        unions.activate(cdt3);
        vm.prank(alice);
        unions.consent(cdt3, 0);
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsMissingConsent.selector, cdt3, 1));
        vm.prank(carol);
        unions.activate(cdt3);
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsNotActive.selector, cdt3));
        unions.authorize(cdt3, addTemplate, _values(1, 3, 1, 2));
    }

    function test_activate_refusedWhileAChildUnionIsInactive() public {
        uint256 cdt3 = _cdt3();
        _consentAll(cdt3);
        uint256 cdt4 = _algorithm(cdt3, 1);
        _consentAll(cdt4);
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsChildInactive.selector, cdt4, cdt3));
        vm.prank(carol);
        unions.activate(cdt4);
    }

    function test_revokeConsent_deactivatesTheUnionAndEverythingOnIt() public {
        uint256 cdt3 = _activeCdt3();
        uint256 cdt4 = _activeAlgorithm(cdt3, 1);
        uint256 cdt5 = _activeAlgorithm(cdt3, 4);

        vm.expectEmit(true, true, true, true, address(unions));
        emit IDataUnions.ConsentRevoked(cdt3, dt1, 0, alice);
        vm.prank(alice);
        unions.revokeConsent(cdt3, 0);
        vm.assertFalse(unions.isActive(cdt3), "CDT3 inactive");
        vm.assertFalse(unions.isActive(cdt4), "CDT4 inactive");
        vm.assertFalse(unions.isActive(cdt5), "CDT5 inactive");
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsNotActive.selector, cdt4));
        unions.authorize(cdt4, addTemplate, _values(1, 3, 1, 2));

        vm.prank(alice);
        unions.consent(cdt3, 0);
        vm.assertTrue(unions.isActive(cdt5), "a fresh consent restores them");
    }

    function test_setTerms_afterConsentDeactivatesUntilConsentedAgain() public {
        uint256 cdt3 = _activeCdt3();
        uint256 cdt4 = _activeAlgorithm(cdt3, 1);

        _setTerms(dt2, _pair(_free(), _fixed(2)), 3 ether); // same constraints, dearer
        vm.assertFalse(unions.isActive(cdt3), "CDT3 stopped by DT2's new terms");
        vm.assertFalse(unions.isActive(cdt4), "and CDT4 with it");
        vm.prank(bob);
        unions.consent(cdt3, 1);
        vm.assertTrue(unions.isActive(cdt4), "consented again");
        (, uint256 price) = unions.authorize(cdt4, addTemplate, _values(1, 3, 1, 2));
        vm.assertEq(price, 4.5 ether, "at the new price");

        _setTerms(dt2, _pair(_free(), _fixed(7)), 2 ether); // terms the union no longer fulfils
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsTermsNotFulfilled.selector, dt2, 0, 1));
        vm.prank(bob);
        unions.consent(cdt3, 1);
        vm.prank(bob);
        unions.clearTerms(dt2, addTemplate);
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsNoTerms.selector, dt2, addTemplate));
        vm.prank(bob);
        unions.consent(cdt3, 1);
    }

    function test_setTerms_theSameTermsClearedAndSetAgainNeedAFreshConsent() public {
        uint256 cdt3 = _activeCdt3();
        vm.prank(bob);
        unions.clearTerms(dt2, addTemplate);
        vm.assertFalse(unions.isActive(cdt3), "cleared: stopped");
        _setTerms(dt2, _pair(_free(), _fixed(2)), 2 ether); // exactly the terms Bob consented to before
        vm.assertFalse(unions.isActive(cdt3), "an old consent does not come back to life");
        vm.prank(bob);
        unions.consent(cdt3, 1);
        vm.assertTrue(unions.isActive(cdt3), "consented to the new setting");
    }

    // =============================================================== hostile callers and shapes

    function test_consent_refusesStrangersRepeatsAndUnknownChildren() public {
        uint256 cdt3 = _cdt3();
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsNotAssetOwner.selector, dt1, mallory));
        vm.prank(mallory);
        unions.consent(cdt3, 0);
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsNotAssetOwner.selector, dt2, alice));
        vm.prank(alice);
        unions.consent(cdt3, 1); // alice owns DT1, not DT2
        vm.prank(alice);
        unions.consent(cdt3, 0);
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsAlreadyConsented.selector, cdt3, 0));
        vm.prank(alice);
        unions.consent(cdt3, 0);
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsUnknownChild.selector, cdt3, 2));
        vm.prank(alice);
        unions.consent(cdt3, 2);
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsNotUnion.selector, dt1));
        unions.consent(dt1, 0);
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsUnknownAsset.selector, 42));
        unions.consent(42, 0);
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsNotAssetOwner.selector, dt1, mallory));
        vm.prank(mallory);
        unions.revokeConsent(cdt3, 0);
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsNoConsent.selector, cdt3, 1));
        vm.prank(bob);
        unions.revokeConsent(cdt3, 1);
    }

    function test_consent_aDelegateOfAFileActsForItsOwner() public {
        uint256 cdt3 = _cdt3();
        bytes32 dataHash = unions.asset(dt1).dataHash; // before the prank, which the next call uses up
        vm.prank(alice);
        deployment.ownershipRegistry.delegate(dataHash, mallory);
        vm.prank(mallory);
        unions.consent(cdt3, 0);
        vm.assertEq(unions.consentOf(cdt3, 0).by, mallory, "the delegate's consent");
    }

    function test_activate_onlyTheCreatorAndOnce() public {
        uint256 cdt3 = _cdt3();
        _consentAll(cdt3);
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsNotCreator.selector, cdt3, alice));
        vm.prank(alice);
        unions.activate(cdt3);
        vm.prank(carol);
        unions.activate(cdt3);
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsAlreadyActivated.selector, cdt3));
        vm.prank(carol);
        unions.activate(cdt3);
    }

    function test_createUnion_refusesUnknownSelfRepeatedAndTerminalChildren() public {
        uint256 next = unions.assetsCount() + 1;
        vm.startPrank(carol);
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsUnknownAsset.selector, next));
        unions.createUnion(addTemplate, _ids(dt1, next), _quad(_fixed(1), _fixed(3), _free(), _fixed(2)), 0);
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsDuplicateChild.selector, dt1));
        unions.createUnion(addTemplate, _ids(dt1, dt1), _quad(_fixed(1), _fixed(3), _fixed(1), _fixed(3)), 0);
        vm.expectRevert(IDataUnions.DataUnionsNoChildren.selector);
        unions.createUnion(addTemplate, new uint256[](0), new IDataUnions.Constraint[](0), 0);
        vm.stopPrank();
        uint256 cdt4 = _algorithm(_cdt3(), 1);
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsTerminalChild.selector, cdt4));
        vm.prank(carol);
        unions.createAlgorithm(addTemplate, cdt4, _quad(_fixed(1), _fixed(3), _fixed(1), _fixed(2)), 0);
    }

    function test_createUnion_refusesAChildUnderAnotherTemplate() public {
        uint256 other = templates.registerTemplate(IOperatorTemplates.Kind.FEDERATED, ADD_DIGEST, "other", _names2());
        vm.prank(alice);
        unions.setTerms(dt1, other, _pair(_free(), _free()), 0);
        vm.prank(carol);
        uint256 u = unions.createUnion(other, _single(dt1), _pair(_free(), _free()), 0);
        uint256 cdt3 = _cdt3();
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsTemplateMismatch.selector, u, addTemplate, other));
        vm.prank(carol);
        unions.createUnion(addTemplate, _ids(u, cdt3), new IDataUnions.Constraint[](6), 0);
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsTemplateMismatch.selector, cdt3, addTemplate, other));
        unions.authorize(cdt3, other, _values(1, 3, 1, 2));
    }

    function test_createUnion_refusesTreesTooDeep() public {
        uint256 child = dt1;
        IDataUnions.Constraint[] memory terms = _pair(_fixed(1), _fixed(3));
        for (uint256 depth = 1; depth <= 4; depth++) {
            vm.prank(carol);
            child = unions.createUnion(addTemplate, _single(child), terms, 0);
            vm.assertEq(unions.asset(child).depth, depth, "depth");
        }
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsTooDeep.selector, 5, 4));
        vm.prank(carol);
        unions.createUnion(addTemplate, _single(child), terms, 0);
    }

    function test_createUnion_refusesTooManySlots() public {
        uint256[] memory leaves = new uint256[](9);
        IDataUnions.Constraint[] memory free = new IDataUnions.Constraint[](18);
        for (uint256 i = 0; i < leaves.length; i++) {
            leaves[i] = _leaf(alice);
            _setTerms(leaves[i], _pair(_free(), _free()), 0);
        }
        vm.startPrank(carol);
        uint256 a = unions.createUnion(addTemplate, leaves, free, 0);
        uint256 b = unions.createUnion(addTemplate, leaves, free, 0);
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsTooManySlots.selector, 18, 16));
        unions.createUnion(addTemplate, _ids(a, b), new IDataUnions.Constraint[](36), 0);
        vm.stopPrank();
    }

    function test_authorize_refusesAWrongNumberOfValuesAndUnpermittedTemplates() public {
        uint256 other = templates.registerTemplate(IOperatorTemplates.Kind.QUERY, ADD_DIGEST, "q", _names2());
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsNoTerms.selector, dt1, other));
        unions.authorize(dt1, other, new uint256[](2));
        vm.expectRevert(abi.encodeWithSelector(IDataUnions.DataUnionsConstraintCount.selector, 3, 2));
        unions.authorize(dt1, addTemplate, new uint256[](3));
        uint256[] memory values = new uint256[](2);
        values[0] = 1;
        (bytes32 termsHash, uint256 price) = unions.authorize(dt1, addTemplate, values);
        vm.assertEq(termsHash, unions.termsOf(dt1, addTemplate).termsHash, "the leaf's terms");
        vm.assertEq(price, 1 ether, "the leaf's price");
    }

    function _single(uint256 id) internal pure returns (uint256[] memory ids) {
        ids = new uint256[](1);
        ids[0] = id;
    }
}
