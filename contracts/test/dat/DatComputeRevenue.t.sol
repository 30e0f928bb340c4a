// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {vm} from "../utils/Vm.sol";
import {ComputeTest} from "../compute/ComputeTest.sol";
import {IReadsLedger} from "../../src/interfaces/IReadsLedger.sol";

/// @notice A compute task's data price follows the DAT as a query's does: the Settlement shares
///         the ReadsLedger, so the holder of a file's token, not its contributor, is paid its rows.
contract DatComputeRevenueTest is ComputeTest {
    address internal carol = vm.addr(0xCA401);

    function test_claimReads_ofATaskPaysTheHolderOfTheFilesToken() public {
        vm.prank(address(dlp)); // as the pool does with the reward
        uint256 tokenId = dat.mint(aliceFile, alice, 10_000);
        vm.prank(alice);
        dat.transferToken(tokenId, carol);

        IReadsLedger.Reads[] memory reads = _readsOfBoth();
        bytes32 taskId = _submit();
        _prove(taskId, reads);
        _claimTaskReads(taskId, reads);

        IReadsLedger.Committed memory committed = settlement.committedReads(taskId, refinerId);
        uint256 aliceRows = reads[0].rowCounts[0];
        vm.assertEq(reads[0].fileIds[0], aliceFile, "the first leaf is alice's file");
        uint256 share = Math.mulDiv(committed.contributorsCut, aliceRows, committed.totalRows);
        vm.assertGt(share, 0, "her rows earn something");
        vm.assertEq(settlement.earnings(address(0), carol), share, "the holder");
        vm.assertEq(settlement.earnings(address(0), alice), 0, "not the contributor");
        vm.assertGt(settlement.earnings(address(0), bob), 0, "bob, without a token, as the registry owner");
    }
}
