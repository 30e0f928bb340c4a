// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {vm} from "./utils/Vm.sol";
import {DataCoopTest} from "./utils/DataCoopTest.sol";
import {TestToken} from "./utils/TestToken.sol";
import {QueryEngine} from "../src/QueryEngine.sol";
import {IQueryEngine} from "../src/interfaces/IQueryEngine.sol";
import {IReadsLedger} from "../src/interfaces/IReadsLedger.sol";
import {ReadsTree} from "./utils/ReadsTree.sol";
import {IDataRegistry} from "../src/interfaces/IDataRegistry.sol";
import {IDataRefinerRegistry} from "../src/interfaces/IDataRefinerRegistry.sol";

/// @notice A contract that prepays queries but cannot receive the native coin back.
contract NoReceive {
    function deposit(QueryEngine engine) external payable {
        engine.deposit{value: msg.value}();
    }

    function withdraw(QueryEngine engine, uint256 amount) external {
        engine.withdrawDeposit(address(0), amount);
    }
}

/// @notice QueryEngine: permissions, deposits, the settlement of signed queries and its exact split,
///         every refusal, and the admin's and DataDAO owners' settings.
contract QueryEngineTest is DataCoopTest {
    uint256 internal constant CONTRIBUTORS = 8;
    uint256 internal constant OTHER_BUILDER_KEY = 0xB17E;

    TestToken internal payToken;
    address internal otherBuilder = vm.addr(OTHER_BUILDER_KEY);
    address internal carol = vm.addr(0xCA201);
    address internal otherService = vm.addr(0x5E42);

    uint256 internal schemaId;
    uint256 internal refinerId;
    /// contributors[i] owns files[i], refined by `refinerId`; the first three are alice, bob and carol.
    address[] internal contributors;
    uint256[] internal files;

    function setUp() public override {
        super.setUp();
        schemaId = _addSchema();
        refinerId = _addRefiner(dlpId, schemaId);
        _addService(dlpId, service);
        for (uint256 i = 0; i < CONTRIBUTORS; i++) {
            address contributor = i == 0 ? alice : i == 1 ? bob : i == 2 ? carol : vm.addr(0xC0 + i);
            contributors.push(contributor);
            files.push(_refinedFile(contributor, string.concat("ipfs://file-", Strings.toString(i)), refinerId));
        }
        payToken = new TestToken("USD", 0);
        payToken.mint(builder, 1_000_000e18);
        vm.prank(builder);
        payToken.approve(address(engine), type(uint256).max);
        vm.deal(builder, 1_000 ether);
        vm.deal(otherBuilder, 1_000 ether);
        vm.label(carol, "carol");
        vm.label(otherBuilder, "otherBuilder");
    }

    // =============================================================== permissions

    function test_addPermission_byOwnerIsApprovedAtOnce() public {
        vm.expectEmit(true, true, true, true, address(engine));
        emit IQueryEngine.PermissionAdded(1, builder, refinerId, "users", "age", 5, address(0), true);
        vm.prank(daoOwner);
        uint256 permissionId = engine.addPermission(builder, refinerId, "users", "age", 5, address(0));
        vm.assertEq(permissionId, 1, "first id is 1");

        IQueryEngine.Permission memory permission = engine.permissions(permissionId);
        vm.assertEq(permission.grantee, builder, "grantee");
        vm.assertEq(permission.refinerId, refinerId, "refiner");
        vm.assertEq(permission.tableName, "users", "table");
        vm.assertEq(permission.columnName, "age", "column");
        vm.assertEq(permission.price, 5, "price");
        vm.assertEq(permission.token, address(0), "token");
        vm.assertTrue(permission.approved, "approved");
        vm.assertFalse(permission.revoked, "not revoked");
        vm.assertEq(engine.permissionsCount(), 1, "count");
        vm.assertEq(engine.refinerPermissions(refinerId), _uints(permissionId), "listed for the refiner");
    }

    function test_addPermission_byBuilderForThemselvesWaitsForApproval() public {
        vm.prank(builder);
        uint256 permissionId = engine.addPermission(builder, refinerId, "users", "", 5, address(0));
        vm.assertFalse(engine.permissions(permissionId).approved, "pending");

        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineNotDataDaoOwner.selector, dlpId, builder));
        vm.prank(builder); // nobody approves their own request
        engine.approvePermission(permissionId);

        vm.expectEmit(true, false, false, false, address(engine));
        emit IQueryEngine.PermissionApproved(permissionId);
        vm.prank(daoOwner);
        engine.approvePermission(permissionId);
        vm.assertTrue(engine.permissions(permissionId).approved, "approved");

        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineAlreadyApproved.selector, permissionId));
        vm.prank(daoOwner);
        engine.approvePermission(permissionId);
    }

    function test_addPermission_revertsForBuilderGrantingSomeoneElse() public {
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineNotGrantee.selector, otherBuilder, builder));
        vm.prank(builder);
        engine.addPermission(otherBuilder, refinerId, "", "", 1, address(0));
    }

    function test_addPermission_revertsOnZeroGrantee() public {
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineZeroAddress.selector));
        vm.prank(daoOwner);
        engine.addPermission(address(0), refinerId, "", "", 1, address(0));
    }

    function test_addPermission_revertsOnUnknownRefiner() public {
        vm.expectRevert(
            abi.encodeWithSelector(IDataRefinerRegistry.DataRefinerRegistryUnknownRefiner.selector, refinerId + 1)
        );
        vm.prank(builder);
        engine.addPermission(builder, refinerId + 1, "", "", 1, address(0));
    }

    function test_addPermission_revertsOnColumnWithoutTable() public {
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineColumnWithoutTable.selector));
        vm.prank(daoOwner);
        engine.addPermission(builder, refinerId, "", "age", 1, address(0));
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineColumnWithoutTable.selector));
        vm.prank(builder);
        engine.addPermission(builder, refinerId, "", "age", 1, address(0));

        vm.startPrank(daoOwner); // a table alone, or neither, is fine
        engine.addPermission(builder, refinerId, "users", "", 1, address(0));
        engine.addPermission(builder, refinerId, "", "", 1, address(0));
        vm.stopPrank();
        vm.assertEq(engine.permissionsCount(), 2, "two added");
    }

    function test_addGenericPermission_isApprovedForEveryone() public {
        vm.expectEmit(true, true, true, true, address(engine));
        emit IQueryEngine.PermissionAdded(1, address(0), refinerId, "users", "", 3, address(payToken), true);
        vm.prank(daoOwner);
        uint256 permissionId = engine.addGenericPermission(refinerId, "users", "", 3, address(payToken));
        IQueryEngine.Permission memory permission = engine.permissions(permissionId);
        vm.assertEq(permission.grantee, address(0), "anyone");
        vm.assertTrue(permission.approved, "approved");
    }

    function test_addGenericPermission_revertsForNonOwner() public {
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineNotDataDaoOwner.selector, dlpId, builder));
        vm.prank(builder);
        engine.addGenericPermission(refinerId, "", "", 0, address(0));
    }

    function test_addGenericPermission_revertsOnColumnWithoutTable() public {
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineColumnWithoutTable.selector));
        vm.prank(daoOwner);
        engine.addGenericPermission(refinerId, "", "age", 0, address(0));
    }

    function test_approvePermission_revertsOnUnknownOrRevokedPermission() public {
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineUnknownPermission.selector, 1));
        vm.prank(daoOwner);
        engine.approvePermission(1);

        vm.startPrank(builder);
        uint256 permissionId = engine.addPermission(builder, refinerId, "", "", 1, address(0));
        engine.revokePermission(permissionId); // the builder withdraws the request
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineAlreadyRevoked.selector, permissionId));
        vm.prank(daoOwner);
        engine.approvePermission(permissionId);
    }

    function test_revokePermission_byOwner() public {
        uint256 permissionId = _grantPermission(builder, refinerId, 1, address(0));
        vm.expectEmit(true, false, false, false, address(engine));
        emit IQueryEngine.PermissionRevoked(permissionId);
        vm.prank(daoOwner);
        engine.revokePermission(permissionId);
        vm.assertTrue(engine.permissions(permissionId).revoked, "revoked");
    }

    function test_revokePermission_byGrantee() public {
        uint256 permissionId = _grantPermission(builder, refinerId, 1, address(0));
        vm.prank(builder);
        engine.revokePermission(permissionId);
        vm.assertTrue(engine.permissions(permissionId).revoked, "revoked");
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineAlreadyRevoked.selector, permissionId));
        vm.prank(daoOwner);
        engine.revokePermission(permissionId);
    }

    function test_revokePermission_revertsForStranger() public {
        uint256 permissionId = _grantPermission(builder, refinerId, 1, address(0));
        uint256 generic = _grantPermission(address(0), refinerId, 1, address(0));
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineNotDataDaoOwner.selector, dlpId, bob));
        vm.prank(bob);
        engine.revokePermission(permissionId);
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineNotDataDaoOwner.selector, dlpId, builder));
        vm.prank(builder); // a generic permission has no grantee to revoke it
        engine.revokePermission(generic);
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineNotDataDaoOwner.selector, dlpId, address(0)));
        vm.prank(address(0));
        engine.revokePermission(generic);
    }

    function test_revokePermission_revertsOnUnknownPermission() public {
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineUnknownPermission.selector, 0));
        vm.prank(daoOwner);
        engine.revokePermission(0);
    }

    function test_permissions_revertsOnUnknownId() public {
        _grantPermission(builder, refinerId, 1, address(0));
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineUnknownPermission.selector, 0));
        engine.permissions(0);
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineUnknownPermission.selector, 2));
        engine.permissions(2);
    }

    // =============================================================== deposits and claims

    function test_deposit_creditsTheNativeCoin() public {
        vm.expectEmit(true, true, false, true, address(engine));
        emit IQueryEngine.Deposited(builder, address(0), 2 ether);
        vm.prank(builder);
        engine.deposit{value: 2 ether}();
        vm.prank(builder);
        engine.deposit{value: 1 ether}();
        vm.assertEq(engine.deposits(address(0), builder), 3 ether, "credited");
        vm.assertEq(address(engine).balance, 3 ether, "held");
    }

    function test_deposit_revertsOnZero() public {
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineZeroAmount.selector));
        vm.prank(builder);
        engine.deposit{value: 0}();
    }

    function test_depositToken_pullsAndCreditsTheToken() public {
        vm.expectEmit(true, true, false, true, address(engine));
        emit IQueryEngine.Deposited(builder, address(payToken), 40e18);
        vm.prank(builder);
        engine.depositToken(address(payToken), 40e18);
        vm.assertEq(engine.deposits(address(payToken), builder), 40e18, "credited");
        vm.assertEq(engine.deposits(address(0), builder), 0, "not in the native coin");
        vm.assertEq(payToken.balanceOf(address(engine)), 40e18, "held");
        vm.assertEq(payToken.balanceOf(builder), 1_000_000e18 - 40e18, "pulled");
    }

    function test_depositToken_creditsWhatArrived() public {
        TestToken feeToken = new TestToken("FEE", 100); // burns 1% of each transfer
        feeToken.mint(builder, 1_000e18);
        vm.prank(builder);
        feeToken.approve(address(engine), type(uint256).max);
        vm.expectEmit(true, true, false, true, address(engine));
        emit IQueryEngine.Deposited(builder, address(feeToken), 99e18);
        vm.prank(builder);
        engine.depositToken(address(feeToken), 100e18);
        vm.assertEq(engine.deposits(address(feeToken), builder), 99e18, "what arrived");
        vm.assertEq(feeToken.balanceOf(address(engine)), 99e18, "books match the balance");
    }

    function test_depositToken_revertsOnZeroTokenOrAmount() public {
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineZeroAddress.selector));
        vm.prank(builder);
        engine.depositToken(address(0), 1);
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineZeroAmount.selector));
        vm.prank(builder);
        engine.depositToken(address(payToken), 0);
    }

    function test_depositToken_revertsWithoutAllowance() public {
        payToken.mint(otherBuilder, 10e18);
        vm.expectRevert(
            abi.encodeWithSignature(
                "ERC20InsufficientAllowance(address,uint256,uint256)", address(engine), uint256(0), uint256(10e18)
            )
        );
        vm.prank(otherBuilder);
        engine.depositToken(address(payToken), 10e18);
    }

    function test_withdrawDeposit_returnsTheNativeCoin() public {
        vm.prank(builder);
        engine.deposit{value: 5 ether}();
        uint256 before = builder.balance;
        vm.expectEmit(true, true, false, true, address(engine));
        emit IQueryEngine.DepositWithdrawn(builder, address(0), 2 ether);
        vm.prank(builder);
        engine.withdrawDeposit(address(0), 2 ether);
        vm.assertEq(builder.balance, before + 2 ether, "paid back");
        vm.assertEq(engine.deposits(address(0), builder), 3 ether, "rest kept");
        vm.assertEq(address(engine).balance, 3 ether, "held");
    }

    function test_withdrawDeposit_returnsTheToken() public {
        vm.startPrank(builder);
        engine.depositToken(address(payToken), 40e18);
        engine.withdrawDeposit(address(payToken), 40e18);
        vm.stopPrank();
        vm.assertEq(engine.deposits(address(payToken), builder), 0, "all back");
        vm.assertEq(payToken.balanceOf(builder), 1_000_000e18, "balance restored");
        vm.assertEq(payToken.balanceOf(address(engine)), 0, "nothing held");
    }

    function test_withdrawDeposit_revertsOnZeroOrMoreThanDeposited() public {
        vm.prank(builder);
        engine.deposit{value: 3 ether}();
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineZeroAmount.selector));
        vm.prank(builder);
        engine.withdrawDeposit(address(0), 0);
        vm.expectRevert(
            abi.encodeWithSelector(IQueryEngine.QueryEngineInsufficientDeposit.selector, address(0), 4 ether, 3 ether)
        );
        vm.prank(builder);
        engine.withdrawDeposit(address(0), 4 ether);
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineInsufficientDeposit.selector, address(0), 1, 0));
        vm.prank(otherBuilder); // nobody withdraws another's deposit
        engine.withdrawDeposit(address(0), 1);
    }

    function test_withdrawDeposit_revertsWhenTheCoinIsRefused() public {
        NoReceive account = new NoReceive();
        account.deposit{value: 1 ether}(engine);
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineTransferFailed.selector));
        account.withdraw(engine, 1 ether);
        vm.assertEq(engine.deposits(address(0), address(account)), 1 ether, "kept");
    }

    function test_claim_revertsWhenNothingEarned() public {
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineNothingToClaim.selector, address(0)));
        vm.prank(alice);
        engine.claim(address(0));
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineNothingToClaim.selector, address(payToken)));
        vm.prank(alice);
        engine.claim(address(payToken));
    }

    // =============================================================== settleQuery: the split

    /// 1001 wei: protocol 10% = 100, DataDAO 20% = 200, contributors 701 split 1:2 as 233 and 467;
    /// the wei rounding leaves goes to the DataDAO's owner (200 + 1).
    function test_settleQuery_splitsExactly() public {
        uint256 permissionId = _grantPermission(builder, refinerId, 1001, address(0));
        _depositNative(builder, 5000);
        IQueryEngine.QueryRequest memory request = _queryRequest(builder, address(0), 1001, 1);
        bytes memory signature = _signQuery(BUILDER_KEY, request);
        IQueryEngine.Reads[] memory reads = _reads(refinerId, _uints(files[0], files[1]), _uints(1, 2));

        (bytes32 queryId, uint256 price) = _settle(request, signature, _uints(permissionId), reads);

        vm.assertEq(queryId, engine.queryDigest(request), "id is the digest");
        vm.assertEq(price, 1001, "price");
        vm.assertTrue(engine.settled(queryId), "settled");
        vm.assertEq(engine.deposits(address(0), builder), 5000 - 1001, "charged the price");
        vm.assertEq(engine.earnings(address(0), treasury), 100, "protocol");
        vm.assertEq(engine.earnings(address(0), daoOwner), 201, "DataDAO share and dust");
        vm.assertEq(engine.earnings(address(0), alice), 233, "1 row of 3");
        vm.assertEq(engine.earnings(address(0), bob), 467, "2 rows of 3");
        vm.assertEq(engine.earnings(address(0), carol), 0, "not read");
        vm.assertEq(engine.earnings(address(0), service), 0, "the service is not paid here");
        vm.assertEq(address(engine).balance, 5000, "no coin moved");
    }

    function test_settleQuery_emitsSettlementAndCommitment_claimEmitsReadsAndEarnings() public {
        uint256 permissionId = _grantPermission(builder, refinerId, 1001, address(0));
        _depositNative(builder, 1001);
        IQueryEngine.QueryRequest memory request = _queryRequest(builder, address(0), 1001, 1);
        bytes memory signature = _signQuery(BUILDER_KEY, request);
        bytes32 queryId = engine.queryDigest(request);
        IQueryEngine.Reads[] memory reads = _reads(refinerId, _uints(files[0], files[1]), _uints(1, 2));

        vm.expectEmit(true, true, true, true, address(engine));
        emit IQueryEngine.QuerySettled(queryId, builder, service, address(0), 1001);
        vm.expectEmit(true, true, true, true, address(engine));
        emit IReadsLedger.Earned(queryId, treasury, address(0), 100);
        vm.expectEmit(true, true, true, true, address(engine));
        emit IReadsLedger.Earned(queryId, daoOwner, address(0), 200);
        vm.expectEmit(true, true, true, true, address(engine));
        emit IReadsLedger.ReadsCommitted(queryId, refinerId, ReadsTree.root(reads[0]), 3, 701, "http://storage/leaves");
        _settleOnly(request, signature, _uints(permissionId), reads);

        vm.expectEmit(true, true, true, true, address(engine));
        emit IReadsLedger.RowsRead(queryId, files[0], alice, refinerId, 1);
        vm.expectEmit(true, true, true, true, address(engine));
        emit IReadsLedger.Earned(queryId, alice, address(0), 233);
        vm.expectEmit(true, true, true, true, address(engine));
        emit IReadsLedger.RowsRead(queryId, files[1], bob, refinerId, 2);
        vm.expectEmit(true, true, true, true, address(engine));
        emit IReadsLedger.Earned(queryId, bob, address(0), 467);
        vm.expectEmit(true, true, true, true, address(engine));
        emit IReadsLedger.Earned(queryId, daoOwner, address(0), 1);
        _claimAll(queryId, reads);
    }

    /// Everyone claims what the query earned them, and real balances move by exactly that.
    function test_settleQuery_thenClaimPaysRealBalances() public {
        uint256 permissionId = _grantPermission(builder, refinerId, 1 ether, address(0));
        _depositNative(builder, 3 ether);
        IQueryEngine.QueryRequest memory request = _queryRequest(builder, address(0), 1 ether, 1);
        bytes memory signature = _signQuery(BUILDER_KEY, request);
        _settle(request, signature, _uints(permissionId), _reads(refinerId, _uints(files[0], files[1]), _uints(1, 2)));

        uint256 toAlice = uint256(0.7 ether) / 3;
        uint256 toBob = uint256(1.4 ether) / 3;
        uint256 toDao = 1 ether - 0.1 ether - toAlice - toBob;
        vm.assertEq(toDao, 0.2 ether + 1, "one wei of dust");
        address[4] memory payees = [alice, bob, treasury, daoOwner];
        uint256[4] memory amounts = [toAlice, toBob, uint256(0.1 ether), toDao];
        for (uint256 i = 0; i < 4; i++) {
            vm.assertEq(engine.earnings(address(0), payees[i]), amounts[i], "earned");
            uint256 before = payees[i].balance;
            vm.expectEmit(true, true, false, true, address(engine));
            emit IReadsLedger.Claimed(payees[i], address(0), amounts[i]);
            vm.prank(payees[i]);
            uint256 claimed = engine.claim(address(0));
            vm.assertEq(claimed, amounts[i], "claimed");
            vm.assertEq(payees[i].balance, before + amounts[i], "paid");
            vm.assertEq(engine.earnings(address(0), payees[i]), 0, "nothing left");
        }
        vm.assertEq(address(engine).balance, 2 ether, "only the unspent deposit is left");
        vm.assertEq(engine.deposits(address(0), builder), 2 ether, "unspent deposit");
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineNothingToClaim.selector, address(0)));
        vm.prank(alice);
        engine.claim(address(0));
    }

    function test_settleQuery_inAnErc20ThenClaim() public {
        uint256 permissionId = _grantPermission(address(0), refinerId, 50e18, address(payToken));
        vm.prank(builder);
        engine.depositToken(address(payToken), 60e18);
        IQueryEngine.QueryRequest memory request = _queryRequest(builder, address(payToken), 50e18, 1);
        bytes memory signature = _signQuery(BUILDER_KEY, request);
        _settle(request, signature, _uints(permissionId), _reads(refinerId, _uints(files[2]), _uints(10)));

        vm.assertEq(engine.deposits(address(payToken), builder), 10e18, "charged");
        vm.assertEq(engine.earnings(address(0), carol), 0, "nothing in the native coin");
        address[3] memory payees = [carol, treasury, daoOwner];
        uint256[3] memory amounts = [uint256(35e18), 5e18, 10e18];
        for (uint256 i = 0; i < 3; i++) {
            vm.prank(payees[i]);
            engine.claim(address(payToken));
            vm.assertEq(payToken.balanceOf(payees[i]), amounts[i], "paid in the token");
        }
        vm.assertEq(payToken.balanceOf(address(engine)), 10e18, "only the unspent deposit is left");
    }

    function test_settleQuery_withoutReadsTheDataDaoGetsTheContributorsPart() public {
        uint256 permissionId = _grantPermission(builder, refinerId, 1000, address(0));
        _depositNative(builder, 1000);
        IQueryEngine.QueryRequest memory request = _queryRequest(builder, address(0), 1000, 1);
        bytes memory signature = _signQuery(BUILDER_KEY, request);
        _settle(request, signature, _uints(permissionId), _noReads());
        vm.assertEq(engine.earnings(address(0), treasury), 100, "protocol");
        vm.assertEq(engine.earnings(address(0), daoOwner), 900, "DataDAO gets the rest");
        vm.assertEq(engine.deposits(address(0), builder), 0, "charged");
    }

    function test_settleQuery_usesTheDataDaosOwnShare() public {
        vm.prank(daoOwner);
        engine.setDataDaoShare(dlpId, 5_000);
        uint256 permissionId = _grantPermission(builder, refinerId, 1000, address(0));
        _depositNative(builder, 1000);
        IQueryEngine.QueryRequest memory request = _queryRequest(builder, address(0), 1000, 1);
        bytes memory signature = _signQuery(BUILDER_KEY, request);
        _settle(request, signature, _uints(permissionId), _reads(refinerId, _uints(files[0]), _uints(3)));
        vm.assertEq(engine.earnings(address(0), treasury), 100, "protocol");
        vm.assertEq(engine.earnings(address(0), daoOwner), 500, "half");
        vm.assertEq(engine.earnings(address(0), alice), 400, "the rest");
    }

    function test_settleQuery_maximumSharesLeaveContributorsNothing() public {
        engine.setProtocolShare(engine.MAX_PROTOCOL_SHARE_BPS(), treasury);
        uint256 maxDataDaoShare = engine.MAX_DATA_DAO_SHARE_BPS();
        vm.prank(daoOwner);
        engine.setDataDaoShare(dlpId, maxDataDaoShare);
        uint256 permissionId = _grantPermission(builder, refinerId, 1000, address(0));
        _depositNative(builder, 1000);
        IQueryEngine.QueryRequest memory request = _queryRequest(builder, address(0), 1000, 1);
        bytes memory signature = _signQuery(BUILDER_KEY, request);
        _settle(request, signature, _uints(permissionId), _reads(refinerId, _uints(files[0]), _uints(1)));
        vm.assertEq(engine.earnings(address(0), treasury), 200, "20%");
        vm.assertEq(engine.earnings(address(0), daoOwner), 800, "80%");
        vm.assertEq(engine.earnings(address(0), alice), 0, "nothing left for rows");
    }

    /// The shares round down, so what their rounding leaves goes to the rows, not to the DataDAO.
    function test_settleQuery_sharesRoundDownInFavourOfContributors() public {
        engine.setProtocolShare(engine.MAX_PROTOCOL_SHARE_BPS(), treasury);
        uint256 maxDataDaoShare = engine.MAX_DATA_DAO_SHARE_BPS();
        vm.prank(daoOwner);
        engine.setDataDaoShare(dlpId, maxDataDaoShare);
        uint256 permissionId = _grantPermission(builder, refinerId, 999, address(0));
        _depositNative(builder, 999);
        IQueryEngine.QueryRequest memory request = _queryRequest(builder, address(0), 999, 1);
        bytes memory signature = _signQuery(BUILDER_KEY, request);
        _settle(request, signature, _uints(permissionId), _reads(refinerId, _uints(files[0]), _uints(1)));
        vm.assertEq(engine.earnings(address(0), treasury), 199, "199.8 rounded down");
        vm.assertEq(engine.earnings(address(0), daoOwner), 799, "799.2 rounded down");
        vm.assertEq(engine.earnings(address(0), alice), 1, "what the rounding left");
    }

    /// Each permission is split on its own: the rows of its refiner earn its contributors' part.
    function test_settleQuery_readsOfOneRefinerPayOnlyItsPermissions() public {
        uint256 secondRefiner = _addRefiner(dlpId, schemaId);
        _refine(files[2], secondRefiner);
        uint256 first = _grantPermission(builder, refinerId, 1000, address(0));
        uint256 second = _grantPermission(builder, secondRefiner, 2000, address(0));
        uint256 third = _grantPermission(builder, refinerId, 100, address(0)); // another column, same rows
        _depositNative(builder, 3100);
        IQueryEngine.QueryRequest memory request = _queryRequest(builder, address(0), 3100, 1);
        bytes memory signature = _signQuery(BUILDER_KEY, request);
        (, uint256 price) =
            _settle(request, signature, _uints(first, second, third), _reads(refinerId, _uints(files[0]), _uints(4)));
        vm.assertEq(price, 3100, "sum of the prices");
        vm.assertEq(engine.earnings(address(0), alice), 700 + 70, "first and third");
        vm.assertEq(engine.earnings(address(0), carol), 0, "second refiner's rows were not read");
        vm.assertEq(engine.earnings(address(0), treasury), 310, "protocol");
        vm.assertEq(engine.earnings(address(0), daoOwner), 200 + 1800 + 20, "second's contributors part too");
    }

    function test_settleQuery_paysEachDataDaoItsShare() public {
        address otherOwner = vm.addr(0x0DA1);
        uint256 otherDlp = _createDataDaoOwnedBy(otherOwner, "Other DAO");
        uint256 otherRefiner = _addRefiner(otherDlp, schemaId);
        _addService(otherDlp, service);
        uint256 otherFile = _refinedFile(carol, "ipfs://other", otherRefiner);
        vm.prank(otherOwner);
        engine.setDataDaoShare(otherDlp, 5_000);

        uint256 first = _grantPermission(builder, refinerId, 1000, address(0));
        uint256 second = _grantPermission(address(0), otherRefiner, 1000, address(0));
        _depositNative(builder, 2000);
        IQueryEngine.QueryRequest memory request = _queryRequest(builder, address(0), 2000, 1);
        bytes memory signature = _signQuery(BUILDER_KEY, request);
        IQueryEngine.Reads[] memory reads = new IQueryEngine.Reads[](2);
        reads[0] = IReadsLedger.Reads(refinerId, _uints(files[0]), _uints(1));
        reads[1] = IReadsLedger.Reads(otherRefiner, _uints(otherFile), _uints(1));
        _settle(request, signature, _uints(first, second), reads);

        vm.assertEq(engine.earnings(address(0), treasury), 200, "protocol from both");
        vm.assertEq(engine.earnings(address(0), daoOwner), 200, "first DataDAO");
        vm.assertEq(engine.earnings(address(0), otherOwner), 500, "second DataDAO");
        vm.assertEq(engine.earnings(address(0), alice), 700, "first's contributor");
        vm.assertEq(engine.earnings(address(0), carol), 400, "second's contributor");
    }

    function test_settleQuery_genericPermissionServesAnyGrantee() public {
        uint256 permissionId = _grantPermission(address(0), refinerId, 10, address(0));
        _depositNative(otherBuilder, 10);
        IQueryEngine.QueryRequest memory request = _queryRequest(otherBuilder, address(0), 10, 1);
        bytes memory signature = _signQuery(OTHER_BUILDER_KEY, request);
        _settle(request, signature, _uints(permissionId), _noReads());
        vm.assertEq(engine.deposits(address(0), otherBuilder), 0, "charged");
    }

    function test_settleQuery_approvedRequestIsUsable() public {
        vm.prank(builder);
        uint256 permissionId = engine.addPermission(builder, refinerId, "users", "", 10, address(0));
        vm.prank(daoOwner);
        engine.approvePermission(permissionId);
        _depositNative(builder, 10);
        IQueryEngine.QueryRequest memory request = _queryRequest(builder, address(0), 10, 1);
        bytes memory signature = _signQuery(BUILDER_KEY, request);
        _settle(request, signature, _uints(permissionId), _noReads());
        vm.assertEq(engine.deposits(address(0), builder), 0, "charged");
    }

    function test_settleQuery_acceptsTheDeadlineItself() public {
        uint256 permissionId = _grantPermission(builder, refinerId, 10, address(0));
        _depositNative(builder, 10);
        IQueryEngine.QueryRequest memory request = _queryRequest(builder, address(0), 10, 1);
        bytes memory signature = _signQuery(BUILDER_KEY, request);
        vm.warp(request.deadline);
        _settle(request, signature, _uints(permissionId), _noReads());
        vm.assertTrue(engine.settled(engine.queryDigest(request)), "settled at its deadline");
        vm.assertEq(engine.deposits(address(0), builder), 0, "charged");
    }

    function test_settleQuery_zeroPriceChargesNothing() public {
        uint256 permissionId = _grantPermission(builder, refinerId, 0, address(0));
        IQueryEngine.QueryRequest memory request = _queryRequest(builder, address(0), 0, 1);
        bytes memory signature = _signQuery(BUILDER_KEY, request);
        (bytes32 queryId, uint256 price) =
            _settle(request, signature, _uints(permissionId), _reads(refinerId, _uints(files[0]), _uints(1)));
        vm.assertEq(price, 0, "free");
        vm.assertTrue(engine.settled(queryId), "still settled once");
        vm.assertEq(engine.earnings(address(0), alice), 0, "nothing earned");
    }

    // =============================================================== settleQuery: refusals

    function test_settleQuery_revertsForAnotherCaller() public {
        (IQueryEngine.QueryRequest memory request, bytes memory signature, uint256[] memory ids) = _paidQuery(10);
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineWrongService.selector, service, bob));
        vm.prank(bob);
        engine.settleQuery(request, signature, ids, _noRoots(), "");
    }

    function test_settleQuery_revertsAfterTheDeadline() public {
        (IQueryEngine.QueryRequest memory request, bytes memory signature, uint256[] memory ids) = _paidQuery(10);
        vm.warp(request.deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineExpired.selector, request.deadline));
        _settle(request, signature, ids, _noReads());
    }

    function test_settleQuery_revertsOnSignatureOfAnotherAccount() public {
        (IQueryEngine.QueryRequest memory request,, uint256[] memory ids) = _paidQuery(10);
        bytes memory signature = _signQuery(OTHER_BUILDER_KEY, request);
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineBadSignature.selector, otherBuilder, builder));
        _settle(request, signature, ids, _noReads());
    }

    function test_settleQuery_revertsOnAlteredRequest() public {
        (IQueryEngine.QueryRequest memory request, bytes memory signature, uint256[] memory ids) = _paidQuery(10);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(BUILDER_KEY, engine.queryDigest(request));
        request.maxPrice = 1000; // raised after signing
        address recovered = ecrecover(engine.queryDigest(request), v, r, s);
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineBadSignature.selector, recovered, builder));
        _settle(request, signature, ids, _noReads());
    }

    function test_settleQuery_revertsOnMalformedSignature() public {
        (IQueryEngine.QueryRequest memory request, bytes memory signature, uint256[] memory ids) = _paidQuery(10);
        bytes memory truncated = new bytes(64);
        for (uint256 i = 0; i < 64; i++) {
            truncated[i] = signature[i];
        }
        vm.expectRevert(abi.encodeWithSignature("ECDSAInvalidSignatureLength(uint256)", uint256(64)));
        _settle(request, truncated, ids, _noReads());
    }

    function test_settleQuery_revertsOnReplay() public {
        (IQueryEngine.QueryRequest memory request, bytes memory signature, uint256[] memory ids) = _paidQuery(10);
        _depositNative(builder, 10); // enough for a second charge
        (bytes32 queryId,) = _settle(request, signature, ids, _noReads());
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineAlreadySettled.selector, queryId));
        _settle(request, signature, ids, _noReads());
        vm.assertEq(engine.deposits(address(0), builder), 10, "charged once");
    }

    function test_settleQuery_revertsOnUnsortedOrDuplicatePermissions() public {
        uint256 first = _grantPermission(builder, refinerId, 1, address(0));
        uint256 second = _grantPermission(builder, refinerId, 1, address(0));
        _depositNative(builder, 10);
        IQueryEngine.QueryRequest memory request = _queryRequest(builder, address(0), 10, 1);
        bytes memory signature = _signQuery(BUILDER_KEY, request);
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineUnsortedPermissions.selector));
        _settle(request, signature, _uints(second, first), _noReads());
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineUnsortedPermissions.selector));
        _settle(request, signature, _uints(first, first), _noReads());
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineNoPermissions.selector));
        _settle(request, signature, new uint256[](0), _noReads());
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineUnknownPermission.selector, 3));
        _settle(request, signature, _uints(first, 3), _noReads());
    }

    function test_settleQuery_revertsOnPendingPermission() public {
        vm.prank(builder);
        uint256 permissionId = engine.addPermission(builder, refinerId, "", "", 1, address(0));
        _depositNative(builder, 10);
        IQueryEngine.QueryRequest memory request = _queryRequest(builder, address(0), 10, 1);
        bytes memory signature = _signQuery(BUILDER_KEY, request);
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEnginePermissionNotUsable.selector, permissionId));
        _settle(request, signature, _uints(permissionId), _noReads());
    }

    function test_settleQuery_revertsOnRevokedPermission() public {
        (IQueryEngine.QueryRequest memory request, bytes memory signature, uint256[] memory ids) = _paidQuery(10);
        vm.prank(builder);
        engine.revokePermission(ids[0]);
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEnginePermissionNotUsable.selector, ids[0]));
        _settle(request, signature, ids, _noReads());
    }

    function test_settleQuery_revertsOnPermissionOfAnotherGrantee() public {
        uint256 permissionId = _grantPermission(otherBuilder, refinerId, 1, address(0));
        _depositNative(builder, 10);
        IQueryEngine.QueryRequest memory request = _queryRequest(builder, address(0), 10, 1);
        bytes memory signature = _signQuery(BUILDER_KEY, request);
        vm.expectRevert(
            abi.encodeWithSelector(IQueryEngine.QueryEnginePermissionNotForGrantee.selector, permissionId, builder)
        );
        _settle(request, signature, _uints(permissionId), _noReads());
    }

    function test_settleQuery_revertsOnPermissionInAnotherToken() public {
        uint256 permissionId = _grantPermission(builder, refinerId, 1, address(0));
        vm.prank(builder);
        engine.depositToken(address(payToken), 10);
        IQueryEngine.QueryRequest memory request = _queryRequest(builder, address(payToken), 10, 1);
        bytes memory signature = _signQuery(BUILDER_KEY, request);
        vm.expectRevert(
            abi.encodeWithSelector(IQueryEngine.QueryEngineWrongToken.selector, permissionId, address(payToken))
        );
        _settle(request, signature, _uints(permissionId), _noReads());
    }

    function test_settleQuery_revertsOnPriceAboveMax() public {
        uint256 first = _grantPermission(builder, refinerId, 3, address(0));
        uint256 second = _grantPermission(builder, refinerId, 4, address(0));
        _depositNative(builder, 100);
        IQueryEngine.QueryRequest memory request = _queryRequest(builder, address(0), 6, 1);
        bytes memory signature = _signQuery(BUILDER_KEY, request);
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEnginePriceAboveMax.selector, 7, 6));
        _settle(request, signature, _uints(first, second), _noReads());
        _settle(request, signature, _uints(second), _noReads()); // within the maximum
        vm.assertEq(engine.deposits(address(0), builder), 96, "charged 4");
    }

    function test_settleQuery_insufficientDepositChargesNothing() public {
        uint256 permissionId = _grantPermission(builder, refinerId, 1000, address(0));
        _depositNative(builder, 999);
        IQueryEngine.QueryRequest memory request = _queryRequest(builder, address(0), 1000, 1);
        bytes memory signature = _signQuery(BUILDER_KEY, request);
        bytes32 queryId = engine.queryDigest(request);
        IQueryEngine.Reads[] memory reads = _reads(refinerId, _uints(files[0]), _uints(1));
        vm.expectRevert(
            abi.encodeWithSelector(IQueryEngine.QueryEngineInsufficientDeposit.selector, address(0), 1000, 999)
        );
        _settle(request, signature, _uints(permissionId), reads);
        vm.assertEq(engine.deposits(address(0), builder), 999, "deposit untouched");
        vm.assertFalse(engine.settled(queryId), "not marked settled");
        vm.assertEq(engine.earnings(address(0), alice), 0, "nobody earned");
        vm.assertEq(engine.earnings(address(0), daoOwner), 0, "nobody earned");

        _depositNative(builder, 1); // the same signature works once the deposit suffices
        _settle(request, signature, _uints(permissionId), reads);
        vm.assertEq(engine.deposits(address(0), builder), 0, "charged");
    }

    function test_settleQuery_revertsForServiceNotRegisteredForTheDataDao() public {
        (IQueryEngine.QueryRequest memory request, bytes memory signature, uint256[] memory ids) = _paidQuery(10);
        vm.prank(daoOwner);
        refinerRegistry.removeRefinementService(dlpId, service);
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineNotService.selector, dlpId, service));
        _settle(request, signature, ids, _noReads());

        uint256 otherDlp = _createDataDaoOwnedBy(bob, "Other DAO");
        _addService(otherDlp, otherService); // serves another DataDAO only
        request.service = otherService;
        signature = _signQuery(BUILDER_KEY, request);
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineNotService.selector, dlpId, otherService));
        _settle(request, signature, ids, _noReads());
    }

    /// A root may name any file (it is the service's word), but a claim of a file the refiner never
    /// refined reads no owner from the DataRegistry and pays nobody.
    function test_claimReads_revertsOnAFileTheRefinerNeverRefined() public {
        uint256 validatedOnly = _validatedFileFor(bob, "ipfs://validated-only", SCORE_ONE, dlpId);
        uint256 unvalidated = _addFile(bob, "ipfs://unvalidated");
        IQueryEngine.Reads memory reads =
            IReadsLedger.Reads(refinerId, _uints(files[0], validatedOnly, unvalidated), _uints(1, 1, 1));
        bytes32 queryId = _settledOver(reads, 10);
        vm.expectRevert(
            abi.encodeWithSelector(IDataRegistry.DataRegistryNoRefinement.selector, validatedOnly, refinerId)
        );
        _claimLeaf(queryId, reads, 1);
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryNoRefinement.selector, unvalidated, refinerId));
        _claimLeaf(queryId, reads, 2);
        _claimLeaf(queryId, reads, 0);
        vm.assertEq(engine.earnings(address(0), bob), 0, "not refined, not paid");
    }

    function test_claimReads_revertsOnFileRefinedByAnotherRefiner() public {
        uint256 secondRefiner = _addRefiner(dlpId, schemaId);
        uint256 onlySecond = _validatedFileFor(bob, "ipfs://second", SCORE_ONE, dlpId);
        _refine(onlySecond, secondRefiner);
        IQueryEngine.Reads memory reads = IReadsLedger.Reads(refinerId, _uints(onlySecond), _uints(1));
        bytes32 queryId = _settledOver(reads, 10);
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryNoRefinement.selector, onlySecond, refinerId));
        _claimLeaf(queryId, reads, 0);
    }

    /// The leaf proved under one refiner's root, claimed as another refiner's, is not under that root.
    function test_claimReads_revertsForTheWrongRefiner() public {
        uint256 secondRefiner = _addRefiner(dlpId, schemaId);
        _refine(files[0], secondRefiner);
        IQueryEngine.Reads memory reads = IReadsLedger.Reads(refinerId, _uints(files[0], files[1]), _uints(1, 2));
        bytes32 queryId = _settledOver(reads, 1000);
        IQueryEngine.Reads memory wrong = IReadsLedger.Reads(secondRefiner, _uints(files[0]), _uints(1));
        vm.expectRevert(
            abi.encodeWithSelector(IQueryEngine.QueryEngineNoReadsCommitted.selector, queryId, secondRefiner)
        );
        _claimReads(queryId, wrong, _proofsOf(reads, 0));
    }

    function test_claimReads_revertsOnMismatchedArrays() public {
        IQueryEngine.Reads memory reads = IReadsLedger.Reads(refinerId, _uints(files[0], files[1]), _uints(1, 2));
        bytes32 queryId = _settledOver(reads, 10);
        bytes32[][] memory proofs = ReadsTree.proofs(reads);
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineMalformedReads.selector, refinerId));
        _claimReads(queryId, IReadsLedger.Reads(refinerId, _uints(files[0], files[1]), _uints(1)), proofs);
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineMalformedReads.selector, refinerId));
        _claimReads(queryId, reads, _proofsOf(reads, 0));
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineMalformedReads.selector, refinerId));
        _claimReads(queryId, IReadsLedger.Reads(refinerId, new uint256[](0), new uint256[](0)), new bytes32[][](0));
    }

    function test_claimReads_revertsOnZeroRowCount() public {
        IQueryEngine.Reads memory reads = IReadsLedger.Reads(refinerId, _uints(files[0], files[1]), _uints(5, 0));
        bytes32 queryId = _settledOver(reads, 10);
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineMalformedReads.selector, refinerId));
        _claimLeaf(queryId, reads, 1);
    }

    /// A leaf with more rows than the root holds for the file, or a file the root does not hold, is refused.
    function test_claimReads_revertsOnAForgedLeaf() public {
        IQueryEngine.Reads memory reads = IReadsLedger.Reads(refinerId, _uints(files[0], files[1]), _uints(1, 2));
        bytes32 queryId = _settledOver(reads, 1000);
        IQueryEngine.Reads memory inflated = IReadsLedger.Reads(refinerId, _uints(files[0]), _uints(2));
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineBadProof.selector, queryId, files[0]));
        _claimReads(queryId, inflated, _proofsOf(reads, 0));
        IQueryEngine.Reads memory absent = IReadsLedger.Reads(refinerId, _uints(files[2]), _uints(1));
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineBadProof.selector, queryId, files[2]));
        _claimReads(queryId, absent, _proofsOf(reads, 0));
        // An inner node of the tree passed off as a leaf: leaves are hashed twice, so it is no leaf.
        bytes32[][] memory empty = new bytes32[][](1);
        empty[0] = new bytes32[](0);
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineBadProof.selector, queryId, files[0]));
        _claimReads(queryId, IReadsLedger.Reads(refinerId, _uints(files[0]), _uints(1)), empty);
    }

    /// Anyone may send a claim, but the share goes to the file's owner: Mallory claiming Alice's leaf
    /// pays Alice, and then the leaf is spent.
    function test_claimReads_byAnotherPaysTheFilesOwner() public {
        IQueryEngine.Reads memory reads = IReadsLedger.Reads(refinerId, _uints(files[0], files[1]), _uints(1, 2));
        bytes32 queryId = _settledOver(reads, 1001);
        address mallory = vm.addr(0xBAD);
        vm.prank(mallory);
        uint256 amount = _claimReads(queryId, _leaf(reads, 0), _proofsOf(reads, 0));
        vm.assertEq(amount, 233, "1 row of 3 of 701");
        vm.assertEq(engine.earnings(address(0), alice), 233, "to the owner");
        vm.assertEq(engine.earnings(address(0), mallory), 0, "not to the caller");
        vm.assertTrue(engine.readClaimed(queryId, refinerId, files[0]), "spent");
        vm.assertFalse(engine.readClaimed(queryId, refinerId, files[1]), "not spent");
    }

    function test_claimReads_revertsOnADoubleClaim() public {
        IQueryEngine.Reads memory reads = IReadsLedger.Reads(refinerId, _uints(files[0], files[1]), _uints(1, 2));
        bytes32 queryId = _settledOver(reads, 1001);
        _claimLeaf(queryId, reads, 0);
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineReadAlreadyClaimed.selector, queryId, files[0]));
        _claimLeaf(queryId, reads, 0);
        // Nor twice in one call.
        IQueryEngine.Reads memory twice = IReadsLedger.Reads(refinerId, _uints(files[1], files[1]), _uints(2, 2));
        bytes32[][] memory proofs = new bytes32[][](2);
        proofs[0] = ReadsTree.proof(reads, 1);
        proofs[1] = ReadsTree.proof(reads, 1);
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineReadAlreadyClaimed.selector, queryId, files[1]));
        _claimReads(queryId, twice, proofs);
    }

    /// A root repeating a file under two row counts still pays the file once.
    function test_claimReads_aRootRepeatingAFilePaysItOnce() public {
        IQueryEngine.Reads memory reads = IReadsLedger.Reads(refinerId, _uints(files[0], files[0]), _uints(1, 3));
        bytes32 queryId = _settledOver(reads, 1000);
        _claimLeaf(queryId, reads, 1);
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineReadAlreadyClaimed.selector, queryId, files[0]));
        _claimLeaf(queryId, reads, 0);
    }

    /// A leaf of one query claimed against another query's root is not under it.
    function test_claimReads_revertsAgainstAnotherQuerysRoot() public {
        IQueryEngine.Reads memory first = IReadsLedger.Reads(refinerId, _uints(files[0], files[1]), _uints(1, 2));
        IQueryEngine.Reads memory second = IReadsLedger.Reads(refinerId, _uints(files[2], files[3]), _uints(4, 5));
        _settledOver(first, 1000);
        bytes32 secondId = _settledOverNonce(second, 1000, 2);
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineBadProof.selector, secondId, files[0]));
        _claimReads(secondId, _leaf(first, 0), _proofsOf(first, 0));
        vm.expectRevert(
            abi.encodeWithSelector(IQueryEngine.QueryEngineNoReadsCommitted.selector, bytes32(uint256(1)), refinerId)
        );
        _claimReads(bytes32(uint256(1)), _leaf(first, 0), _proofsOf(first, 0));
    }

    /// A root whose total understates its leaves' rows cannot pay out more than the contributors' cut:
    /// the claims that would go past the total are refused, and what was paid stays within the cut.
    function test_claimReads_aRootWhoseTotalLiesPaysAtMostTheCut() public {
        IQueryEngine.Reads memory reads = IReadsLedger.Reads(refinerId, _uints(files[0], files[1]), _uints(3, 3));
        IQueryEngine.ReadsRoot[] memory roots = new IQueryEngine.ReadsRoot[](1);
        roots[0] = IReadsLedger.ReadsRoot(refinerId, ReadsTree.root(reads), 4); // the leaves hold 6
        (IQueryEngine.QueryRequest memory request, bytes memory signature, uint256[] memory ids) = _paidQuery(1000);
        vm.prank(service);
        (bytes32 queryId,) = engine.settleQuery(request, signature, ids, roots, "");
        _claimLeaf(queryId, reads, 0); // 700 * 3 / 4 = 525
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineRowsAboveTotal.selector, 6, 4));
        _claimLeaf(queryId, reads, 1);
        IQueryEngine.Committed memory committed = engine.committedReads(queryId, refinerId);
        vm.assertEq(committed.paid, 525, "paid");
        vm.assertLe(committed.paid, committed.contributorsCut, "within the cut");
        vm.assertEq(engine.earnings(address(0), alice), 525, "alice");
        vm.assertEq(engine.earnings(address(0), bob), 0, "bob refused");
    }

    /// The claim that reaches the total rows hands what flooring left to the DataDAO, once.
    function test_claimReads_roundingDustGoesToTheDataDaoAtTheLastClaim() public {
        IQueryEngine.Reads memory reads =
            IReadsLedger.Reads(refinerId, _uints(files[0], files[1], files[2]), _uints(1, 1, 1));
        bytes32 queryId = _settledOver(reads, 1000); // contributors: 700, 233 each, 1 wei of dust
        vm.assertEq(engine.earnings(address(0), daoOwner), 200, "the DataDAO's share at settlement");
        _claimLeaf(queryId, reads, 2);
        _claimLeaf(queryId, reads, 0);
        vm.assertEq(engine.earnings(address(0), daoOwner), 200, "no dust before the last claim");
        vm.expectEmit(true, true, true, true, address(engine));
        emit IReadsLedger.Earned(queryId, daoOwner, address(0), 1);
        _claimLeaf(queryId, reads, 1);
        vm.assertEq(engine.earnings(address(0), daoOwner), 201, "the dust");
        IQueryEngine.Committed memory committed = engine.committedReads(queryId, refinerId);
        vm.assertEq(committed.paid, committed.contributorsCut, "the whole cut is out");
        vm.assertEq(committed.claimedRows, 3, "every row");
    }

    /// Whatever the rows and the order of claims, each leaf is paid floor(cut * rows / total), the
    /// claims never exceed the cut, and once all are claimed the cut is paid out exactly.
    function testFuzz_claimReads_paysExactSharesAndNeverMoreThanTheCut(uint256 price, uint256 rowSeed, uint256 order)
        public
    {
        price = _bound(price, 0, 1e30);
        uint256[] memory rows = _rows(CONTRIBUTORS, rowSeed);
        uint256[] memory fileIds = new uint256[](CONTRIBUTORS);
        for (uint256 i = 0; i < CONTRIBUTORS; i++) {
            fileIds[i] = files[i];
        }
        IQueryEngine.Reads memory reads = IReadsLedger.Reads(refinerId, fileIds, rows);
        vm.deal(builder, price);
        bytes32 queryId = _settledOver(reads, price);
        uint256 cut = _contributorsCut(price);
        uint256 total = ReadsTree.totalRows(reads);
        uint256 paid = 0;
        for (uint256 k = 0; k < CONTRIBUTORS; k++) {
            uint256 i = (k + order % CONTRIBUTORS) % CONTRIBUTORS;
            vm.assertEq(_claimLeaf(queryId, reads, i), Math.mulDiv(cut, rows[i], total), "the leaf's share");
            vm.assertEq(engine.earnings(address(0), contributors[i]), Math.mulDiv(cut, rows[i], total), "to its owner");
            paid += Math.mulDiv(cut, rows[i], total);
            vm.assertLe(paid, cut, "never above the cut");
        }
        vm.assertLt(cut - paid, CONTRIBUTORS, "dust below one wei per leaf");
        vm.assertEq(engine.committedReads(queryId, refinerId).paid, cut, "the cut is out: leaves and dust");
    }

    /// A file appearing in many queries is claimed in each of them.
    function test_claimReads_oneClaimPaysManyLeaves() public {
        IQueryEngine.Reads memory reads =
            IReadsLedger.Reads(refinerId, _uints(files[0], files[1], files[2]), _uints(1, 2, 3));
        bytes32 queryId = _settledOver(reads, 600);
        uint256 amount = _claimReads(queryId, reads, ReadsTree.proofs(reads));
        vm.assertEq(amount, 420 - 0, "the whole cut, no dust");
        vm.assertEq(engine.earnings(address(0), carol), 210, "3 of 6 rows");
    }

    function test_settleQuery_revertsOnUnsortedReads() public {
        uint256 secondRefiner = _addRefiner(dlpId, schemaId);
        _refine(files[2], secondRefiner);
        uint256 first = _grantPermission(builder, refinerId, 1, address(0));
        uint256 second = _grantPermission(builder, secondRefiner, 1, address(0));
        _depositNative(builder, 10);
        IQueryEngine.QueryRequest memory request = _queryRequest(builder, address(0), 10, 1);
        bytes memory signature = _signQuery(BUILDER_KEY, request);

        IQueryEngine.Reads[] memory reads = new IQueryEngine.Reads[](2);
        reads[0] = IReadsLedger.Reads(secondRefiner, _uints(files[2]), _uints(1));
        reads[1] = IReadsLedger.Reads(refinerId, _uints(files[0]), _uints(1));
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineMalformedReads.selector, refinerId));
        _settle(request, signature, _uints(first, second), reads);

        reads[0] = IReadsLedger.Reads(refinerId, _uints(files[1]), _uints(1)); // one refiner twice
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineMalformedReads.selector, refinerId));
        _settle(request, signature, _uints(first, second), reads);
    }

    /// Rows of a refiner no charged permission covers are refused, not recorded as read and paid to nobody.
    function test_settleQuery_revertsOnReadOfARefinerNoPermissionCovers() public {
        uint256 secondRefiner = _addRefiner(dlpId, schemaId);
        _refine(files[2], secondRefiner);
        (IQueryEngine.QueryRequest memory request, bytes memory signature, uint256[] memory ids) = _paidQuery(10);
        IQueryEngine.Reads[] memory reads = new IQueryEngine.Reads[](2);
        reads[0] = IReadsLedger.Reads(refinerId, _uints(files[0]), _uints(1));
        reads[1] = IReadsLedger.Reads(secondRefiner, _uints(files[2]), _uints(1));
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineMalformedReads.selector, secondRefiner));
        _settle(request, signature, ids, reads);
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineMalformedReads.selector, 0));
        _settle(request, signature, ids, _reads(0, _uints(files[0]), _uints(1)));
    }

    // =============================================================== settings

    function test_constructor_setsSharesAndLinks() public view {
        (uint256 bps, address receiver) = engine.protocolShare();
        vm.assertEq(bps, PROTOCOL_SHARE_BPS, "protocol share");
        vm.assertEq(receiver, treasury, "treasury");
        vm.assertEq(engine.dataDaoShare(dlpId), DATA_DAO_SHARE_BPS, "default DataDAO share");
        vm.assertEq(engine.dataDaoShare(42), DATA_DAO_SHARE_BPS, "default for any id");
        vm.assertEq(address(engine.refinerRegistry()), address(refinerRegistry), "refiner registry");
        vm.assertEq(address(engine.dataRegistry()), address(registry), "data registry");
        vm.assertEq(engine.owner(), address(this), "admin");
        vm.assertEq(engine.minGroupSize(dlpId), 0, "no minimum");
    }

    function test_constructor_revertsOnSharesAboveCapsOrZeroTreasury() public {
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineShareTooHigh.selector, 8_001, 8_000));
        new QueryEngine(address(this), refinerRegistry, registry, 1_000, treasury, 8_001);
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineShareTooHigh.selector, 2_001, 2_000));
        new QueryEngine(address(this), refinerRegistry, registry, 2_001, treasury, 2_000);
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineZeroAddress.selector));
        new QueryEngine(address(this), refinerRegistry, registry, 1_000, address(0), 2_000);
    }

    function test_setProtocolShare_adminOnlyAndCapped() public {
        vm.expectRevert(abi.encodeWithSignature("OwnableUnauthorizedAccount(address)", daoOwner));
        vm.prank(daoOwner);
        engine.setProtocolShare(0, daoOwner);
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineShareTooHigh.selector, 2_001, 2_000));
        engine.setProtocolShare(2_001, treasury);
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineZeroAddress.selector));
        engine.setProtocolShare(500, address(0));

        vm.expectEmit(false, false, false, true, address(engine));
        emit IQueryEngine.ProtocolShareUpdated(2_000, bob);
        engine.setProtocolShare(2_000, bob);
        (uint256 bps, address receiver) = engine.protocolShare();
        vm.assertEq(bps, 2_000, "at the cap");
        vm.assertEq(receiver, bob, "new treasury");
        engine.setProtocolShare(0, bob);
        (bps,) = engine.protocolShare();
        vm.assertEq(bps, 0, "zero allowed");
    }

    function test_setDataDaoShare_ownerOnlyAndCapped() public {
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineNotDataDaoOwner.selector, dlpId, address(this)));
        engine.setDataDaoShare(dlpId, 100); // not even the admin
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineShareTooHigh.selector, 8_001, 8_000));
        vm.prank(daoOwner);
        engine.setDataDaoShare(dlpId, 8_001);
        vm.expectRevert(abi.encodeWithSelector(IDataRefinerRegistry.DataRefinerRegistryUnknownDataDao.selector, 9));
        vm.prank(daoOwner);
        engine.setDataDaoShare(9, 100);

        vm.expectEmit(true, false, false, true, address(engine));
        emit IQueryEngine.DataDaoShareUpdated(dlpId, 8_000);
        vm.prank(daoOwner);
        engine.setDataDaoShare(dlpId, 8_000);
        vm.assertEq(engine.dataDaoShare(dlpId), 8_000, "at the cap");
        vm.prank(daoOwner);
        engine.setDataDaoShare(dlpId, 0);
        vm.assertEq(engine.dataDaoShare(dlpId), 0, "zero is a share, not the default");
    }

    function test_setDataDaoShare_isPerDataDao() public {
        uint256 otherDlp = _createDataDaoOwnedBy(bob, "Other DAO");
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineNotDataDaoOwner.selector, otherDlp, daoOwner));
        vm.prank(daoOwner);
        engine.setDataDaoShare(otherDlp, 100);
        vm.prank(daoOwner);
        engine.setDataDaoShare(dlpId, 100);
        vm.assertEq(engine.dataDaoShare(otherDlp), DATA_DAO_SHARE_BPS, "other keeps the default");
    }

    function test_setMinGroupSize_ownerOnly() public {
        vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEngineNotDataDaoOwner.selector, dlpId, bob));
        vm.prank(bob);
        engine.setMinGroupSize(dlpId, 5);
        vm.expectEmit(true, false, false, true, address(engine));
        emit IQueryEngine.MinGroupSizeUpdated(dlpId, 5);
        vm.prank(daoOwner);
        engine.setMinGroupSize(dlpId, 5);
        vm.assertEq(engine.minGroupSize(dlpId), 5, "set");
    }

    /// The digest is plain EIP-712 over the documented type, so wallets and the Java side can sign it.
    function test_queryDigest_isTheEip712Digest() public view {
        vm.assertEq(
            engine.QUERY_REQUEST_TYPEHASH(),
            keccak256(
                "QueryRequest(address grantee,address service,bytes32 sqlHash,address token,uint256 maxPrice,uint256 nonce,uint256 deadline)"
            ),
            "type hash"
        );
        IQueryEngine.QueryRequest memory request = _queryRequest(builder, address(payToken), 77, 3);
        bytes32 domainSeparator = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("DataCoop QueryEngine"),
                keccak256("1"),
                block.chainid,
                address(engine)
            )
        );
        bytes32 structHash = keccak256(
            abi.encode(
                engine.QUERY_REQUEST_TYPEHASH(),
                request.grantee,
                request.service,
                request.sqlHash,
                request.token,
                request.maxPrice,
                request.nonce,
                request.deadline
            )
        );
        vm.assertEq(
            engine.queryDigest(request), keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash)), "digest"
        );
        (, string memory name, string memory version, uint256 chainId, address verifyingContract,,) =
            engine.eip712Domain();
        vm.assertEq(name, "DataCoop QueryEngine", "name");
        vm.assertEq(version, "1", "version");
        vm.assertEq(chainId, block.chainid, "chain");
        vm.assertEq(verifyingContract, address(engine), "contract");
    }

    // =============================================================== fuzz

    /// Money in equals money out: the deposit drops by exactly the price, the earnings credited
    /// add up to it, and each contributor gets mulDiv(contributorsCut, rows, totalRows).
    function testFuzz_settleQuery_moneyInEqualsMoneyOut(
        uint256 price,
        uint256 protocolBps,
        uint256 daoBps,
        uint256 fileCount,
        uint256 rowSeed
    ) public {
        price = _bound(price, 0, 1e36);
        protocolBps = _bound(protocolBps, 0, engine.MAX_PROTOCOL_SHARE_BPS());
        daoBps = _bound(daoBps, 0, engine.MAX_DATA_DAO_SHARE_BPS());
        fileCount = _bound(fileCount, 0, CONTRIBUTORS);
        engine.setProtocolShare(protocolBps, treasury);
        vm.prank(daoOwner);
        engine.setDataDaoShare(dlpId, daoBps);
        uint256[] memory rows = _rows(fileCount, rowSeed);
        uint256[] memory readFiles = new uint256[](fileCount);
        for (uint256 i = 0; i < fileCount; i++) {
            readFiles[i] = files[i];
        }
        uint256 permissionId = _grantPermission(builder, refinerId, price, address(0));
        vm.deal(builder, price + 1 ether);
        _depositNative(builder, price + 1 ether);
        IQueryEngine.QueryRequest memory request = _queryRequest(builder, address(0), price, 1);
        bytes memory signature = _signQuery(BUILDER_KEY, request);
        IQueryEngine.Reads[] memory reads = fileCount == 0 ? _noReads() : _reads(refinerId, readFiles, rows);

        (, uint256 charged) = _settle(request, signature, _uints(permissionId), reads);

        vm.assertEq(charged, price, "charged the price");
        vm.assertEq(engine.deposits(address(0), builder), 1 ether, "deposit dropped by the price");
        vm.assertEq(address(engine).balance, price + 1 ether, "no coin left the engine");
        _assertSplit(price, protocolBps, daoBps, rows);
    }

    /// @dev Checks the earnings of one settled permission of `price` whose reads were `rows` of the
    ///      first files, all accounts having earned nothing before.
    function _assertSplit(uint256 price, uint256 protocolBps, uint256 daoBps, uint256[] memory rows) internal view {
        uint256 protocolCut = price * protocolBps / BPS;
        uint256 contributorsCut = price - protocolCut - price * daoBps / BPS;
        uint256 totalRows = 0;
        for (uint256 i = 0; i < rows.length; i++) {
            totalRows += rows[i];
        }
        uint256 credited = engine.earnings(address(0), treasury) + engine.earnings(address(0), daoOwner);
        for (uint256 i = 0; i < CONTRIBUTORS; i++) {
            uint256 earned = engine.earnings(address(0), contributors[i]);
            credited += earned;
            uint256 expected = i < rows.length ? Math.mulDiv(contributorsCut, rows[i], totalRows) : 0;
            vm.assertEq(earned, expected, "contributor paid pro rata to rows");
        }
        vm.assertEq(credited, price, "earnings credited add up to the price");
        vm.assertEq(engine.earnings(address(0), treasury), protocolCut, "protocol share");
        uint256 daoEarned = engine.earnings(address(0), daoOwner);
        uint256 daoShare = price - protocolCut - contributorsCut;
        vm.assertGe(daoEarned, daoShare, "DataDAO share at least");
        if (rows.length > 0) {
            vm.assertLt(daoEarned, daoShare + rows.length, "dust below one wei per file");
        } else {
            vm.assertEq(daoEarned, price - protocolCut, "no reads: the DataDAO gets the contributors' part");
        }
    }

    /// With several permissions in an ERC-20 each is split on its own and the totals still balance.
    function testFuzz_settleQuery_severalPermissionsAddUp(uint256 firstPrice, uint256 secondPrice, uint256 rowSeed)
        public
    {
        firstPrice = _bound(firstPrice, 0, 1e30);
        secondPrice = _bound(secondPrice, 0, 1e30);
        uint256 first = _grantPermission(builder, refinerId, firstPrice, address(payToken));
        uint256 second = _grantPermission(address(0), refinerId, secondPrice, address(payToken));
        payToken.mint(builder, firstPrice + secondPrice);
        vm.prank(builder);
        engine.depositToken(address(payToken), firstPrice + secondPrice);
        uint256[] memory rows = _rows(3, rowSeed);
        IQueryEngine.QueryRequest memory request =
            _queryRequest(builder, address(payToken), firstPrice + secondPrice, 1);
        bytes memory signature = _signQuery(BUILDER_KEY, request);
        _settle(
            request, signature, _uints(first, second), _reads(refinerId, _uints(files[0], files[1], files[2]), rows)
        );

        vm.assertEq(engine.deposits(address(payToken), builder), 0, "all charged");
        uint256 totalRows = rows[0] + rows[1] + rows[2];
        uint256 credited = engine.earnings(address(payToken), treasury) + engine.earnings(address(payToken), daoOwner);
        for (uint256 i = 0; i < 3; i++) {
            // Permissions on one refiner pool their contributors' cuts under one root.
            uint256 expected =
                Math.mulDiv(_contributorsCut(firstPrice) + _contributorsCut(secondPrice), rows[i], totalRows);
            vm.assertEq(engine.earnings(address(payToken), contributors[i]), expected, "pro rata to rows");
            credited += expected;
        }
        vm.assertEq(credited, firstPrice + secondPrice, "money in equals money out");
        vm.assertEq(payToken.balanceOf(address(engine)), firstPrice + secondPrice, "held until claimed");
    }

    /// A price above what the builder signed is never charged, whatever both are.
    function testFuzz_settleQuery_neverChargesAboveMaxPrice(uint256 price, uint256 maxPrice) public {
        price = _bound(price, 0, 1e30);
        maxPrice = _bound(maxPrice, 0, 1e30);
        uint256 permissionId = _grantPermission(builder, refinerId, price, address(0));
        vm.deal(builder, price);
        if (price > 0) _depositNative(builder, price);
        IQueryEngine.QueryRequest memory request = _queryRequest(builder, address(0), maxPrice, 1);
        bytes memory signature = _signQuery(BUILDER_KEY, request);
        if (price > maxPrice) {
            vm.expectRevert(abi.encodeWithSelector(IQueryEngine.QueryEnginePriceAboveMax.selector, price, maxPrice));
        }
        _settle(request, signature, _uints(permissionId), _noReads());
        vm.assertEq(engine.deposits(address(0), builder), price > maxPrice ? price : 0, "charged only within max");
    }

    /// Deposits and withdrawals move exactly the amounts asked, in the coin and in a token.
    function testFuzz_withdrawDeposit_movesExactAmounts(uint256 amount, uint256 withdrawn) public {
        amount = _bound(amount, 1, 1_000 ether);
        withdrawn = _bound(withdrawn, 1, amount);
        vm.deal(builder, amount);
        vm.startPrank(builder);
        engine.deposit{value: amount}();
        engine.depositToken(address(payToken), amount);
        engine.withdrawDeposit(address(0), withdrawn);
        engine.withdrawDeposit(address(payToken), withdrawn);
        vm.stopPrank();
        vm.assertEq(builder.balance, withdrawn, "coin back");
        vm.assertEq(address(engine).balance, amount - withdrawn, "coin kept");
        vm.assertEq(engine.deposits(address(0), builder), amount - withdrawn, "coin deposit");
        vm.assertEq(payToken.balanceOf(address(engine)), amount - withdrawn, "token kept");
        vm.assertEq(engine.deposits(address(payToken), builder), amount - withdrawn, "token deposit");
    }

    // =============================================================== helpers

    function _depositNative(address account, uint256 amount) internal {
        vm.prank(account);
        engine.deposit{value: amount}();
    }

    /// @dev A permission of `price` wei for the builder, a deposit covering it, and a signed request.
    function _paidQuery(uint256 price)
        internal
        returns (IQueryEngine.QueryRequest memory request, bytes memory signature, uint256[] memory permissionIds)
    {
        permissionIds = _uints(_grantPermission(builder, refinerId, price, address(0)));
        _depositNative(builder, price);
        request = _queryRequest(builder, address(0), price, 1);
        signature = _signQuery(BUILDER_KEY, request);
    }

    /// @dev A query of `price` wei (nonce 1) settled over `reads`, nothing claimed yet.
    function _settledOver(IQueryEngine.Reads memory reads, uint256 price) internal returns (bytes32) {
        return _settledOverNonce(reads, price, 1);
    }

    function _settledOverNonce(IQueryEngine.Reads memory reads, uint256 price, uint256 nonce)
        internal
        returns (bytes32 queryId)
    {
        uint256 permissionId = _grantPermission(builder, refinerId, price, address(0));
        if (price > 0) _depositNative(builder, price);
        IQueryEngine.QueryRequest memory request = _queryRequest(builder, address(0), price, nonce);
        IQueryEngine.Reads[] memory all = new IQueryEngine.Reads[](1);
        all[0] = reads;
        (queryId,) = _settleOnly(request, _signQuery(BUILDER_KEY, request), _uints(permissionId), all);
    }

    function _leaf(IQueryEngine.Reads memory reads, uint256 index) internal pure returns (IQueryEngine.Reads memory) {
        return IReadsLedger.Reads(reads.refinerId, _uints(reads.fileIds[index]), _uints(reads.rowCounts[index]));
    }

    function _proofsOf(IQueryEngine.Reads memory reads, uint256 index)
        internal
        pure
        returns (bytes32[][] memory proofs)
    {
        proofs = new bytes32[][](1);
        proofs[0] = ReadsTree.proof(reads, index);
    }

    /// @dev Claims leaf `index` of `reads`, as an outsider.
    function _claimLeaf(bytes32 queryId, IQueryEngine.Reads memory reads, uint256 index) internal returns (uint256) {
        vm.prank(address(0xC1A1));
        return _claimReads(queryId, _leaf(reads, index), _proofsOf(reads, index));
    }

    function _rows(uint256 count, uint256 seed) internal pure returns (uint256[] memory rows) {
        rows = new uint256[](count);
        for (uint256 i = 0; i < count; i++) {
            rows[i] = _bound(uint256(keccak256(abi.encode(seed, i))), 1, 1e18);
        }
    }

    function _contributorsCut(uint256 price) internal view returns (uint256) {
        (uint256 protocolBps,) = engine.protocolShare();
        return price - price * protocolBps / BPS - price * engine.dataDaoShare(dlpId) / BPS;
    }
}
