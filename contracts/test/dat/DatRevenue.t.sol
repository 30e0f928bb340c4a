// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {vm} from "../utils/Vm.sol";
import {DataCoopTest} from "../utils/DataCoopTest.sol";
import {ReadsTree} from "../utils/ReadsTree.sol";
import {DataLiquidityPool} from "../../src/DataLiquidityPool.sol";
import {IQueryEngine} from "../../src/interfaces/IQueryEngine.sol";
import {IReadsLedger} from "../../src/interfaces/IReadsLedger.sol";

/// @notice Revenue follows the token: a read's share goes to whoever holds the file's DAT when the
///         leaf is claimed, and to the file's registry owner only when the file has no DAT in the
///         refiner's DataDAO.
contract DatRevenueTest is DataCoopTest {
    uint256 internal constant PRICE = 6_000;

    address internal carol = vm.addr(0xCA401);
    address internal dave = vm.addr(0xDA7E);
    address internal mallory = vm.addr(0xBAD);

    uint256 internal refinerId;
    uint256 internal aliceFile;
    uint256 internal bobFile;
    uint256 internal carolFile;
    IQueryEngine.Reads internal reads;

    function setUp() public override {
        super.setUp();
        refinerId = _addRefiner(dlpId, _addSchema());
        _addService(dlpId, service);
        aliceFile = _rewardedRefinedFile(alice, "ipfs://alice");
        bobFile = _rewardedRefinedFile(bob, "ipfs://bob");
        carolFile = _refinedFile(carol, "ipfs://carol", refinerId); // proved, never rewarded: no DAT
        reads = IReadsLedger.Reads(refinerId, _uints(aliceFile, bobFile, carolFile), _uints(1, 2, 3));
    }

    function test_claimReads_paysTheContributorHoldingTheToken() public {
        bytes32 queryId = _paidQuery(1);
        _claimAllLeaves(queryId);
        vm.assertEq(engine.earnings(address(0), alice), _share(queryId, 1), "alice holds her DAT");
        vm.assertEq(engine.earnings(address(0), bob), _share(queryId, 2), "bob holds his");
    }

    function test_claimReads_afterATransferPaysTheNewHolderNotTheContributor() public {
        bytes32 before = _paidQuery(1);
        _claimAllLeaves(before);
        uint256 aliceEarned = engine.earnings(address(0), alice);
        vm.assertGt(aliceEarned, 0, "alice earned while she held it");

        uint256 tokenId = dat.tokenIdOf(dlpId, aliceFile);
        vm.prank(alice);
        dat.transferToken(tokenId, dave);
        bytes32 queryId = _paidQuery(2);
        vm.expectEmit(true, true, true, true, address(engine));
        emit IReadsLedger.RowsRead(queryId, aliceFile, dave, refinerId, 1);
        _claimAllLeaves(queryId);

        vm.assertEq(engine.earnings(address(0), dave), _share(queryId, 1), "the new holder is paid");
        vm.assertEq(engine.earnings(address(0), alice), aliceEarned, "the contributor is not");
        vm.assertEq(engine.earnings(address(0), bob), 2 * _share(queryId, 2), "bob's file is untouched");
    }

    /// The holder at claim time is paid, whoever sends the claim: a claim sent by the old holder
    /// after the transfer still pays the new one.
    function test_claimReads_sentByTheOldHolderPaysTheNewOne() public {
        bytes32 queryId = _paidQuery(1);
        uint256 tokenId = dat.tokenIdOf(dlpId, aliceFile);
        vm.prank(alice);
        dat.transferToken(tokenId, dave);
        vm.prank(alice);
        _claimReads(queryId, _leaf(0), _proofOf(0));
        vm.assertEq(engine.earnings(address(0), dave), _share(queryId, 1), "dave");
        vm.assertEq(engine.earnings(address(0), alice), 0, "not alice");
    }

    function test_claimReads_aFileWithoutATokenPaysItsRegistryOwner() public {
        bytes32 queryId = _paidQuery(1);
        _claimAllLeaves(queryId);
        vm.assertEq(engine.earnings(address(0), carol), _share(queryId, 3), "the registry owner");
    }

    /// Another DataDAO anchoring the same file number in its own class cannot take this DataDAO's
    /// revenue for it: the ledger looks only in the refiner's DataDAO class.
    function test_claimReads_aTokenOfAnotherDataDaoDoesNotRedirect() public {
        (, DataLiquidityPool other) = _createDataDao("Other DAO", PROGRAM_DIGEST);
        vm.prank(address(other));
        dat.mint(carolFile, mallory, 1);
        bytes32 queryId = _paidQuery(1);
        _claimAllLeaves(queryId);
        vm.assertEq(engine.earnings(address(0), carol), _share(queryId, 3), "carol, the registry owner");
        vm.assertEq(engine.earnings(address(0), mallory), 0, "not the other class's holder");
    }

    /// @dev A file of `owner` proved for and rewarded by the fixture's DataDAO, then refined.
    function _rewardedRefinedFile(address owner, string memory url) internal returns (uint256 fileId) {
        uint256 proofIndex;
        (fileId, proofIndex) = _validatedFile(owner, url, SCORE_ONE);
        vm.prank(owner);
        dlp.requestReward(fileId, proofIndex);
        _refine(fileId, refinerId);
    }

    /// @dev The builder pays `PRICE` for a query that read `reads`; nothing claimed yet.
    function _paidQuery(uint256 nonce) internal returns (bytes32 queryId) {
        uint256 permissionId = _grantPermission(builder, refinerId, PRICE, address(0));
        vm.prank(builder);
        engine.deposit{value: PRICE}();
        IQueryEngine.QueryRequest memory request = _queryRequest(builder, address(0), PRICE, nonce);
        IQueryEngine.Reads[] memory all = new IQueryEngine.Reads[](1);
        all[0] = reads;
        (queryId,) = _settleOnly(request, _signQuery(BUILDER_KEY, request), _uints(permissionId), all);
    }

    /// @dev Claims every leaf, one claim each, as an outsider.
    function _claimAllLeaves(bytes32 queryId) internal {
        for (uint256 i = 0; i < reads.fileIds.length; i++) {
            vm.prank(address(0xC1A1));
            _claimReads(queryId, _leaf(i), _proofOf(i));
        }
    }

    /// @dev What a leaf of `rows` rows is paid.
    function _share(bytes32 queryId, uint256 rows) internal view returns (uint256) {
        IReadsLedger.Committed memory committed = engine.committedReads(queryId, refinerId);
        return Math.mulDiv(committed.contributorsCut, rows, committed.totalRows);
    }

    function _leaf(uint256 index) internal view returns (IQueryEngine.Reads memory) {
        return IReadsLedger.Reads(refinerId, _uints(reads.fileIds[index]), _uints(reads.rowCounts[index]));
    }

    function _proofOf(uint256 index) internal view returns (bytes32[][] memory proofs) {
        proofs = new bytes32[][](1);
        proofs[0] = ReadsTree.proof(reads, index);
    }
}
