// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../utils/Vm.sol";
import {ComputeTest} from "./ComputeTest.sol";
import {TestToken} from "../utils/TestToken.sol";
import {ITaskCoordinator} from "../../src/interfaces/compute/ITaskCoordinator.sol";
import {IExecutionRecord} from "../../src/interfaces/compute/IExecutionRecord.sol";
import {ISettlement} from "../../src/interfaces/compute/ISettlement.sol";

contract TaskCoordinatorTest is ComputeTest {
    function test_submitTask_escrowsThePaymentAndAssignsTheWorker() public {
        ITaskCoordinator.TaskRequest memory request = _request();
        bytes32 expected = keccak256(abi.encode(block.chainid, address(coordinator), builder, uint256(0)));
        vm.expectEmit(true, true, true, true, address(coordinator));
        emit ITaskCoordinator.TaskSubmitted(
            expected, builder, tee, SQL_HASH, ALGORITHM, bytes32(0), request.deadline
        );
        vm.prank(builder);
        (bytes32 taskId, uint256 dataPrice) = coordinator.submitTask{value: DATA_PRICE + WORKER_FEE}(request);

        vm.assertEq(taskId, expected, "the id binds chain, coordinator, requester and nonce");
        vm.assertEq(coordinator.taskIdOf(builder, 0), taskId, "taskIdOf");
        vm.assertEq(coordinator.nonces(builder), 1, "nonce used");
        vm.assertEq(dataPrice, DATA_PRICE, "priced as a query");
        ITaskCoordinator.Task memory task = coordinator.tasks(taskId);
        vm.assertEq(task.requester, builder, "requester");
        vm.assertEq(task.worker, tee, "worker");
        vm.assertEq(task.algorithmDigest, ALGORITHM, "algorithm");
        vm.assertEq(task.permissionIds[0], permissionId, "permission");
        vm.assertEq(task.specUrl, request.specUrl, "where the worker finds the inputs");
        vm.assertEq(uint256(record.statusOf(taskId)), uint256(IExecutionRecord.Status.Submitted), "record");
        ISettlement.Escrow memory held = settlement.escrows(taskId);
        vm.assertEq(uint256(held.status), uint256(ISettlement.EscrowStatus.Held), "held");
        vm.assertEq(held.workerFee + held.dataPrice, DATA_PRICE + WORKER_FEE, "escrowed");
        vm.assertEq(address(settlement).balance, DATA_PRICE + WORKER_FEE, "in the settlement");
        vm.assertEq(address(coordinator).balance, 0, "nothing left in the coordinator");
        vm.assertTrue(_submit() != taskId, "the next task has another id");
    }

    function test_submitTask_refusesAnAlgorithmADataDaoDoesNotAllow() public {
        ITaskCoordinator.TaskRequest memory request = _request();
        request.algorithmDigest = keccak256("builtin:copy-rows");
        _expectRefused(
            request,
            abi.encodeWithSelector(
                ITaskCoordinator.TaskCoordinatorAlgorithmNotAllowed.selector, dlpId, request.algorithmDigest
            )
        );
        vm.prank(daoOwner);
        coordinator.disallowAlgorithm(dlpId, ALGORITHM);
        _expectRefused(
            _request(),
            abi.encodeWithSelector(ITaskCoordinator.TaskCoordinatorAlgorithmNotAllowed.selector, dlpId, ALGORITHM)
        );
    }

    function test_submitTask_refusesAWorkerTheDataDaoDoesNotTrust() public {
        address other = vm.addr(OTHER_TEE_KEY);
        _addTee(other, 2); // an active validator, but not a refinement service of the DataDAO
        ITaskCoordinator.TaskRequest memory request = _request();
        request.worker = other;
        _expectRefused(
            request, abi.encodeWithSelector(ITaskCoordinator.TaskCoordinatorWorkerNotTrusted.selector, dlpId, other)
        );
        request.worker = service; // trusted by the DataDAO, but no validator
        _expectRefused(
            request, abi.encodeWithSelector(ITaskCoordinator.TaskCoordinatorWorkerNotActive.selector, service)
        );
    }

    function test_submitTask_overTwoDataDaosNeedsBothToAllowAndTrust() public {
        address otherOwner = vm.addr(0xD2D2);
        uint256 otherDlp = _createDataDaoOwnedBy(otherOwner, "Other DAO");
        uint256 otherRefiner = _addRefiner(otherDlp, schemaId);
        uint256 otherPermission = _grantPermission(builder, otherRefiner, 0.5 ether, address(0));
        ITaskCoordinator.TaskRequest memory request = _request();
        request.refinerIds = _uints(refinerId, otherRefiner);
        request.permissionIds = _uints(permissionId, otherPermission);
        request.maxPrice = DATA_PRICE + 0.5 ether;
        _expectRefused(
            request,
            abi.encodeWithSelector(ITaskCoordinator.TaskCoordinatorAlgorithmNotAllowed.selector, otherDlp, ALGORITHM)
        );
        _allow(otherDlp, ALGORITHM);
        _expectRefused(
            request, abi.encodeWithSelector(ITaskCoordinator.TaskCoordinatorWorkerNotTrusted.selector, otherDlp, tee)
        );
        _addService(otherDlp, tee);
        bytes32 taskId = _submit(request, DATA_PRICE + 0.5 ether + WORKER_FEE);
        vm.assertEq(coordinator.tasks(taskId).dataPrice, DATA_PRICE + 0.5 ether, "both charged");
        vm.assertEq(settlement.charges(taskId).length, 2, "one charge per permission");
    }

    function test_submitTask_refusesPermissionsTheRequesterCannotUse() public {
        ITaskCoordinator.TaskRequest memory request = _request();
        uint256 forAlice = _grantPermission(alice, refinerId, 1, address(0));
        request.permissionIds = _uints(forAlice);
        _expectRefused(
            request,
            abi.encodeWithSelector(
                ITaskCoordinator.TaskCoordinatorPermissionNotForRequester.selector, forAlice, builder
            )
        );
        vm.prank(daoOwner);
        engine.revokePermission(permissionId);
        _expectRefused(
            _request(),
            abi.encodeWithSelector(ITaskCoordinator.TaskCoordinatorPermissionNotUsable.selector, permissionId)
        );
        vm.prank(builder);
        uint256 requested = engine.addPermission(builder, refinerId, "", "", 1, address(0)); // not approved
        request.permissionIds = _uints(requested);
        _expectRefused(
            request, abi.encodeWithSelector(ITaskCoordinator.TaskCoordinatorPermissionNotUsable.selector, requested)
        );
        request.permissionIds = new uint256[](0);
        _expectRefused(request, abi.encodeWithSelector(ITaskCoordinator.TaskCoordinatorNoPermissions.selector));
    }

    function test_submitTask_refusesAPermissionInAnotherToken() public {
        ITaskCoordinator.TaskRequest memory request = _request();
        request.token = address(new TestToken("USD", 0));
        _expectRefused(
            request,
            abi.encodeWithSelector(ITaskCoordinator.TaskCoordinatorWrongToken.selector, permissionId, request.token)
        );
    }

    function test_submitTask_refusesDataItDoesNotPayForOrPaysForUnread() public {
        uint256 otherRefiner = _addRefiner(dlpId, schemaId);
        uint256 otherPermission = _grantPermission(builder, otherRefiner, 1, address(0));
        ITaskCoordinator.TaskRequest memory request = _request();
        request.refinerIds = _uints(refinerId, otherRefiner);
        _expectRefused(
            request,
            abi.encodeWithSelector(ITaskCoordinator.TaskCoordinatorRefinerNotCovered.selector, otherRefiner)
        );
        request = _request();
        request.permissionIds = _uints(permissionId, otherPermission);
        request.maxPrice = DATA_PRICE + 1;
        _expectRefused(
            request,
            abi.encodeWithSelector(
                ITaskCoordinator.TaskCoordinatorPermissionOutsideData.selector, otherPermission, otherRefiner
            )
        );
        request = _request();
        request.refinerIds = _uints(otherRefiner, refinerId);
        _expectRefused(request, abi.encodeWithSelector(ITaskCoordinator.TaskCoordinatorUnsortedRefiners.selector));
        request.refinerIds = new uint256[](0);
        _expectRefused(request, abi.encodeWithSelector(ITaskCoordinator.TaskCoordinatorNoRefiners.selector));
        request = _request();
        request.permissionIds = _uints(permissionId, permissionId);
        _expectRefused(request, abi.encodeWithSelector(ITaskCoordinator.TaskCoordinatorUnsortedPermissions.selector));
    }

    function test_submitTask_refusesAPriceAboveTheMaximum() public {
        ITaskCoordinator.TaskRequest memory request = _request();
        request.maxPrice = DATA_PRICE - 1;
        _expectRefused(
            request,
            abi.encodeWithSelector(ITaskCoordinator.TaskCoordinatorPriceAboveMax.selector, DATA_PRICE, DATA_PRICE - 1)
        );
    }

    function test_submitTask_refusesAnyOtherPaymentThanTheExactEscrow() public {
        uint256 total = DATA_PRICE + WORKER_FEE;
        vm.expectRevert(
            abi.encodeWithSelector(ITaskCoordinator.TaskCoordinatorWrongValue.selector, total - 1, total)
        );
        _submit(_request(), total - 1);
        vm.expectRevert(
            abi.encodeWithSelector(ITaskCoordinator.TaskCoordinatorWrongValue.selector, total + 1, total)
        );
        _submit(_request(), total + 1);
    }

    function test_submitTask_refusesZkModeAPastDeadlineNoSpecAndAnUnknownModel() public {
        ITaskCoordinator.TaskRequest memory request = _request();
        request.mode = IExecutionRecord.VerifyMode.TEE_ZK;
        _expectRefused(
            request,
            abi.encodeWithSelector(
                ITaskCoordinator.TaskCoordinatorModeNotSupported.selector, IExecutionRecord.VerifyMode.TEE_ZK
            )
        );
        request = _request();
        request.deadline = uint64(block.timestamp);
        _expectRefused(
            request, abi.encodeWithSelector(ITaskCoordinator.TaskCoordinatorDeadlinePassed.selector, request.deadline)
        );
        request = _request();
        request.specUrl = "";
        _expectRefused(request, abi.encodeWithSelector(ITaskCoordinator.TaskCoordinatorNoSpec.selector));
        request = _request();
        bytes32 unproved = _submit();
        request.modelId = unproved; // a task, but not a verified one: no model yet
        _expectRefused(
            request, abi.encodeWithSelector(ITaskCoordinator.TaskCoordinatorUnknownModel.selector, unproved)
        );
        _prove(unproved, _readsOfBoth());
        bytes32 inference = _submit(request, DATA_PRICE + WORKER_FEE);
        vm.assertEq(record.records(inference).modelId, unproved, "applies the trained model");
    }

    function test_submitTask_paysInAnErc20ThatArrivesWhole() public {
        TestToken usd = new TestToken("USD", 0);
        uint256 usdPermission = _grantPermission(builder, refinerId, 300, address(usd));
        ITaskCoordinator.TaskRequest memory request = _request();
        request.permissionIds = _uints(usdPermission);
        request.token = address(usd);
        request.workerFee = 50;
        request.maxPrice = 300;
        usd.mint(builder, 350);
        vm.prank(builder);
        usd.approve(address(coordinator), 350);
        _expectRefused(
            request, abi.encodeWithSelector(ITaskCoordinator.TaskCoordinatorWrongValue.selector, 1, 0), 1
        );
        bytes32 taskId = _submit(request, 0);
        vm.assertEq(usd.balanceOf(address(settlement)), 350, "escrowed");
        _prove(taskId, _readsOfBoth());
        vm.assertEq(settlement.earnings(address(usd), tee), 50, "the worker's fee");

        TestToken taxed = new TestToken("TAX", 100);
        uint256 taxedPermission = _grantPermission(builder, refinerId, 300, address(taxed));
        request.permissionIds = _uints(taxedPermission);
        request.token = address(taxed);
        taxed.mint(builder, 350);
        vm.prank(builder);
        taxed.approve(address(coordinator), 350);
        _expectRefused(
            request,
            abi.encodeWithSelector(
                ITaskCoordinator.TaskCoordinatorTokenShortfall.selector, address(taxed), 347, 350
            ),
            0
        );
    }

    function test_refund_onlyAfterTheDeadlineOnlyIfUnverifiedAndOnce() public {
        bytes32 taskId = _submit();
        uint64 deadline = coordinator.tasks(taskId).deadline;
        vm.warp(deadline);
        vm.expectRevert(
            abi.encodeWithSelector(ITaskCoordinator.TaskCoordinatorRefundTooEarly.selector, taskId, deadline + 1)
        );
        coordinator.refund(taskId);
        vm.warp(deadline + 1);
        vm.prank(alice); // anyone may trigger it: only the requester is credited
        vm.assertEq(coordinator.refund(taskId), DATA_PRICE + WORKER_FEE, "the whole escrow");
        vm.assertEq(settlement.earnings(address(0), builder), DATA_PRICE + WORKER_FEE, "credited to the requester");
        vm.assertEq(settlement.earnings(address(0), alice), 0, "not to the caller");
        vm.assertEq(uint256(record.statusOf(taskId)), uint256(IExecutionRecord.Status.Refunded), "recorded");
        vm.expectRevert(
            abi.encodeWithSelector(
                ITaskCoordinator.TaskCoordinatorNotSubmitted.selector, taskId, IExecutionRecord.Status.Refunded
            )
        );
        coordinator.refund(taskId);

        uint256 before = builder.balance;
        vm.prank(builder);
        settlement.claim(address(0));
        vm.assertEq(builder.balance - before, DATA_PRICE + WORKER_FEE, "pulled");
        vm.assertEq(address(settlement).balance, 0, "nothing left");
    }

    function test_refund_neverOfAVerifiedTask() public {
        bytes32 taskId = _submit();
        _prove(taskId, _readsOfBoth());
        vm.warp(block.timestamp + 2 hours);
        vm.expectRevert(
            abi.encodeWithSelector(
                ITaskCoordinator.TaskCoordinatorNotSubmitted.selector, taskId, IExecutionRecord.Status.Verified
            )
        );
        coordinator.refund(taskId);
        bytes32 unknown = keccak256("unknown");
        vm.expectRevert(abi.encodeWithSelector(ITaskCoordinator.TaskCoordinatorUnknownTask.selector, unknown));
        coordinator.refund(unknown);
    }

    function test_failTask_byItsWorkerOnlyWithAReasonThenRefundsAtOnce() public {
        bytes32 taskId = _submit();
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ITaskCoordinator.TaskCoordinatorNotWorker.selector, taskId, alice));
        coordinator.failTask(taskId, "no");
        vm.prank(tee);
        vm.expectRevert(ITaskCoordinator.TaskCoordinatorEmptyReason.selector);
        coordinator.failTask(taskId, "");
        vm.prank(tee);
        coordinator.failTask(taskId, "the model does not converge");
        IExecutionRecord.Record memory failed = record.records(taskId);
        vm.assertEq(uint256(failed.status), uint256(IExecutionRecord.Status.Failed), "failed");
        vm.assertEq(failed.failureReason, "the model does not converge", "with its reason");
        vm.prank(tee);
        vm.expectRevert(
            abi.encodeWithSelector(
                ITaskCoordinator.TaskCoordinatorNotSubmitted.selector, taskId, IExecutionRecord.Status.Failed
            )
        );
        coordinator.failTask(taskId, "again");
        vm.assertEq(coordinator.refund(taskId), DATA_PRICE + WORKER_FEE, "refunded before the deadline");
    }

    function test_allowAlgorithm_byTheDataDaoOwnerOnly() public {
        bytes32 digest = keccak256("builtin:linear-regression/v1");
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(ITaskCoordinator.TaskCoordinatorNotDataDaoOwner.selector, dlpId, alice)
        );
        coordinator.allowAlgorithm(dlpId, digest);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(ITaskCoordinator.TaskCoordinatorNotDataDaoOwner.selector, dlpId, alice)
        );
        coordinator.disallowAlgorithm(dlpId, ALGORITHM);

        vm.expectEmit(true, true, false, false, address(coordinator));
        emit ITaskCoordinator.AlgorithmAllowed(dlpId, digest);
        vm.prank(daoOwner);
        coordinator.allowAlgorithm(dlpId, digest);
        vm.assertTrue(coordinator.isAlgorithmAllowed(dlpId, digest), "allowed");
        vm.prank(daoOwner);
        vm.expectRevert(
            abi.encodeWithSelector(ITaskCoordinator.TaskCoordinatorAlgorithmAlreadyAllowed.selector, dlpId, digest)
        );
        coordinator.allowAlgorithm(dlpId, digest);
        vm.prank(daoOwner);
        vm.expectRevert(ITaskCoordinator.TaskCoordinatorZeroDigest.selector);
        coordinator.allowAlgorithm(dlpId, bytes32(0));

        vm.expectEmit(true, true, false, false, address(coordinator));
        emit ITaskCoordinator.AlgorithmDisallowed(dlpId, digest);
        vm.prank(daoOwner);
        coordinator.disallowAlgorithm(dlpId, digest);
        vm.assertFalse(coordinator.isAlgorithmAllowed(dlpId, digest), "disallowed");
        vm.prank(daoOwner);
        vm.expectRevert(
            abi.encodeWithSelector(ITaskCoordinator.TaskCoordinatorAlgorithmNotListed.selector, dlpId, digest)
        );
        coordinator.disallowAlgorithm(dlpId, digest);
    }

    function test_quote_pricesAsSubmitDoesAndNamesAnUnusablePermission() public {
        vm.assertEq(coordinator.quote(builder, address(0), _uints(permissionId)), DATA_PRICE, "the permission's price");
        vm.expectRevert(
            abi.encodeWithSelector(
                ITaskCoordinator.TaskCoordinatorPermissionNotForRequester.selector, permissionId, alice
            )
        );
        coordinator.quote(alice, address(0), _uints(permissionId));
        vm.expectRevert(abi.encodeWithSelector(ITaskCoordinator.TaskCoordinatorWrongToken.selector, permissionId, bob));
        coordinator.quote(builder, bob, _uints(permissionId));
    }

    function test_tasks_namesAnUnknownTask() public {
        bytes32 unknown = keccak256("unknown");
        vm.expectRevert(abi.encodeWithSelector(ITaskCoordinator.TaskCoordinatorUnknownTask.selector, unknown));
        coordinator.tasks(unknown);
    }

    function _expectRefused(ITaskCoordinator.TaskRequest memory request, bytes memory error) internal {
        _expectRefused(request, error, DATA_PRICE + WORKER_FEE);
    }

    /// @dev The builder's submission of `request` with `value` reverts with `error` and nothing is charged.
    function _expectRefused(ITaskCoordinator.TaskRequest memory request, bytes memory error, uint256 value) internal {
        uint256 balance = address(settlement).balance;
        uint256 nonce = coordinator.nonces(builder);
        vm.prank(builder);
        vm.expectRevert(error);
        coordinator.submitTask{value: value}(request);
        vm.assertEq(address(settlement).balance, balance, "nothing charged");
        vm.assertEq(coordinator.nonces(builder), nonce, "no task");
    }
}
