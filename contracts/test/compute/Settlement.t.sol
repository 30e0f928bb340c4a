// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../utils/Vm.sol";
import {ComputeTest} from "./ComputeTest.sol";
import {ReadsTree} from "../utils/ReadsTree.sol";
import {ExecutionRecord} from "../../src/compute/ExecutionRecord.sol";
import {Settlement} from "../../src/compute/Settlement.sol";
import {IReadsLedger} from "../../src/interfaces/IReadsLedger.sol";
import {IQueryEngine} from "../../src/interfaces/IQueryEngine.sol";
import {ISettlement} from "../../src/interfaces/compute/ISettlement.sol";
import {IExecutionRecord} from "../../src/interfaces/compute/IExecutionRecord.sol";
import {IComputeBound} from "../../src/interfaces/compute/IComputeBound.sol";
import {ITaskCoordinator} from "../../src/interfaces/compute/ITaskCoordinator.sol";

contract SettlementTest is ComputeTest {
    /// A task pays the protocol, the DataDAO and each contributor exactly what a query of the same
    /// price reading the same rows pays them.
    function test_settle_splitsTheDataPriceExactlyAsAQuery() public {
        IReadsLedger.Reads[] memory reads = _readsOfBoth();
        bytes32 taskId = _submit();
        _prove(taskId, reads);
        _claimTaskReads(taskId, reads);

        vm.prank(builder);
        engine.deposit{value: DATA_PRICE}();
        IQueryEngine.QueryRequest memory request = _queryRequest(builder, address(0), DATA_PRICE, 1);
        bytes memory signature = _signQuery(BUILDER_KEY, request);
        _settle(request, signature, _uints(permissionId), reads);

        address[4] memory payees = [treasury, daoOwner, alice, bob];
        uint256 total = 0;
        for (uint256 i = 0; i < payees.length; i++) {
            uint256 paid = settlement.earnings(address(0), payees[i]);
            vm.assertEq(paid, engine.earnings(address(0), payees[i]), "as a query pays");
            total += paid;
        }
        vm.assertEq(total, DATA_PRICE, "the data price, all of it");
        vm.assertEq(settlement.earnings(address(0), tee), WORKER_FEE, "and the fee to the worker");
        vm.assertGt(settlement.earnings(address(0), alice), 0, "contributors are paid");
    }

    struct Split {
        uint256 price;
        uint256 fee;
        uint256 protocolBps;
        uint256 dataDaoBps;
        uint256 aliceRows;
        uint256 bobRows;
    }

    /// The shares add up to the price exactly, whatever the price, shares and rows; rounding's dust
    /// goes to the DataDAO.
    function testFuzz_settle_sharesSumExactlyToThePrice(Split memory split) public {
        split.price = _bound(split.price, 0, 1e30);
        split.fee = _bound(split.fee, 0, 1e30);
        split.protocolBps = _bound(split.protocolBps, 0, engine.MAX_PROTOCOL_SHARE_BPS());
        split.dataDaoBps = _bound(split.dataDaoBps, 0, engine.MAX_DATA_DAO_SHARE_BPS());
        split.aliceRows = _bound(split.aliceRows, 1, 1e12);
        split.bobRows = _bound(split.bobRows, 1, 1e12);
        engine.setProtocolShare(split.protocolBps, treasury);
        vm.prank(daoOwner);
        engine.setDataDaoShare(dlpId, split.dataDaoBps);
        uint256 pricedPermission = _grantPermission(builder, refinerId, split.price, address(0));
        vm.deal(builder, split.price + split.fee);
        IReadsLedger.Reads[] memory reads =
            _reads(refinerId, _uints(aliceFile, bobFile), _uints(split.aliceRows, split.bobRows));

        bytes32 taskId = _submitPriced(pricedPermission, split.price, split.fee);
        _prove(taskId, reads);
        _claimTaskReads(taskId, reads);

        uint256 protocolCut = split.price * split.protocolBps / BPS;
        uint256 contributorsCut = split.price - protocolCut - split.price * split.dataDaoBps / BPS;
        uint256 rows = split.aliceRows + split.bobRows;
        uint256 aliceShare = contributorsCut * split.aliceRows / rows;
        uint256 bobShare = contributorsCut * split.bobRows / rows;
        vm.assertEq(settlement.earnings(address(0), treasury), protocolCut, "protocol");
        vm.assertEq(settlement.earnings(address(0), alice), aliceShare, "alice by her rows");
        vm.assertEq(settlement.earnings(address(0), bob), bobShare, "bob by his rows");
        vm.assertEq(
            settlement.earnings(address(0), daoOwner),
            split.price - protocolCut - aliceShare - bobShare,
            "the DataDAO: its share and the dust"
        );
        vm.assertEq(settlement.earnings(address(0), tee), split.fee, "the worker");
        vm.assertEq(address(settlement).balance, split.price + split.fee, "nothing paid out before claims");
    }

    function test_settle_paysTheCutOfARefinerNotReadToTheDataDao() public {
        bytes32 taskId = _submit();
        _prove(taskId, _noReads());
        uint256 protocolCut = DATA_PRICE * PROTOCOL_SHARE_BPS / BPS;
        vm.assertEq(settlement.earnings(address(0), daoOwner), DATA_PRICE - protocolCut, "the DataDAO");
        vm.assertEq(settlement.committedReads(taskId, refinerId).root, bytes32(0), "no root");
    }

    function test_claimReads_refusesForgedDoubleAndUncommittedLeaves() public {
        IReadsLedger.Reads[] memory reads = _readsOfBoth();
        bytes32 taskId = _submit();
        _prove(taskId, reads);
        bytes32[][] memory proofs = ReadsTree.proofs(reads[0]);
        IReadsLedger.Reads memory forged = _reads(refinerId, _uints(aliceFile), _uints(7))[0];
        (bytes32[] memory flat, uint256[] memory lengths) = ReadsTree.flatten(_first(proofs));
        vm.expectRevert(abi.encodeWithSelector(ISettlement.SettlementBadProof.selector, taskId, aliceFile));
        settlement.claimReads(taskId, forged, flat, lengths);

        IReadsLedger.Reads memory aliceOnly = _reads(refinerId, _uints(aliceFile), _uints(3))[0];
        settlement.claimReads(taskId, aliceOnly, flat, lengths);
        vm.expectRevert(abi.encodeWithSelector(ISettlement.SettlementReadAlreadyClaimed.selector, taskId, aliceFile));
        settlement.claimReads(taskId, aliceOnly, flat, lengths);

        bytes32 unproved = _submit();
        vm.expectRevert(abi.encodeWithSelector(ISettlement.SettlementNoReadsCommitted.selector, unproved, refinerId));
        settlement.claimReads(unproved, aliceOnly, flat, lengths);
        vm.prank(address(0x0FF2)); // owns nothing
        vm.expectRevert(abi.encodeWithSelector(ISettlement.SettlementNothingToClaim.selector, address(0)));
        settlement.claim(address(0));
    }

    function test_escrowSettleAndRefund_onlyByTheBoundContracts() public {
        ISettlement.Charge[] memory none = new ISettlement.Charge[](0);
        vm.expectRevert(abi.encodeWithSelector(ISettlement.SettlementNotCoordinator.selector, address(this)));
        settlement.escrow(bytes32(uint256(1)), alice, tee, address(0), 0, none);
        bytes32 taskId = _submit();
        vm.expectRevert(abi.encodeWithSelector(ISettlement.SettlementNotCoordinator.selector, address(this)));
        settlement.refund(taskId);
        vm.expectRevert(abi.encodeWithSelector(ISettlement.SettlementNotVerifier.selector, tee));
        vm.prank(tee);
        settlement.settle(taskId, ReadsTree.roots(_readsOfBoth()), "");
        vm.expectRevert(IComputeBound.ComputeAlreadyBound.selector);
        settlement.bind(alice, alice);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IComputeBound.ComputeNotDeployer.selector, alice));
        settlement.bind(alice, alice);
        Settlement unbound = new Settlement(engine, refinerRegistry, registry);
        vm.expectRevert(IComputeBound.ComputeZeroAddress.selector);
        unbound.bind(address(0), alice);
    }

    function test_executionRecord_isWrittenOnlyByTheBoundContracts() public {
        bytes32 taskId = _submit();
        vm.expectRevert(abi.encodeWithSelector(IExecutionRecord.ExecutionRecordNotCoordinator.selector, alice));
        vm.prank(alice);
        record.create(keccak256("forged"), IExecutionRecord.VerifyMode.TEE, bytes32(0));
        vm.expectRevert(abi.encodeWithSelector(IExecutionRecord.ExecutionRecordNotVerifier.selector, tee));
        vm.prank(tee);
        record.markVerified(taskId, RESULT, bytes32(0), "");
        vm.expectRevert(abi.encodeWithSelector(IExecutionRecord.ExecutionRecordNotCoordinator.selector, tee));
        vm.prank(tee);
        record.markFailed(taskId, "no");
        vm.expectRevert(abi.encodeWithSelector(IExecutionRecord.ExecutionRecordNotCoordinator.selector, builder));
        vm.prank(builder);
        record.markRefunded(taskId);
        vm.expectRevert(IComputeBound.ComputeAlreadyBound.selector);
        record.bind(alice, alice);
        ExecutionRecord unbound = new ExecutionRecord();
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IComputeBound.ComputeNotDeployer.selector, alice));
        unbound.bind(alice, alice);
        vm.assertEq(uint256(record.statusOf(taskId)), uint256(IExecutionRecord.Status.Submitted), "unchanged");
    }

    function _submitPriced(uint256 pricedPermission, uint256 price, uint256 fee) internal returns (bytes32) {
        ITaskCoordinator.TaskRequest memory request = _request();
        request.permissionIds = _uints(pricedPermission);
        request.maxPrice = price;
        request.workerFee = fee;
        return _submit(request, price + fee);
    }

    function _first(bytes32[][] memory proofs) internal pure returns (bytes32[][] memory one) {
        one = new bytes32[][](1);
        one[0] = proofs[0];
    }
}
