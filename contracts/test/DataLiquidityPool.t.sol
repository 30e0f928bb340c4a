// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "./utils/Vm.sol";
import {DataCoopTest} from "./utils/DataCoopTest.sol";
import {DataLiquidityPool} from "../src/DataLiquidityPool.sol";
import {IDataLiquidityPool} from "../src/interfaces/IDataLiquidityPool.sol";
import {IDataLiquidityPoolRegistry} from "../src/interfaces/IDataLiquidityPoolRegistry.sol";
import {IDataRegistry} from "../src/interfaces/IDataRegistry.sol";
import {ITeePool} from "../src/interfaces/ITeePool.sol";

contract DataLiquidityPoolTest is DataCoopTest {
    event RewardRequested(
        address indexed contributorAddress, uint256 indexed fileId, uint256 indexed proofIndex, uint256 rewardAmount
    );

    /// A validator finds the url of any program a job pinned from these events, the first one included.
    function test_constructor_emitsTheProgramItPins() public {
        bytes32 digest = keccak256("first program");
        vm.expectEmit(true, true, true, true);
        emit IDataLiquidityPool.ProgramUpdated(digest, PROGRAM_URL);
        _createDataDao("Another DAO", digest);
    }

    function test_requestReward_paysOwnerRewardTimesScore() public {
        (uint256 fileId, uint256 proofIndex) = _validatedFile(alice, "ipfs://a", 0.75e18);
        vm.expectEmit(true, true, true, true);
        emit RewardRequested(alice, fileId, proofIndex, 75e18);
        vm.prank(bob); // anyone may trigger it; the owner is paid
        uint256 amount = dlp.requestReward(fileId, proofIndex);
        vm.assertEq(amount, 75e18, "reward");
        vm.assertEq(token.balanceOf(alice), 75e18, "owner paid");
        vm.assertEq(token.balanceOf(bob), 0, "caller not paid");
        vm.assertEq(dlp.fileRewards(fileId), 75e18, "recorded");
    }

    function test_requestReward_revertsOnSecondRequest() public {
        (uint256 fileId, uint256 proofIndex) = _validatedFile(alice, "ipfs://a", SCORE_ONE);
        dlp.requestReward(fileId, proofIndex);
        vm.expectRevert(abi.encodeWithSelector(IDataLiquidityPool.DataLiquidityPoolAlreadyRewarded.selector, fileId));
        dlp.requestReward(fileId, proofIndex);
    }

    function test_requestReward_revertsOnZeroScore() public {
        (uint256 fileId, uint256 proofIndex) = _validatedFile(alice, "ipfs://a", 0);
        vm.expectRevert(abi.encodeWithSelector(IDataLiquidityPool.DataLiquidityPoolZeroScore.selector, fileId));
        dlp.requestReward(fileId, proofIndex);
    }

    function test_requestReward_revertsOnUnknownProof() public {
        uint256 fileId = _addFile(alice, "ipfs://a");
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryUnknownProof.selector, fileId, 0));
        dlp.requestReward(fileId, 0);
    }

    // A proof's validity is decided when the TeePool accepts it: later changes do not undo it.
    function test_requestReward_paysAfterProgramChanged() public {
        (uint256 fileId, uint256 proofIndex) = _validatedFile(alice, "ipfs://a", SCORE_ONE);
        bytes32 newProgram = sha256("program v2");
        vm.prank(daoOwner);
        dlp.updateProgram(newProgram, "https://example.org/v2");
        vm.assertEq(dlp.requestReward(fileId, proofIndex), REWARD_PER_FILE, "paid under the program it was proved by");
    }

    function test_requestReward_paysAfterValidatorRemoved() public {
        (uint256 fileId, uint256 proofIndex) = _validatedFile(alice, "ipfs://a", SCORE_ONE);
        pool.removeTee(tee);
        vm.assertEq(dlp.requestReward(fileId, proofIndex), REWARD_PER_FILE, "paid: the validator was active when it proved");
    }

    function test_requestReward_paysOnceAfterZeroScoreAndNewJob() public {
        (uint256 fileId, uint256 zeroIndex) = _validatedFile(alice, "ipfs://a", 0);
        uint256 paidIndex = _prove(_requestJob(alice, fileId), 0.5e18);
        vm.assertEq(dlp.requestReward(fileId, paidIndex), 50e18, "the second proof pays");
        vm.expectRevert(abi.encodeWithSelector(IDataLiquidityPool.DataLiquidityPoolAlreadyRewarded.selector, fileId));
        dlp.requestReward(fileId, zeroIndex);
        vm.expectRevert(abi.encodeWithSelector(IDataLiquidityPool.DataLiquidityPoolAlreadyRewarded.selector, fileId));
        dlp.requestReward(fileId, paidIndex);
        vm.assertEq(token.balanceOf(alice), 50e18, "paid once");
    }

    function test_requestReward_revertsWhenBudgetIsSpent() public {
        (, DataLiquidityPool small) = _createSmallDao(50e18);
        uint256 smallId = small.dlpId();
        uint256 fileId = _addFile(alice, "ipfs://a");
        vm.prank(alice);
        uint256 jobId = pool.requestContributionProof{value: TEE_FEE}(fileId, smallId);
        _proveFor(jobId, smallId, SCORE_ONE);
        vm.expectRevert(
            abi.encodeWithSelector(
                IDataLiquidityPool.DataLiquidityPoolInsufficientRewards.selector, REWARD_PER_FILE, 50e18
            )
        );
        small.requestReward(fileId, 1);
    }

    function test_updateProgramAndReward_ownerOnly() public {
        vm.expectRevert(abi.encodeWithSignature("OwnableUnauthorizedAccount(address)", bob));
        vm.prank(bob);
        dlp.updateProgram(bytes32(uint256(1)), "x");
        vm.expectRevert(abi.encodeWithSignature("OwnableUnauthorizedAccount(address)", bob));
        vm.prank(bob);
        dlp.updateRewardPerFile(1);
        vm.expectRevert(abi.encodeWithSelector(IDataLiquidityPool.DataLiquidityPoolEmptyProgram.selector));
        vm.prank(daoOwner);
        dlp.updateProgram(bytes32(0), "x");
        _setRewardPerFile(7e18);
        vm.assertEq(dlp.rewardPerFile(), 7e18, "updated");
    }

    function test_createDataLiquidityPool_fundsPoolWithWholeSupply() public view {
        vm.assertEq(dlps.dlpsCount(), 1, "one DataDAO");
        vm.assertEq(dlps.dlps(dlpId), address(dlp), "lookup");
        vm.assertEq(dlps.dlps(0), address(0), "id 0 is nobody");
        vm.assertEq(dlp.owner(), daoOwner, "creator owns it");
        vm.assertEq(dlp.name(), "Health DAO", "name");
        vm.assertEq(dlp.programDigest(), PROGRAM_DIGEST, "program");
        vm.assertEq(token.totalSupply(), REWARD_BUDGET, "supply");
        vm.assertEq(token.balanceOf(address(dlp)), REWARD_BUDGET, "pool holds the budget");
        vm.assertEq(token.symbol(), "DAT", "symbol");
    }

    function test_createDataLiquidityPool_revertsOnEmptyNameOrProgram() public {
        IDataLiquidityPoolRegistry.DataDaoParams memory params = _params("", bytes32(uint256(1)), 1);
        vm.expectRevert(
            abi.encodeWithSelector(IDataLiquidityPoolRegistry.DataLiquidityPoolRegistryEmptyName.selector)
        );
        dlps.createDataLiquidityPool(params);
        params = _params("X", bytes32(0), 1);
        vm.expectRevert(abi.encodeWithSelector(IDataLiquidityPool.DataLiquidityPoolEmptyProgram.selector));
        dlps.createDataLiquidityPool(params);
    }

    function testFuzz_requestReward_paysExactlyRewardTimesScore(uint256 score, uint256 rewardPerFile) public {
        score = _bound(score, 1e9, SCORE_ONE);
        rewardPerFile = _bound(rewardPerFile, 1e18, 1000e18);
        _setRewardPerFile(rewardPerFile);
        (uint256 fileId, uint256 proofIndex) = _validatedFile(alice, "ipfs://a", score);
        uint256 amount = dlp.requestReward(fileId, proofIndex);
        vm.assertEq(amount, rewardPerFile * score / SCORE_ONE, "formula");
        vm.assertEq(token.balanceOf(alice) + token.balanceOf(address(dlp)), REWARD_BUDGET, "conserved");
    }

    function _params(string memory name, bytes32 program, uint256 budget)
        internal
        pure
        returns (IDataLiquidityPoolRegistry.DataDaoParams memory)
    {
        return IDataLiquidityPoolRegistry.DataDaoParams({
            name: name,
            tokenName: "T",
            tokenSymbol: "T",
            rewardBudget: budget,
            rewardPerFile: REWARD_PER_FILE,
            programDigest: program,
            programUrl: PROGRAM_URL
        });
    }

    function _createSmallDao(uint256 budget) internal returns (uint256 id, DataLiquidityPool created) {
        (uint256 newId, address poolAddress) = dlps.createDataLiquidityPool(_params("Small", PROGRAM_DIGEST, budget));
        return (newId, DataLiquidityPool(poolAddress));
    }

    function _proveFor(uint256 jobId, uint256 forDlp, uint256 score) internal {
        ITeePool.ProofData memory data = _proofData(score, forDlp);
        bytes memory signature = _signProof(TEE_KEY, jobId, data);
        vm.prank(tee);
        pool.addProof(jobId, data, signature);
    }
}
