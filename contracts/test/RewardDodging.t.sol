// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "./utils/Vm.sol";
import {DataCoopTest} from "./utils/DataCoopTest.sol";
import {IDataLiquidityPool} from "../src/interfaces/IDataLiquidityPool.sol";
import {ITeePool} from "../src/interfaces/ITeePool.sol";

/// @notice A contributor whose file was proved is paid, whatever a DataDAO owner or a maintainer
///         does afterwards; and nobody is paid twice, or on a proof that was not valid when made.
contract RewardDodgingTest is DataCoopTest {
    bytes32 private constant NEW_PROGRAM = keccak256("program v2, rejects everything");

    /// The owner sees Alice's claim in the mempool and pins another program first. Before, the claim
    /// reverted and the file could never be rewarded.
    function test_requestReward_ownerFrontRunsClaimWithUpdateProgram_claimStillPays() public {
        (uint256 fileId, uint256 proofIndex) = _validatedFile(alice, "ipfs://a", SCORE_ONE);
        vm.prank(daoOwner);
        dlp.updateProgram(NEW_PROGRAM, "https://example.org/v2");
        vm.prank(alice);
        dlp.requestReward(fileId, proofIndex);
        vm.assertEq(token.balanceOf(alice), REWARD_PER_FILE, "alice paid");
    }

    /// The owner changes the program while Alice's job is open, hoping the validator's proof cannot
    /// match it: the job keeps the program it was paid under, and its proof pays.
    function test_addProof_ownerChangesProgramDuringJob_proofAndClaimStillPass() public {
        uint256 fileId = _addFile(alice, "ipfs://a");
        uint256 jobId = _requestJob(alice, fileId);
        vm.prank(daoOwner);
        dlp.updateProgram(NEW_PROGRAM, "https://example.org/v2");
        uint256 proofIndex = _prove(jobId, SCORE_ONE);
        vm.assertEq(registry.fileProofRecords(fileId, proofIndex).programDigest, PROGRAM_DIGEST, "the pinned program");
        vm.assertEq(dlp.requestReward(fileId, proofIndex), REWARD_PER_FILE, "paid");
    }

    /// A maintainer removes the validator after it proved Alice's file: the claim still pays.
    function test_requestReward_maintainerRemovesValidator_claimStillPays() public {
        (uint256 fileId, uint256 proofIndex) = _validatedFile(alice, "ipfs://a", SCORE_ONE);
        pool.removeTee(tee);
        dlp.requestReward(fileId, proofIndex);
        vm.assertEq(token.balanceOf(alice), REWARD_PER_FILE, "alice paid");
    }

    /// A validator removed before it proves cannot record a proof, so nothing of it is ever paid;
    /// the contributor cancels after the delay and another validator proves the file.
    function test_addProof_validatorRemovedBeforeProving_isRefused() public {
        address other = vm.addr(OTHER_TEE_KEY);
        _addTee(other, 2);
        vm.warp(10_000);
        uint256 fileId = _addFile(alice, "ipfs://a");
        uint256 jobId = _requestJob(alice, fileId);
        vm.assertEq(pool.jobRecords(jobId).teeAddress, tee, "assigned to tee");
        pool.removeTee(tee);

        ITeePool.ProofData memory data = _proofData(SCORE_ONE, dlpId);
        bytes memory signature = _signProof(TEE_KEY, jobId, data);
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolNotActiveTee.selector, tee));
        vm.prank(tee);
        pool.addProof(jobId, data, signature);
        vm.assertEq(registry.fileProofsCount(fileId), 0, "no proof to claim with");

        vm.warp(10_000 + CANCEL_DELAY);
        vm.prank(alice);
        pool.cancelJob(jobId);
        uint256 retry = _requestJob(alice, fileId);
        vm.assertEq(pool.jobRecords(retry).teeAddress, other, "the remaining validator");
        bytes memory otherSignature = _signProof(OTHER_TEE_KEY, retry, data);
        vm.prank(other);
        uint256 proofIndex = pool.addProof(retry, data, otherSignature);
        vm.assertEq(dlp.requestReward(fileId, proofIndex), REWARD_PER_FILE, "paid for the retry");
    }

    /// A validator removed and added again proves and its proof pays.
    function test_requestReward_readdedValidatorsProofPays() public {
        pool.removeTee(tee);
        _addTee(tee, 1);
        (uint256 fileId, uint256 proofIndex) = _validatedFile(alice, "ipfs://a", SCORE_ONE);
        vm.assertEq(dlp.requestReward(fileId, proofIndex), REWARD_PER_FILE, "paid");
    }

    /// A file scored zero can be validated again, but one file is paid once, and a score above
    /// zero cannot be re-rolled for a better one.
    function test_requestContributionProof_zeroScoreThenNewJob_paidOnceAndNoReroll() public {
        (uint256 fileId, uint256 zeroIndex) = _validatedFile(alice, "ipfs://a", 0);
        vm.expectRevert(abi.encodeWithSelector(IDataLiquidityPool.DataLiquidityPoolZeroScore.selector, fileId));
        dlp.requestReward(fileId, zeroIndex);

        uint256 second = _requestJob(alice, fileId);
        uint256 paidIndex = _prove(second, 0.4e18);
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolAlreadyValidated.selector, fileId, dlpId, second));
        _requestJob(alice, fileId);

        dlp.requestReward(fileId, paidIndex);
        vm.expectRevert(abi.encodeWithSelector(IDataLiquidityPool.DataLiquidityPoolAlreadyRewarded.selector, fileId));
        dlp.requestReward(fileId, paidIndex);
        vm.assertEq(token.balanceOf(alice), 40e18, "paid once");
    }

    /// Nobody but a validator rotates a validator's keys: a stranger cannot point contributors'
    /// wrapped passwords at a key of its own.
    function test_updateTeeKeys_strangerCannotRotate() public {
        bytes memory strangerKey = _secpKey(66);
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolNotActiveTee.selector, bob));
        vm.prank(bob);
        pool.updateTeeKeys("", strangerKey);
        vm.assertEq(pool.teeRecords(tee).secp256k1PublicKey, _secpKey(1), "keys unchanged");
    }

    /// After a rotation the old key is no longer the validator's published key.
    function test_updateTeeKeys_oldKeyNoLongerPublished() public {
        bytes memory oldRsa = pool.teeRecords(tee).rsaPublicKey;
        bytes memory newSecp = _secpKey(5);
        vm.prank(tee);
        pool.updateTeeKeys(hex"05", newSecp);
        vm.assertEq(pool.teeRecords(tee).rsaPublicKey, hex"05", "new rsa key published");
        vm.assertEq(pool.teeRecords(tee).secp256k1PublicKey, newSecp, "new secp key published");
        vm.assertTrue(keccak256(pool.teeRecords(tee).rsaPublicKey) != keccak256(oldRsa), "old rsa key gone");
    }

    /// Whatever program the owner pins after a proof, the proof pays exactly what it scored.
    function testFuzz_requestReward_paysWhateverProgramIsPinnedAfterProof(bytes32 newProgram, uint256 score) public {
        newProgram = newProgram == bytes32(0) ? NEW_PROGRAM : newProgram;
        score = _bound(score, 1e16, SCORE_ONE);
        (uint256 fileId, uint256 proofIndex) = _validatedFile(alice, "ipfs://a", score);
        vm.prank(daoOwner);
        dlp.updateProgram(newProgram, "https://example.org/any");
        pool.removeTee(tee);
        vm.assertEq(dlp.requestReward(fileId, proofIndex), REWARD_PER_FILE * score / SCORE_ONE, "paid in full");
    }

    /// The owner sees Alice's claim in the mempool and cuts the reward to 1 wei first, which would
    /// have paid her dust and closed the file for good: the job pinned the reward it was paid under.
    function test_requestReward_ownerFrontRunsClaimWithUpdateRewardPerFile_claimPaysThePinnedRate() public {
        (uint256 fileId, uint256 proofIndex) = _validatedFile(alice, "ipfs://a", SCORE_ONE);
        _setRewardPerFile(1);
        vm.prank(alice);
        vm.assertEq(dlp.requestReward(fileId, proofIndex), REWARD_PER_FILE, "the rate of the job");
        vm.assertEq(token.balanceOf(alice), REWARD_PER_FILE, "alice paid in full");

        // a job requested after the change is paid the new rate
        (uint256 later, uint256 laterIndex) = _validatedFile(bob, "ipfs://b", SCORE_ONE);
        vm.assertEq(pool.jobRecords(registry.fileProofRecords(later, laterIndex).jobId).rewardPerFile, 1, "pinned anew");
        vm.assertEq(dlp.requestReward(later, laterIndex), 1, "the new rate");
    }

    /// A positive score too small to pay a token unit is not final: the pool and the DataDAO apply one
    /// rule, so the file may be validated again rather than be closed unpaid.
    function test_addProof_aScoreTooSmallToPayIsNotFinal() public {
        _setRewardPerFile(3); // three token units for a whole file: a score of 0.3 pays nothing
        (uint256 fileId, uint256 dustIndex) = _validatedFile(alice, "ipfs://a", 0.3e18);
        vm.expectRevert(abi.encodeWithSelector(IDataLiquidityPool.DataLiquidityPoolZeroScore.selector, fileId));
        dlp.requestReward(fileId, dustIndex);
        uint256 again = _requestJob(alice, fileId); // not refused as validated
        uint256 paidIndex = _prove(again, SCORE_ONE);
        vm.assertEq(dlp.requestReward(fileId, paidIndex), 3, "paid on the new proof");
    }

    /// A DataDAO that pays nothing still validates: a positive score there is final.
    function test_addProof_positiveScoreIsFinalForADataDaoThatPaysNothing() public {
        _setRewardPerFile(0);
        (uint256 fileId,) = _validatedFile(alice, "ipfs://a", 0.5e18);
        vm.expectRevert(abi.encodeWithSelector(ITeePool.TeePoolAlreadyValidated.selector, fileId, dlpId, 1));
        _requestJob(alice, fileId);
    }

    function testFuzz_requestReward_paysThePinnedRateWhateverTheOwnerSetsLater(uint256 newRate, uint256 score) public {
        score = _bound(score, 1, SCORE_ONE); // every positive score pays at the fixture's rate
        uint256 fileId = _addFile(alice, "ipfs://a");
        uint256 jobId = _requestJob(alice, fileId);
        vm.prank(daoOwner);
        dlp.updateRewardPerFile(_bound(newRate, 0, REWARD_PER_FILE * 10));
        uint256 proofIndex = _prove(jobId, score);
        vm.assertEq(dlp.requestReward(fileId, proofIndex), REWARD_PER_FILE * score / SCORE_ONE, "the pinned rate");
    }

    /// A reward per file whose product with a score overflows would make every pinned job's proof
    /// revert, stranding its fee: refused when set.
    function test_updateRewardPerFile_refusesARewardThatWouldOverflow() public {
        uint256 max = type(uint256).max / SCORE_ONE;
        vm.expectRevert(abi.encodeWithSelector(IDataLiquidityPool.DataLiquidityPoolRewardTooLarge.selector, max + 1, max));
        vm.prank(daoOwner);
        dlp.updateRewardPerFile(max + 1);
        vm.prank(daoOwner);
        dlp.updateRewardPerFile(max); // the largest that fits
        (, uint256 proofIndex) = _validatedFile(alice, "ipfs://a", SCORE_ONE);
        vm.assertEq(proofIndex, 1, "a proof at the largest reward is recorded");
    }

    /// The owner sees Alice's proof request in the mempool and cuts the reward to nothing ahead of it,
    /// to have her file validated (and refinable) unpaid: the cut waits its delay, so her job pins
    /// the reward she saw; only jobs requested after the delay pin the cut.
    function test_requestContributionProof_ownerFrontRunsTheRequestWithACut_jobKeepsTheOldRate() public {
        uint256 fileId = _addFile(alice, "ipfs://a");
        vm.prank(daoOwner);
        dlp.updateRewardPerFile(0);
        (uint256 pending, uint256 effectiveAt) = dlp.pendingRewardPerFile();
        vm.assertEq(pending, 0, "the cut, pending");
        vm.assertEq(effectiveAt, block.timestamp + dlp.REWARD_DECREASE_DELAY(), "when it applies");
        uint256 jobId = _requestJob(alice, fileId);
        vm.assertEq(pool.jobRecords(jobId).rewardPerFile, REWARD_PER_FILE, "pinned before the cut applies");
        vm.assertEq(dlp.requestReward(fileId, _prove(jobId, SCORE_ONE)), REWARD_PER_FILE, "paid in full");

        vm.warp(effectiveAt);
        vm.assertEq(dlp.rewardPerFile(), 0, "the cut applies to later jobs");
        uint256 later = _requestJob(bob, _addFile(bob, "ipfs://b"));
        vm.assertEq(pool.jobRecords(later).rewardPerFile, 0, "pinned after");
    }

    /// A raise applies at once and drops a pending cut.
    function test_updateRewardPerFile_aRaiseAppliesAtOnceAndCancelsAPendingCut() public {
        vm.startPrank(daoOwner);
        dlp.updateRewardPerFile(1);
        dlp.updateRewardPerFile(REWARD_PER_FILE * 2);
        vm.stopPrank();
        vm.assertEq(dlp.rewardPerFile(), REWARD_PER_FILE * 2, "raised");
        (, uint256 effectiveAt) = dlp.pendingRewardPerFile();
        vm.assertEq(effectiveAt, 0, "no cut pending");
        vm.warp(block.timestamp + dlp.REWARD_DECREASE_DELAY());
        vm.assertEq(dlp.rewardPerFile(), REWARD_PER_FILE * 2, "still raised");
    }
}
