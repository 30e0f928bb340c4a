// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../utils/Vm.sol";
import {DataCoopTest} from "../utils/DataCoopTest.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC1155Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {DataAnchoringToken} from "../../src/dat/DataAnchoringToken.sol";
import {DataLiquidityPool} from "../../src/DataLiquidityPool.sol";
import {IDataAnchoringToken} from "../../src/interfaces/dat/IDataAnchoringToken.sol";
import {IDataLiquidityPoolRegistry} from "../../src/interfaces/IDataLiquidityPoolRegistry.sol";

/// @notice The Data Anchoring Token: minted with the reward, one per file and DataDAO, one holder,
///         a quota only recorders consume, and every call refused to whoever may not make it.
contract DataAnchoringTokenTest is DataCoopTest {
    uint256 internal constant SCORE = 0.9e18;
    bytes32 internal constant ROWS_READ = keccak256("rows_read");

    address internal carol = vm.addr(0xCA401);
    address internal mallory = vm.addr(0xBAD);
    address internal recorder = vm.addr(0x2EC0);

    function setUp() public override {
        super.setUp();
        dat.setRecorder(recorder, true);
    }

    // =============================================================== minting

    function test_requestReward_mintsTheFilesTokenToTheContributor() public {
        (uint256 fileId, uint256 proofIndex) = _validatedFile(alice, "ipfs://a", SCORE);
        uint256 tokenId = dat.tokenIdOf(dlpId, fileId);
        vm.expectEmit(true, true, true, true, address(dat));
        emit IDataAnchoringToken.ClassCreated(dlpId, "", bytes32(0));
        vm.expectEmit(true, true, true, true, address(dat));
        emit IDataAnchoringToken.Minted(tokenId, dlpId, alice, 0, 9_000, 0);
        vm.expectEmit(true, true, true, true, address(dat));
        emit IERC1155.TransferSingle(address(dlp), address(0), alice, tokenId, 1);
        vm.prank(alice);
        dlp.requestReward(fileId, proofIndex);

        vm.assertEq(dat.holderOf(tokenId), alice, "held by the contributor");
        vm.assertEq(dat.balanceOf(alice, tokenId), 1, "one token");
        IDataAnchoringToken.TokenInfo memory info = dat.tokenInfo(tokenId);
        vm.assertEq(info.classId, dlpId, "the DataDAO's class");
        vm.assertEq(info.fileId, fileId, "the file");
        vm.assertEq(info.holder, alice, "holder");
        vm.assertEq(info.shareRatio, 9_000, "the score in basis points");
        vm.assertEq(info.value, 0, "no quota until the DataDAO sets one");
        vm.assertEq(info.expireAt, 0, "never expires");
    }

    function test_requestReward_mintsWithTheClassTerms() public {
        vm.prank(daoOwner);
        dat.updateClassTerms(dlpId, 1_000, 1 days);
        uint256 tokenId = _rewarded(alice, "ipfs://a");
        vm.assertEq(dat.valueOf(tokenId), 1_000, "quota");
        vm.assertEq(dat.expireAtOf(tokenId), block.timestamp + 1 days, "expiry");
    }

    function test_mint_byAStrangerReverts() public {
        vm.prank(mallory);
        vm.expectRevert(abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenNotMinter.selector, mallory));
        dat.mint(1, mallory, 1);
    }

    function test_mint_byTheAdminReverts() public {
        vm.expectRevert(abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenNotMinter.selector, address(this)));
        dat.mint(1, alice, 1);
    }

    function test_mint_beforeAPoolRegistryIsSetReverts() public {
        DataAnchoringToken unlinked = new DataAnchoringToken(address(this));
        vm.prank(address(dlp));
        vm.expectRevert(abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenNotMinter.selector, address(dlp)));
        unlinked.mint(1, alice, 1);
    }

    function test_mint_aFileTwiceInOneDataDaoReverts() public {
        uint256 tokenId = _rewarded(alice, "ipfs://a");
        vm.prank(address(dlp));
        vm.expectRevert(abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenAlreadyMinted.selector, tokenId));
        dat.mint(tokenId & type(uint128).max, mallory, 1);
        vm.assertEq(dat.holderOf(tokenId), alice, "unchanged");
    }

    function test_mint_aFileInTwoDataDaosGetsTwoTokens() public {
        (uint256 otherId, DataLiquidityPool other) = _createDataDao("Other DAO", PROGRAM_DIGEST);
        vm.prank(address(dlp));
        uint256 first = dat.mint(7, alice, 1);
        vm.prank(address(other));
        uint256 second = dat.mint(7, bob, 2);
        vm.assertEq(first, dat.tokenIdOf(dlpId, 7), "the first DataDAO's id");
        vm.assertEq(second, dat.tokenIdOf(otherId, 7), "the second DataDAO's id");
        vm.assertNotEq(first, second, "two tokens");
        vm.assertEq(dat.holderOf(first), alice, "first holder");
        vm.assertEq(dat.holderOf(second), bob, "second holder");
        vm.assertEq(dat.classOf(second), otherId, "its class");
    }

    function test_mint_aFileIdAbove128BitsReverts() public {
        uint256 fileId = uint256(type(uint128).max) + 1;
        vm.prank(address(dlp));
        vm.expectRevert(abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenFileIdTooLarge.selector, fileId));
        dat.mint(fileId, alice, 1);
    }

    function test_mint_toTheZeroAddressReverts() public {
        vm.prank(address(dlp));
        vm.expectRevert(abi.encodeWithSelector(IERC1155Errors.ERC1155InvalidReceiver.selector, address(0)));
        dat.mint(1, address(0), 1);
    }

    function test_mint_toAContractThatRefusesTokensReverts() public {
        vm.prank(address(dlp));
        vm.expectRevert(abi.encodeWithSelector(IERC1155Errors.ERC1155InvalidReceiver.selector, address(this)));
        dat.mint(1, address(this), 1);
    }

    function test_mint_createsTheClassOnlyOnce() public {
        vm.prank(address(dlp));
        dat.mint(1, alice, 1);
        vm.recordLogs();
        vm.prank(address(dlp));
        dat.mint(2, alice, 1);
        vm.assertEq(vm.getRecordedLogs().length, 2, "Minted and TransferSingle, no ClassCreated");
    }

    function test_mint_saturatesTheShareRatio() public {
        vm.prank(address(dlp));
        uint256 tokenId = dat.mint(1, alice, uint256(type(uint32).max) + 5);
        vm.assertEq(dat.shareRatioOf(tokenId), type(uint32).max, "saturated");
    }

    // =============================================================== administration

    function test_setPoolRegistry_onlyOnce() public {
        vm.expectRevert(
            abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenPoolRegistryAlreadySet.selector, address(dlps))
        );
        dat.setPoolRegistry(dlps);
    }

    function test_setPoolRegistry_byAStrangerReverts() public {
        DataAnchoringToken fresh = new DataAnchoringToken(address(this));
        vm.prank(mallory);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, mallory));
        fresh.setPoolRegistry(dlps);
    }

    function test_setPoolRegistry_zeroReverts() public {
        DataAnchoringToken fresh = new DataAnchoringToken(address(this));
        vm.expectRevert(IDataAnchoringToken.DataAnchoringTokenZeroAddress.selector);
        fresh.setPoolRegistry(IDataLiquidityPoolRegistry(address(0)));
    }

    function test_setRecorder_byAStrangerReverts() public {
        vm.prank(mallory);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, mallory));
        dat.setRecorder(mallory, true);
        vm.assertFalse(dat.isRecorder(mallory), "not a recorder");
    }

    // =============================================================== classes

    function test_updateClass_byTheDataDaosOwnerSetsMetaAndTerms() public {
        vm.startPrank(daoOwner);
        vm.expectEmit(true, true, true, true, address(dat));
        emit IDataAnchoringToken.ClassCreated(dlpId, "", bytes32(0));
        vm.expectEmit(true, true, true, true, address(dat));
        emit IDataAnchoringToken.MetadataUpdated(dlpId, "ipfs://meta", bytes32(uint256(1)));
        dat.updateClassMetadata(dlpId, "ipfs://meta", bytes32(uint256(1)));
        vm.expectEmit(true, true, true, true, address(dat));
        emit IDataAnchoringToken.ClassPolicyUpdated(dlpId, "ipfs://policy");
        dat.updateClassPolicy(dlpId, "ipfs://policy");
        vm.expectEmit(true, true, true, true, address(dat));
        emit IDataAnchoringToken.ClassTermsUpdated(dlpId, 500, 3 days);
        dat.updateClassTerms(dlpId, 500, 3 days);
        vm.stopPrank();
        (string memory meta, bytes32 integrity, uint8 decimals, string memory policy) = dat.getClassMeta(dlpId);
        vm.assertEq(meta, "ipfs://meta", "metadata");
        vm.assertEq(integrity, bytes32(uint256(1)), "integrity hash");
        vm.assertEq(decimals, 0, "a unit is a row");
        vm.assertEq(policy, "ipfs://policy", "policy");
        (uint256 value, uint64 lifetime) = dat.classTerms(dlpId);
        vm.assertEq(value, 500, "quota");
        vm.assertEq(lifetime, 3 days, "lifetime");
    }

    function test_updateClass_byAStrangerReverts() public {
        bytes memory notOwner =
            abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenNotClassOwner.selector, dlpId, mallory);
        vm.startPrank(mallory);
        vm.expectRevert(notOwner);
        dat.updateClassTerms(dlpId, 1, 1);
        vm.expectRevert(notOwner);
        dat.updateClassMetadata(dlpId, "x", bytes32(0));
        vm.expectRevert(notOwner);
        dat.updateClassPolicy(dlpId, "x");
        vm.stopPrank();
    }

    function test_updateClass_ofAnUnknownDataDaoReverts() public {
        vm.prank(daoOwner);
        vm.expectRevert(abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenUnknownClass.selector, 99));
        dat.updateClassTerms(99, 1, 1);
    }

    // =============================================================== transfers

    function test_transferToken_movesTheHolder() public {
        uint256 tokenId = _rewarded(alice, "ipfs://a");
        vm.expectEmit(true, true, true, true, address(dat));
        emit IDataAnchoringToken.TransferToken(tokenId, alice, carol);
        vm.prank(alice);
        dat.transferToken(tokenId, carol);
        vm.assertEq(dat.holderOf(tokenId), carol, "new holder");
        vm.assertEq(dat.balanceOf(alice, tokenId), 0, "left alice");
        vm.assertEq(dat.balanceOf(carol, tokenId), 1, "reached carol");
    }

    function test_transferToken_byAnOperatorApprovedForAll() public {
        uint256 tokenId = _rewarded(alice, "ipfs://a");
        vm.prank(alice);
        dat.setApprovalForAll(bob, true);
        vm.prank(bob);
        dat.transferToken(tokenId, carol);
        vm.assertEq(dat.holderOf(tokenId), carol, "moved by the operator");
    }

    function test_transferToken_byANonHolderReverts() public {
        uint256 tokenId = _rewarded(alice, "ipfs://a");
        vm.prank(mallory);
        vm.expectRevert(
            abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenNotHolder.selector, tokenId, mallory)
        );
        dat.transferToken(tokenId, mallory);
        vm.assertEq(dat.holderOf(tokenId), alice, "unchanged");
    }

    function test_transferToken_ofAnUnknownTokenReverts() public {
        vm.expectRevert(abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenUnknownToken.selector, 42));
        dat.transferToken(42, alice);
    }

    function test_transferToken_toTheZeroAddressReverts() public {
        uint256 tokenId = _rewarded(alice, "ipfs://a");
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IERC1155Errors.ERC1155InvalidReceiver.selector, address(0)));
        dat.transferToken(tokenId, address(0));
    }

    function test_safeTransferFrom_movesTheHolder() public {
        uint256 tokenId = _rewarded(alice, "ipfs://a");
        vm.prank(alice);
        dat.safeTransferFrom(alice, carol, tokenId, 1, "");
        vm.assertEq(dat.holderOf(tokenId), carol, "tracked through ERC-1155 transfers");
    }

    function test_safeTransferFrom_byANonHolderReverts() public {
        uint256 tokenId = _rewarded(alice, "ipfs://a");
        vm.prank(mallory);
        vm.expectRevert(abi.encodeWithSelector(IERC1155Errors.ERC1155MissingApprovalForAll.selector, mallory, alice));
        dat.safeTransferFrom(alice, mallory, tokenId, 1, "");
    }

    /// A transfer of nothing moves nothing: it must not make its recipient the holder.
    function test_safeTransferFrom_ofZeroKeepsTheHolder() public {
        uint256 tokenId = _rewarded(alice, "ipfs://a");
        vm.prank(mallory);
        dat.safeTransferFrom(mallory, mallory, tokenId, 0, "");
        vm.prank(alice);
        dat.safeTransferFrom(alice, mallory, tokenId, 0, "");
        vm.assertEq(dat.holderOf(tokenId), alice, "still alice's");
    }

    function test_safeTransferFrom_ofMoreThanOneReverts() public {
        uint256 tokenId = _rewarded(alice, "ipfs://a");
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IERC1155Errors.ERC1155InsufficientBalance.selector, alice, 1, 2, tokenId)
        );
        dat.safeTransferFrom(alice, carol, tokenId, 2, "");
    }

    // =============================================================== value

    function test_transferValue_movesQuotaWithinAClass() public {
        (uint256 a, uint256 b) = _twoTokensWithQuota(100);
        vm.expectEmit(true, true, true, true, address(dat));
        emit IDataAnchoringToken.ValueTransferred(a, b, 30);
        vm.prank(alice);
        dat.transferValue(a, b, 30);
        vm.assertEq(dat.valueOf(a), 70, "from");
        vm.assertEq(dat.valueOf(b), 130, "to");
    }

    function test_transferValue_byAClassOperator() public {
        (uint256 a, uint256 b) = _twoTokensWithQuota(100);
        vm.prank(alice);
        dat.approveForClass(dlpId, carol, true);
        vm.assertTrue(dat.isApprovedForClass(alice, dlpId, carol), "approved");
        vm.prank(carol);
        dat.transferValue(a, b, 100);
        vm.assertEq(dat.valueOf(a), 0, "emptied");
    }

    function test_transferValue_byANonHolderReverts() public {
        (uint256 a, uint256 b) = _twoTokensWithQuota(100);
        vm.prank(bob); // holds b, not a
        vm.expectRevert(abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenNotHolder.selector, a, bob));
        dat.transferValue(a, b, 1);
    }

    function test_transferValue_byAnOperatorOfAnotherClassReverts() public {
        (uint256 a, uint256 b) = _twoTokensWithQuota(100);
        vm.prank(alice);
        dat.approveForClass(dlpId + 1, carol, true);
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenNotHolder.selector, a, carol));
        dat.transferValue(a, b, 1);
    }

    function test_transferValue_aboveTheQuotaReverts() public {
        (uint256 a, uint256 b) = _twoTokensWithQuota(100);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenQuotaExceeded.selector, a, 100, 101)
        );
        dat.transferValue(a, b, 101);
    }

    function test_transferValue_ofZeroReverts() public {
        (uint256 a, uint256 b) = _twoTokensWithQuota(100);
        vm.prank(alice);
        vm.expectRevert(IDataAnchoringToken.DataAnchoringTokenZeroValue.selector);
        dat.transferValue(a, b, 0);
    }

    function test_transferValue_acrossClassesReverts() public {
        (uint256 a,) = _twoTokensWithQuota(100);
        (uint256 otherId, DataLiquidityPool other) = _createDataDao("Other DAO", PROGRAM_DIGEST);
        vm.prank(address(other));
        uint256 foreign = dat.mint(1, alice, 1);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenClassMismatch.selector, dlpId, otherId)
        );
        dat.transferValue(a, foreign, 1);
    }

    function test_transferValue_ofAnExpiredTokenReverts() public {
        vm.prank(daoOwner);
        dat.updateClassTerms(dlpId, 100, 1 days);
        uint256 a = _rewarded(alice, "ipfs://a");
        uint256 b = _rewarded(alice, "ipfs://b");
        uint64 expireAt = dat.expireAtOf(a);
        vm.warp(expireAt + 1);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenExpired.selector, a, expireAt));
        dat.transferValue(a, b, 1);
    }

    function test_transferValue_ofAnUnknownTokenReverts() public {
        (uint256 a,) = _twoTokensWithQuota(100);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenUnknownToken.selector, a + 99));
        dat.transferValue(a, a + 99, 1);
    }

    // =============================================================== usage

    function test_recordUsage_byARecorderConsumesTheQuota() public {
        (uint256 a,) = _twoTokensWithQuota(100);
        vm.expectEmit(true, true, true, true, address(dat));
        emit IDataAnchoringToken.UsageRecorded(a, ROWS_READ, 40, recorder);
        vm.prank(recorder);
        dat.recordUsage(a, ROWS_READ, 40);
        vm.assertEq(dat.valueOf(a), 60, "consumed");
        vm.prank(recorder);
        dat.recordUsage(a, ROWS_READ, 60);
        vm.assertEq(dat.valueOf(a), 0, "all of it");
    }

    function test_recordUsage_byAStrangerReverts() public {
        (uint256 a,) = _twoTokensWithQuota(100);
        vm.prank(mallory);
        vm.expectRevert(abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenNotRecorder.selector, mallory));
        dat.recordUsage(a, ROWS_READ, 1);
    }

    function test_recordUsage_byTheHolderReverts() public {
        (uint256 a,) = _twoTokensWithQuota(100);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenNotRecorder.selector, alice));
        dat.recordUsage(a, ROWS_READ, 1);
    }

    function test_recordUsage_byARemovedRecorderReverts() public {
        (uint256 a,) = _twoTokensWithQuota(100);
        dat.setRecorder(recorder, false);
        vm.prank(recorder);
        vm.expectRevert(abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenNotRecorder.selector, recorder));
        dat.recordUsage(a, ROWS_READ, 1);
    }

    function test_recordUsage_aboveTheQuotaReverts() public {
        (uint256 a,) = _twoTokensWithQuota(100);
        vm.prank(recorder);
        vm.expectRevert(
            abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenQuotaExceeded.selector, a, 100, 101)
        );
        dat.recordUsage(a, ROWS_READ, 101);
        vm.assertEq(dat.valueOf(a), 100, "unchanged");
    }

    function test_recordUsage_onAnExpiredTokenReverts() public {
        vm.prank(daoOwner);
        dat.updateClassTerms(dlpId, 100, 1 days);
        uint256 a = _rewarded(alice, "ipfs://a");
        vm.warp(block.timestamp + 1 days); // the last second it is valid
        vm.prank(recorder);
        dat.recordUsage(a, ROWS_READ, 1);
        vm.warp(block.timestamp + 1);
        bytes memory expired =
            abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenExpired.selector, a, dat.expireAtOf(a));
        vm.prank(recorder);
        vm.expectRevert(expired);
        dat.recordUsage(a, ROWS_READ, 1);
    }

    function test_recordUsage_onAnUnknownTokenReverts() public {
        vm.prank(recorder);
        vm.expectRevert(abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenUnknownToken.selector, 5));
        dat.recordUsage(5, ROWS_READ, 0);
    }

    // =============================================================== views

    function test_views_ofAnUnknownTokenRevertButHolderOfIsZero() public {
        bytes memory unknown = abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenUnknownToken.selector, 5);
        vm.assertEq(dat.holderOf(5), address(0), "no holder");
        vm.expectRevert(unknown);
        dat.tokenInfo(5);
        vm.expectRevert(unknown);
        dat.classOf(5);
        vm.expectRevert(unknown);
        dat.valueOf(5);
        vm.expectRevert(unknown);
        dat.shareRatioOf(5);
        vm.expectRevert(unknown);
        dat.expireAtOf(5);
    }

    // =============================================================== fuzz

    /// Ids never collide: across DataDAOs and files, minted by the reward path or a pool directly,
    /// two mints get the same id only for the same file of the same DataDAO, and then the second reverts.
    function testFuzz_mint_idsNeverCollide(uint256 fileA, uint256 fileB, bool sameDao, bool rewardFirst) public {
        (uint256 otherId, DataLiquidityPool other) = _createDataDao("Other DAO", PROGRAM_DIGEST);
        uint256 first;
        uint256 firstFile;
        if (rewardFirst) {
            first = _rewarded(alice, "ipfs://a");
            firstFile = first & type(uint128).max;
        } else {
            firstFile = _bound(fileA, 0, type(uint128).max);
            vm.prank(address(dlp));
            first = dat.mint(firstFile, alice, 1);
        }
        uint256 secondFile = _bound(fileB, 0, 3) == 0 ? firstFile : _bound(fileB, 0, type(uint128).max);
        DataLiquidityPool minter = sameDao ? dlp : other;
        uint256 expected = dat.tokenIdOf(sameDao ? dlpId : otherId, secondFile);
        if (sameDao && secondFile == firstFile) {
            vm.prank(address(minter));
            vm.expectRevert(abi.encodeWithSelector(IDataAnchoringToken.DataAnchoringTokenAlreadyMinted.selector, first));
            dat.mint(secondFile, bob, 1);
            vm.assertEq(dat.holderOf(first), alice, "the first keeps its holder");
        } else {
            vm.prank(address(minter));
            uint256 second = dat.mint(secondFile, bob, 1);
            vm.assertEq(second, expected, "the derived id");
            vm.assertNotEq(second, first, "a new id");
            vm.assertEq(dat.holderOf(first), alice, "the first keeps its holder");
            vm.assertEq(dat.holderOf(second), bob, "the second has its own");
            vm.assertEq(dat.tokenInfo(second).fileId, secondFile, "its file");
        }
    }

    /// The id is injective over (class, 128-bit file id).
    function testFuzz_tokenIdOf_isInjective(uint256 classA, uint256 fileA, uint256 classB, uint256 fileB) public view {
        classA = _bound(classA, 0, type(uint128).max);
        classB = _bound(classB, 0, type(uint128).max);
        fileA = _bound(fileA, 0, type(uint128).max);
        fileB = _bound(fileB, 0, type(uint128).max);
        bool same = classA == classB && fileA == fileB;
        vm.assertEq(dat.tokenIdOf(classA, fileA) == dat.tokenIdOf(classB, fileB), same, "equal ids iff equal pairs");
    }

    // =============================================================== helpers

    /// @dev A file of `owner` proved and rewarded by the fixture's DataDAO: its token's id.
    function _rewarded(address owner, string memory url) internal returns (uint256 tokenId) {
        return _rewardedToken(owner, url, SCORE);
    }

    /// @dev Alice's and Bob's tokens of the fixture's class, each with `quota`.
    function _twoTokensWithQuota(uint256 quota) internal returns (uint256 a, uint256 b) {
        vm.prank(daoOwner);
        dat.updateClassTerms(dlpId, quota, 0);
        a = _rewarded(alice, "ipfs://a");
        b = _rewarded(bob, "ipfs://b");
    }
}
