// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../utils/Vm.sol";
import {DataCoopTest} from "../utils/DataCoopTest.sol";
import {TestToken} from "../utils/TestToken.sol";
import {DataAnchoringToken} from "../../src/dat/DataAnchoringToken.sol";
import {IDataAnchoringToken} from "../../src/interfaces/dat/IDataAnchoringToken.sol";

/// @notice ERC-8028's class revenue: a payment settled to a DataDAO's class is shared among its live
///         tokens by shareRatio, claimed by each token's holder by pull, moves with the token, and an
///         expired token retired from the total share keeps what it had earned. No wei is created.
contract DatClassRevenueTest is DataCoopTest {
    address internal constant ETH = address(0);

    address internal carol = vm.addr(0xCA401);
    address internal mallory = vm.addr(0xBAD);

    uint256 internal aliceToken; // score 0.9: shareRatio 9,000
    uint256 internal bobToken; // score 0.3: shareRatio 3,000

    function setUp() public override {
        super.setUp();
        vm.prank(daoOwner);
        dat.updateClassTerms(dlpId, 0, 30 days);
        aliceToken = _rewardedToken(alice, "ipfs://alice", 0.9e18);
        bobToken = _rewardedToken(bob, "ipfs://bob", 0.3e18);
        vm.deal(mallory, 100 ether);
        vm.deal(carol, 1 ether); // for the proof's fee of her file
    }

    function test_settleRevenueETH_sharesItByShareRatio() public {
        vm.assertEq(dat.totalShare(dlpId), 12_000, "both tokens' ratios");
        vm.expectEmit(true, true, true, true, address(dat));
        emit IDataAnchoringToken.RevenueSettled(dlpId, ETH, mallory, 1.2 ether, 12_000);
        _settle(1.2 ether);
        vm.assertEq(dat.pending(aliceToken, ETH), 0.9 ether, "three quarters");
        vm.assertEq(dat.pending(bobToken, ETH), 0.3 ether, "one quarter");
        (uint256 settled,) = dat.revenueOf(dlpId, ETH);
        vm.assertEq(settled, 1.2 ether, "recorded");
        vm.assertEq(dat.revenueAssets(dlpId).length, 1, "ETH listed once");
        _settle(1.2 ether);
        vm.assertEq(dat.pending(aliceToken, ETH), 1.8 ether, "accumulates");
        vm.assertEq(dat.revenueAssets(dlpId).length, 1, "still once");
    }

    function test_claim_paysTheHolderExactlyItsPendingOnce() public {
        _settle(1.2 ether);
        uint256 before = alice.balance;
        vm.expectEmit(true, true, true, true, address(dat));
        emit IDataAnchoringToken.RevenueClaimed(aliceToken, ETH, alice, 0.9 ether);
        vm.prank(alice);
        vm.assertEq(dat.claim(aliceToken, ETH), 0.9 ether, "returned");
        vm.assertEq(alice.balance - before, 0.9 ether, "paid");
        vm.assertEq(dat.pending(aliceToken, ETH), 0, "nothing left");
        vm.expectRevert(
            abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenNothingToClaim.selector, aliceToken, ETH)
        );
        vm.prank(alice);
        dat.claim(aliceToken, ETH);
        vm.assertEq(dat.pending(bobToken, ETH), 0.3 ether, "bob's share untouched");
    }

    function test_claim_byAStrangerIsRefusedAndAnOperatorPaysTheHolder() public {
        _settle(1.2 ether);
        vm.expectRevert(
            abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenNotHolder.selector, aliceToken, mallory)
        );
        vm.prank(mallory);
        dat.claim(aliceToken, ETH);
        vm.prank(alice);
        dat.setApprovalForAll(carol, true);
        uint256 before = alice.balance;
        uint256 operatorBefore = carol.balance;
        vm.prank(carol);
        dat.claim(aliceToken, ETH);
        vm.assertEq(alice.balance - before, 0.9 ether, "paid to the holder, not the operator");
        vm.assertEq(carol.balance, operatorBefore, "the operator gets nothing");
    }

    function test_pendingRevenueMovesWithTheToken() public {
        _settle(1.2 ether);
        vm.prank(alice);
        dat.transferToken(aliceToken, carol);
        vm.expectRevert(
            abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenNotHolder.selector, aliceToken, alice)
        );
        vm.prank(alice);
        dat.claim(aliceToken, ETH);
        uint256 before = carol.balance;
        vm.prank(carol);
        dat.claim(aliceToken, ETH);
        vm.assertEq(carol.balance - before, 0.9 ether, "the buyer bought the unclaimed revenue too");
    }

    function test_aTokenMintedAfterASettlementEarnsOnlyWhatComesLater() public {
        _settle(1.2 ether);
        uint256 carolToken = _rewardedToken(carol, "ipfs://carol", 0.6e18);
        vm.assertEq(dat.pending(carolToken, ETH), 0, "nothing of the past");
        _settle(1.8 ether); // shares 9,000 + 3,000 + 6,000
        vm.assertEq(dat.pending(carolToken, ETH), 0.6 ether, "a third of what came after");
        vm.assertEq(dat.pending(aliceToken, ETH), 0.9 ether + 0.9 ether, "alice: both");
    }

    function test_settle_refusesNothingAndAClassWithoutShares() public {
        vm.expectRevert(IDataAnchoringToken.DataAnchoringTokenZeroValue.selector);
        _settle(0);
        uint256 otherDlp = 77;
        vm.expectRevert(abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenNoShares.selector, otherDlp));
        vm.prank(mallory);
        dat.settleRevenueETH{value: 1 ether}(otherDlp);
        vm.expectRevert(abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenZeroAddress.selector));
        dat.settleRevenueERC20(dlpId, address(0), 1);
    }

    function test_settleRevenueERC20_sharesWhatArrivedEvenFromAFeeToken() public {
        TestToken fee = new TestToken("FEE", 1_000); // burns 10% of each transfer
        _allow(address(fee));
        fee.mint(mallory, 1_000);
        vm.startPrank(mallory);
        fee.approve(address(dat), 1_000);
        vm.expectEmit(true, true, true, true, address(dat));
        emit IDataAnchoringToken.RevenueSettled(dlpId, address(fee), mallory, 900, 12_000);
        dat.settleRevenueERC20(dlpId, address(fee), 1_000);
        vm.stopPrank();
        vm.assertEq(dat.pending(aliceToken, address(fee)), 675, "three quarters of the 900 that arrived");
        vm.prank(bob);
        dat.claim(bobToken, address(fee));
        vm.assertEq(fee.balanceOf(bob), 203, "a quarter of 900 (225), less the token's own 10% fee on the way out (22)");
        vm.assertEq(dat.pending(aliceToken, ETH), 0, "separate from ETH");
    }

    function test_retire_anExpiredTokenLeavesTheShareAndKeepsWhatItEarned() public {
        _settle(1.2 ether);
        vm.expectRevert(
            abi.encodeWithSelector(
                IDataAnchoringToken.DataAnchoringTokenNotExpired.selector, aliceToken, dat.expireAtOf(aliceToken)
            )
        );
        dat.retire(aliceToken);
        vm.warp(dat.expireAtOf(aliceToken) + 1);
        vm.expectEmit(true, true, true, true, address(dat));
        emit IDataAnchoringToken.TokenRetired(aliceToken, 9_000);
        vm.prank(mallory);
        dat.retire(aliceToken);
        vm.assertTrue(dat.isRetired(aliceToken), "retired");
        vm.expectRevert(
            abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenAlreadyRetired.selector, aliceToken)
        );
        dat.retire(aliceToken);
        vm.assertEq(dat.totalShare(dlpId), 3_000, "bob's alone");
        // bob's token expired too, but until someone retires it, it shares
        _settle(0.3 ether);
        vm.assertEq(dat.pending(aliceToken, ETH), 0.9 ether, "alice kept her earnings and gets no more");
        vm.assertEq(dat.pending(bobToken, ETH), 0.6 ether, "bob got all of the later revenue");
        uint256 before = alice.balance;
        vm.prank(alice);
        dat.claim(aliceToken, ETH);
        vm.assertEq(alice.balance - before, 0.9 ether, "a retired token is still claimed");
        dat.retire(bobToken);
        vm.expectRevert(abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenNoShares.selector, dlpId));
        _settle(1 ether);
    }

    function test_retire_refusesATokenThatNeverExpires() public {
        vm.prank(daoOwner);
        dat.updateClassTerms(dlpId, 0, 0);
        uint256 forever = _rewardedToken(carol, "ipfs://carol", 0.5e18);
        vm.warp(block.timestamp + 3650 days);
        vm.expectRevert(
            abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenNotExpired.selector, forever, uint64(0))
        );
        dat.retire(forever);
    }

    function test_claim_aReenteringHolderGetsItsShareOnceOrNothing() public {
        ReenteringHolder thief = new ReenteringHolder(dat, aliceToken);
        vm.prank(alice);
        dat.transferToken(aliceToken, address(thief));
        _settle(1.2 ether);
        vm.expectRevert(
            abi.encodeWithSelector(
                IDataAnchoringToken.DataAnchoringTokenPaymentFailed.selector, address(thief), 0.9 ether
            )
        );
        thief.claim();
        vm.assertEq(dat.pending(aliceToken, ETH), 0.9 ether, "kept for a later claim");
        vm.assertEq(address(dat).balance, 1.2 ether, "nothing left the token contract");
    }

    function test_settle_aClassTakesETHAndAtMostEightERC20s() public {
        _settle(1 ether);
        for (uint256 i = 0; i < 8; i++) {
            _settleNewAsset(10);
        }
        TestToken ninth = new TestToken("A", 0);
        _allow(address(ninth));
        ninth.mint(address(this), 10);
        ninth.approve(address(dat), 10);
        vm.expectRevert(
            abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenTooManyAssets.selector, dlpId, address(ninth))
        );
        dat.settleRevenueERC20(dlpId, address(ninth), 10);
        _settle(1 ether); // ETH, already listed, still goes
    }

    function test_settleRevenueERC20_onlyAnAssetTheClassOwnerAllowed() public {
        TestToken junk = new TestToken("JUNK", 0);
        junk.mint(mallory, 10);
        vm.startPrank(mallory);
        junk.approve(address(dat), 10);
        vm.expectRevert(
            abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenAssetNotAllowed.selector, dlpId, address(junk))
        );
        dat.settleRevenueERC20(dlpId, address(junk), 10);
        vm.expectRevert(
            abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenNotClassOwner.selector, dlpId, mallory)
        );
        dat.setRevenueAsset(dlpId, address(junk), true);
        vm.stopPrank();
        vm.assertFalse(dat.isRevenueAsset(dlpId, address(junk)), "not allowed");
        vm.assertTrue(dat.isRevenueAsset(dlpId, ETH), "ETH always is");
        vm.assertEq(dat.revenueAssets(dlpId).length, 0, "nothing listed");

        TestToken usd = _settleNewAsset(1_200);
        vm.expectEmit(true, true, true, true, address(dat));
        emit IDataAnchoringToken.RevenueAssetSet(dlpId, address(usd), false);
        vm.prank(daoOwner);
        dat.setRevenueAsset(dlpId, address(usd), false);
        vm.prank(alice);
        dat.claim(aliceToken, address(usd));
        vm.assertEq(usd.balanceOf(alice), 900, "revenue settled before it was stopped is still claimed");
    }

    function test_settle_refusesAnAmountThatWouldOverflowATokensShare() public {
        TestToken huge = new TestToken("HUGE", 0);
        _allow(address(huge));
        uint256 amount = type(uint256).max / type(uint32).max / 1e18 * 12_000 + 1e18;
        huge.mint(address(this), amount);
        huge.approve(address(dat), amount);
        vm.expectRevert(
            abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenRevenueTooLarge.selector, dlpId, address(huge))
        );
        dat.settleRevenueERC20(dlpId, address(huge), amount);
        _rewardedToken(carol, "ipfs://carol", 1e18); // minting, which multiplies by the accumulator, still works

        uint256 beyondScale = type(uint256).max / 1e18;
        huge.mint(address(this), beyondScale);
        huge.approve(address(dat), beyondScale);
        vm.expectRevert(
            abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenRevenueTooLarge.selector, dlpId, address(huge))
        );
        dat.settleRevenueERC20(dlpId, address(huge), beyondScale); // named, not an arithmetic panic
    }

    function testFuzz_settle_noWeiIsCreatedAndAtMostAWeiPerTokenIsLeft(
        uint32[4] calldata ratioSeeds,
        uint96[3] calldata amounts
    ) public {
        vm.prank(daoOwner);
        dat.updateClassTerms(dlpId, 0, 0);
        uint256[] memory tokens = new uint256[](6);
        tokens[0] = aliceToken;
        tokens[1] = bobToken;
        for (uint256 i = 0; i < 4; i++) {
            uint256 score = _bound(ratioSeeds[i], 1, 1e18 / 1e14) * 1e14; // 1 to 10,000 basis points
            vm.deal(vm.addr(0x1000 + i), 1 ether);
            tokens[2 + i] = _rewardedToken(vm.addr(0x1000 + i), string.concat("ipfs://f", vm.toString(abi.encode(i))), score);
        }
        uint256 settled;
        for (uint256 i = 0; i < amounts.length; i++) {
            if (amounts[i] == 0) continue;
            vm.deal(mallory, amounts[i]);
            _settle(amounts[i]);
            settled += amounts[i];
        }
        uint256 owed;
        for (uint256 i = 0; i < tokens.length; i++) {
            owed += dat.pending(tokens[i], ETH);
        }
        vm.assertLe(owed, settled, "never more than settled");
        vm.assertLe(settled - owed, tokens.length, "at most a wei per token left to rounding");
        vm.assertEq(address(dat).balance, settled, "all held");
    }

    function _allow(address asset) internal {
        vm.prank(daoOwner);
        dat.setRevenueAsset(dlpId, asset, true);
    }

    /// @dev A new ERC-20 the class's owner allows, `amount` of it settled to the class.
    function _settleNewAsset(uint256 amount) internal returns (TestToken asset) {
        asset = new TestToken("A", 0);
        _allow(address(asset));
        asset.mint(address(this), amount);
        asset.approve(address(dat), amount);
        dat.settleRevenueERC20(dlpId, address(asset), amount);
    }

    function _settle(uint256 amount) internal {
        vm.prank(mallory);
        dat.settleRevenueETH{value: amount}(dlpId);
    }
}

/// @notice A holder whose receive() claims again: the guard makes its payout fail whole.
contract ReenteringHolder {
    DataAnchoringToken internal immutable dat;
    uint256 internal immutable tokenId;

    constructor(DataAnchoringToken dat_, uint256 tokenId_) {
        dat = dat_;
        tokenId = tokenId_;
    }

    function claim() external {
        dat.claim(tokenId, address(0));
    }

    function onERC1155Received(address, address, uint256, uint256, bytes calldata) external pure returns (bytes4) {
        return this.onERC1155Received.selector;
    }

    receive() external payable {
        dat.claim(tokenId, address(0));
    }
}
