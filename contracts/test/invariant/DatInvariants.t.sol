// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../utils/Vm.sol";
import {DataCoopTest} from "../utils/DataCoopTest.sol";
import {DatHandler} from "./DatHandler.sol";
import {DataLiquidityPool} from "../../src/DataLiquidityPool.sol";

/// @notice Whatever mints, transfers, approvals, value moves, usage, settlements, claims and
///         retirements happen, in whatever order, every Data Anchoring Token has a supply of exactly 1
///         and one holder, the one `holderOf` names, and each class's revenue is conserved: what was
///         claimed plus what is pending is what was settled, less at most a wei per token of rounding.
contract DatInvariantsTest is DataCoopTest {
    DatHandler internal handler;

    function setUp() public override {
        super.setUp();
        (uint256 secondId, DataLiquidityPool second) = _createDataDao("Second DAO", PROGRAM_DIGEST);
        vm.prank(daoOwner);
        dat.updateClassTerms(dlpId, 1_000, 1 days); // the second DataDAO's tokens never expire
        address recorder = vm.addr(0x2EC0);
        dat.setRecorder(recorder, true);
        address[] memory pools = new address[](2);
        pools[0] = address(dlp);
        pools[1] = address(second);
        uint256[] memory classes = new uint256[](2);
        classes[0] = dlpId;
        classes[1] = secondId;
        handler = new DatHandler(dat, pools, classes, recorder);
    }

    /// @dev forge fuzzes only the handler.
    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function invariant_eachTokenHasExactlyOneHolder() public view {
        for (uint256 t = 0; t < handler.mintedCount(); t++) {
            uint256 tokenId = handler.minted(t);
            address holder = dat.holderOf(tokenId);
            uint256 supply = 0;
            for (uint256 a = 0; a < handler.actorsCount(); a++) {
                address actor = handler.actors(a);
                uint256 balance = dat.balanceOf(actor, tokenId);
                vm.assertLe(balance, 1, "no one holds more than the one token");
                if (balance == 1) vm.assertEq(actor, holder, "the holder is the one with the token");
                supply += balance;
            }
            vm.assertEq(supply, 1, "supply is exactly 1");
        }
    }

    function invariant_classRevenueIsConserved() public view {
        uint256 held;
        for (uint256 c = 0; c < 2; c++) {
            uint256 classId = handler.classes(c);
            uint256 pendingSum;
            uint256 tokens;
            for (uint256 t = 0; t < handler.mintedCount(); t++) {
                uint256 tokenId = handler.minted(t);
                if (dat.classOf(tokenId) != classId) continue;
                pendingSum += dat.pending(tokenId, address(0));
                tokens++;
            }
            uint256 settled = handler.settled(classId);
            uint256 accounted = handler.claimed(classId) + pendingSum;
            vm.assertLe(accounted, settled, "no wei is created");
            vm.assertLe(settled - accounted, tokens, "at most a wei per token is left to rounding");
            (uint256 recorded,) = dat.revenueOf(classId, address(0));
            vm.assertEq(recorded, settled, "the class records what was settled");
            held += settled - handler.claimed(classId);
        }
        vm.assertEq(address(dat).balance, held, "the token contract holds exactly what is unclaimed");
    }

    function invariant_noIdIsMintedTwice() public view {
        vm.assertEq(handler.duplicateMints(), 0, "each (class, file) is minted once");
    }
}
