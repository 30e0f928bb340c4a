// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../utils/Vm.sol";
import {DataCoopTest} from "../utils/DataCoopTest.sol";
import {TestToken} from "../utils/TestToken.sol";
import {QueryHandler} from "./QueryHandler.sol";
import {ITeePool} from "../../src/interfaces/ITeePool.sol";
import {IQueryEngine} from "../../src/interfaces/IQueryEngine.sol";

/// @notice Whatever order builders, services, DataDAO owners and payees act in, the query market
///         holds exactly what it owes, pays only the owners of rows that were read, and charges each
///         signed query at most once.
contract QueryInvariantsTest is DataCoopTest {
    /// forge reads the selectors to fuzz from this shape.
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    uint256 internal constant OTHER_BUILDER_KEY = 0xB17E;

    QueryHandler internal handler;
    TestToken internal payToken;
    address internal otherOwner = vm.addr(0xD2D2);
    /// Owns a file validated for the DataDAO that no refiner refined.
    address internal validatedOnly = vm.addr(0x0FF1);
    /// Owns nothing at all.
    address internal nobody = vm.addr(0x0FF2);

    function setUp() public override {
        super.setUp();
        uint256 otherDlp = _createDataDaoOwnedBy(otherOwner, "Other DAO");
        uint256 schemaId = _addSchema();
        uint256 first = _addRefiner(dlpId, schemaId);
        uint256 second = _addRefiner(otherDlp, schemaId);
        _addService(dlpId, service);
        _addService(otherDlp, service);

        address[] memory contributors = new address[](4);
        for (uint256 i = 0; i < 4; i++) {
            contributors[i] = vm.addr(0xC1 + i);
        }
        _refinedFile(contributors[0], "ipfs://c0", first);
        _refinedFile(contributors[1], "ipfs://c1", first);
        _refinedFile(contributors[2], "ipfs://c2", second);
        uint256 shared = _refinedFile(contributors[3], "ipfs://c3", first); // refined by both DataDAOs
        _proveFor(shared, otherDlp);
        _refine(shared, second);
        _refinedFile(contributors[0], "ipfs://c0-second", second);
        uint256 unrefined = _validatedFileFor(validatedOnly, "ipfs://validated-only", SCORE_ONE, dlpId);
        _validatedFileFor(contributors[1], "ipfs://c1-zero", 0, dlpId); // rejected: never refinable

        payToken = new TestToken("USD", 0);
        uint256[] memory permissionIds = new uint256[](4);
        permissionIds[0] = _grantPermission(address(0), first, 1001, address(0));
        permissionIds[1] = _grantPermission(address(0), second, 0.3 ether + 7, address(0));
        permissionIds[2] = _grantPermission(address(0), first, 5e18 + 3, address(payToken));
        permissionIds[3] = _grantPermission(address(0), second, 999, address(payToken));

        uint256[] memory builderKeys = new uint256[](2);
        builderKeys[0] = BUILDER_KEY;
        builderKeys[1] = OTHER_BUILDER_KEY;
        address[] memory others = new address[](10);
        for (uint256 i = 0; i < 4; i++) {
            others[i] = contributors[i];
        }
        others[4] = validatedOnly;
        others[5] = nobody;
        others[6] = treasury;
        others[7] = daoOwner;
        others[8] = otherOwner;
        others[9] = service;
        uint256[] memory refinerIds = new uint256[](2);
        refinerIds[0] = first;
        refinerIds[1] = second;
        handler = new QueryHandler(
            engine, payToken, service, address(this), unrefined, builderKeys, others, refinerIds, permissionIds
        );
    }

    /// @dev forge fuzzes only the handler's actions.
    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function targetSelectors() public view returns (FuzzSelector[] memory targets) {
        bytes4[] memory selectors = new bytes4[](10);
        selectors[0] = QueryHandler.deposit.selector;
        selectors[1] = QueryHandler.depositToken.selector;
        selectors[2] = QueryHandler.withdraw.selector;
        selectors[3] = QueryHandler.settle.selector;
        selectors[4] = QueryHandler.replay.selector;
        selectors[5] = QueryHandler.settleLyingRoot.selector;
        selectors[6] = QueryHandler.claim.selector;
        selectors[7] = QueryHandler.addPermission.selector;
        selectors[8] = QueryHandler.setShares.selector;
        selectors[9] = QueryHandler.claimLeaf.selector;
        targets = new FuzzSelector[](1);
        targets[0] = FuzzSelector(address(handler), selectors);
    }

    /// (a) The engine holds exactly every deposit plus every unclaimed earning plus every contributors'
    /// cut not yet claimed against its root, in the native coin and in the ERC-20, and that equals
    /// what came in minus what went out.
    function invariant_moneyIsConserved() public view {
        address[] memory tokens = handler.allTokens();
        address[] memory accounts = handler.allAccounts();
        for (uint256 t = 0; t < tokens.length; t++) {
            address token = tokens[t];
            uint256 held = token == address(0) ? address(engine).balance : payToken.balanceOf(address(engine));
            uint256 deposits;
            uint256 earnings;
            for (uint256 i = 0; i < accounts.length; i++) {
                deposits += engine.deposits(token, accounts[i]);
                earnings += engine.earnings(token, accounts[i]);
            }
            uint256 unclaimedCuts = _unclaimedCuts(token);
            vm.assertEq(held, deposits + earnings + unclaimedCuts, "balance = deposits + earnings + unclaimed cuts");
            vm.assertEq(
                held, handler.deposited(token) - handler.withdrawn(token) - handler.claimed(token), "balance = in - out"
            );
            vm.assertEq(
                deposits,
                handler.deposited(token) - handler.withdrawn(token) - handler.charged(token),
                "deposits = deposited - withdrawn - charged"
            );
            vm.assertEq(
                earnings + unclaimedCuts,
                handler.charged(token) - handler.claimed(token),
                "earnings = charged - claimed"
            );
        }
    }

    /// (b) Only the treasury, a DataDAO's owner, or the owner of a refined file some settled query
    /// read has ever earned; the owner of a validated but unrefined file and someone owning nothing
    /// never do.
    function invariant_onlyContributorsArePaid() public view {
        vm.assertEq(handler.unrefinedReadsAccepted(), 0, "a read of an unrefined file never settles");
        address[] memory tokens = handler.allTokens();
        address[] memory accounts = handler.allAccounts();
        for (uint256 t = 0; t < tokens.length; t++) {
            address token = tokens[t];
            for (uint256 i = 0; i < accounts.length; i++) {
                address account = accounts[i];
                bool paid = engine.earnings(token, account) > 0 || handler.claimedBy(token, account) > 0;
                if (!paid) continue;
                bool entitled =
                    account == treasury || account == daoOwner || account == otherOwner || handler.wasRead(account);
                vm.assertTrue(entitled, "paid without contributing read rows");
            }
            vm.assertEq(engine.earnings(token, validatedOnly), 0, "validated but unrefined earns nothing");
            vm.assertEq(handler.claimedBy(token, validatedOnly), 0, "validated but unrefined claimed nothing");
            vm.assertEq(engine.earnings(token, nobody), 0, "nobody earns nothing");
            vm.assertEq(handler.claimedBy(token, nobody), 0, "nobody claimed nothing");
        }
    }

    /// (d) However a root lies about its total rows, and whoever claims its leaves, forged or twice,
    /// what its leaves were paid never exceeds its contributors' cut, nor its claimed rows its total.
    function invariant_claimsNeverExceedTheCut() public view {
        vm.assertEq(handler.forgedLeavesAccepted(), 0, "no forged leaf is paid");
        vm.assertEq(handler.doubleClaimsAccepted(), 0, "no leaf is paid twice");
        for (uint256 i = 0; i < handler.committedCount(); i++) {
            IQueryEngine.Committed memory committed =
                engine.committedReads(handler.committedQueries(i), handler.committedRefiners(i));
            vm.assertLe(committed.paid, committed.contributorsCut, "paid at most the cut");
            vm.assertLe(committed.claimedRows, committed.totalRows, "claimed at most the total rows");
        }
    }

    /// (c) Each query id is settled at most once, and the engine remembers each.
    function invariant_eachQuerySettledOnce() public view {
        vm.assertEq(handler.replaysAccepted(), 0, "no replay settles");
        for (uint256 i = 0; i < handler.queryIdsCount(); i++) {
            bytes32 queryId = handler.queryIds(i);
            vm.assertEq(handler.settleCount(queryId), 1, "settled exactly once");
            vm.assertTrue(engine.settled(queryId), "marked settled");
        }
    }

    /// @dev What of every committed contributors' cut in `token` is not yet paid to anyone.
    function _unclaimedCuts(address token) internal view returns (uint256 unclaimed) {
        for (uint256 i = 0; i < handler.committedCount(); i++) {
            IQueryEngine.Committed memory committed =
                engine.committedReads(handler.committedQueries(i), handler.committedRefiners(i));
            if (committed.token == token) unclaimed += committed.contributorsCut - committed.paid;
        }
    }

    /// @dev A second proof of `fileId`, for DataDAO `forDlp`.
    function _proveFor(uint256 fileId, uint256 forDlp) internal {
        address owner = registry.fileRecords(fileId).ownerAddress;
        vm.deal(owner, owner.balance + TEE_FEE);
        vm.prank(owner);
        uint256 jobId = pool.requestContributionProof{value: TEE_FEE}(fileId, forDlp);
        ITeePool.ProofData memory data = _proofData(SCORE_ONE, forDlp);
        bytes memory signature = _signProof(TEE_KEY, jobId, data);
        vm.prank(tee);
        pool.addProof(jobId, data, signature);
    }
}
