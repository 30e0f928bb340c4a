// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../utils/Vm.sol";
import {UnionTest} from "../union/UnionTest.sol";
import {UnionHandler} from "./UnionHandler.sol";

/// @notice Whatever terms changes, consents, revocations and activations happen, by whomever, in whatever
///         order: an active union has, for every child, a consent given for that child's current terms, and
///         every child active; a stranger never consents, revokes or activates.
contract UnionInvariantsTest is UnionTest {
    UnionHandler internal handler;

    function setUp() public override {
        super.setUp();
        uint256 dt1 = _leaf(alice);
        uint256 dt2 = _leaf(bob);
        _setTerms(dt1, _pair(_free(), _range(0, 10)), 0);
        _setTerms(dt2, _pair(_free(), _range(0, 10)), 0);
        vm.prank(carol);
        uint256 cdt3 = unions.createUnion(addTemplate, _ids(dt1, dt2), _quad(_free(), _fixed(2), _free(), _fixed(2)), 0);
        vm.prank(carol);
        uint256 cdt4 = unions.createAlgorithm(addTemplate, cdt3, _quad(_fixed(1), _fixed(2), _fixed(4), _fixed(2)), 0);
        handler = new UnionHandler(unions, addTemplate, carol, mallory, _ids(dt1, dt2), _ids(cdt3, cdt4));
    }

    /// @dev forge fuzzes only the handler.
    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function invariant_anActiveUnionHasEveryChildsConsentForItsCurrentTerms() public view {
        uint256[] memory assets = handler.composites();
        for (uint256 u = 0; u < assets.length; u++) {
            if (!unions.isActive(assets[u])) continue;
            uint256[] memory children = unions.asset(assets[u]).children;
            for (uint256 i = 0; i < children.length; i++) {
                bytes32 current = handler.childTerms(children[i]);
                vm.assertTrue(current != bytes32(0), "the child permits the template");
                vm.assertEq(handler.consentedTerms(assets[u], i), current, "consented to the current terms");
                vm.assertEq(unions.consentOf(assets[u], i).termsHash, current, "as the registry records it");
                vm.assertTrue(unions.isActive(children[i]), "every child active");
            }
        }
    }

    function invariant_strangersChangeNothing() public view {
        vm.assertEq(handler.strangerSuccesses(), 0, "no consent, revocation or activation by a stranger");
    }
}
