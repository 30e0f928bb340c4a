// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../utils/Vm.sol";
import {DataCoopTest} from "../utils/DataCoopTest.sol";
import {ReadsTree} from "../utils/ReadsTree.sol";
import {IQueryEngine} from "../../src/interfaces/IQueryEngine.sol";
import {IReadsLedger} from "../../src/interfaces/IReadsLedger.sol";

/// @notice The gas of settling a paid query over 1, 100 and 10,000 files read, and of claiming leaves
///         of the 10,000-file root. Settling commits one root per refiner, so its gas must not grow
///         with the files read; each figure is logged (`forge test --match-path test/gas/* -vv`) and
///         recorded in the group `SettlementGas` (`./coop bench gas` prints them).
///         The figures are the calls' execution gas, without the transaction's 21,000 and calldata.
contract SettlementGasTest is DataCoopTest {
    event log_named_uint(string key, uint256 val);

    /// Settling over one file must cost within this of settling over 10,000: only the total rows'
    /// calldata bytes differ.
    uint256 internal constant FLAT = 200;

    uint256 internal refinerId;
    uint256 internal permissionId;
    /// Real refined files, owned by alice and bob; the rest of each root's leaves are other ids.
    uint256[] internal refined;

    function setUp() public override {
        super.setUp();
        refinerId = _addRefiner(dlpId, _addSchema());
        _addService(dlpId, service);
        refined.push(_refinedFile(alice, "ipfs://alice", refinerId));
        refined.push(_refinedFile(bob, "ipfs://bob", refinerId));
        permissionId = _grantPermission(address(0), refinerId, 1 ether, address(0));
        vm.deal(builder, 10 ether);
        vm.prank(builder);
        engine.deposit{value: 10 ether}();
    }

    function test_settle_1() public {
        _record("settle_1", "settleQuery, 1 file read", _settleGas(_reads(1), 1));
    }

    function test_settle_100() public {
        _record("settle_100", "settleQuery, 100 files read", _settleGas(_reads(100), 1));
    }

    function test_settle_10000() public {
        _record("settle_10000", "settleQuery, 10,000 files read", _settleGas(_reads(10_000), 1));
    }

    function test_settle_gasDoesNotGrowWithFilesRead() public {
        uint256 fresh = vm.snapshotState();
        uint256 one = _settleGas(_reads(1), 1);
        vm.revertToState(fresh);
        uint256 many = _settleGas(_reads(10_000), 1);
        vm.assertLe(many, one + FLAT, "10,000 files settle for what one does");
        vm.assertLe(one, many + FLAT, "and one for what 10,000 do");
    }

    /// One leaf of the 10,000-file root (a 14-hash proof), then a second leaf in another claim.
    function test_claim_1() public {
        IQueryEngine.Reads memory reads = _reads(10_000);
        bytes32 queryId = _settle(reads, 1);
        _record("claim_first_leaf", "claimReads, first leaf of 10,000", _claimGas(queryId, reads, 0));
        _record("claim_another_leaf", "claimReads, another leaf of 10,000", _claimGas(queryId, reads, 1));
    }

    function _settleGas(IQueryEngine.Reads memory reads, uint256 nonce) internal returns (uint256 used) {
        IQueryEngine.QueryRequest memory request = _queryRequest(builder, address(0), 1 ether, nonce);
        bytes memory signature = _signQuery(BUILDER_KEY, request);
        IQueryEngine.ReadsRoot[] memory roots = new IQueryEngine.ReadsRoot[](1);
        roots[0] = IReadsLedger.ReadsRoot(refinerId, ReadsTree.root(reads), ReadsTree.totalRows(reads));
        string memory url =
            "http://127.0.0.1:8545/blobs/2f8a6c0e1d9b7a5c3e1f0d2b4a6c8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d";
        // Encoded first, so that the caller's memory (large after a 10,000-leaf tree) is not counted.
        bytes memory call = abi.encodeCall(engine.settleQuery, (request, signature, _uints(permissionId), roots, url));
        vm.prank(service);
        used = _gasOf(call);
    }

    function _settle(IQueryEngine.Reads memory reads, uint256 nonce) internal returns (bytes32 queryId) {
        IQueryEngine.QueryRequest memory request = _queryRequest(builder, address(0), 1 ether, nonce);
        IQueryEngine.Reads[] memory all = new IQueryEngine.Reads[](1);
        all[0] = reads;
        (queryId,) = _settleOnly(request, _signQuery(BUILDER_KEY, request), _uints(permissionId), all);
    }

    function _claimGas(bytes32 queryId, IQueryEngine.Reads memory reads, uint256 index)
        internal
        returns (uint256 used)
    {
        IQueryEngine.Reads memory one = IReadsLedger.Reads(
            refinerId, _uints(reads.fileIds[index]), _uints(reads.rowCounts[index])
        );
        bytes32[] memory proof = ReadsTree.proof(reads, index);
        bytes memory call = abi.encodeCall(engine.claimReads, (queryId, one, proof, _uints(proof.length)));
        used = _gasOf(call);
    }

    /// @dev `count` leaves: the refined files first, then ids standing for other files, rows 1 to 7.
    function _reads(uint256 count) internal view returns (IQueryEngine.Reads memory reads) {
        uint256[] memory fileIds = new uint256[](count);
        uint256[] memory rowCounts = new uint256[](count);
        for (uint256 i = 0; i < count; i++) {
            fileIds[i] = i < refined.length ? refined[i] : 1_000_000 + i;
            rowCounts[i] = 1 + i % 7;
        }
        reads = IReadsLedger.Reads(refinerId, fileIds, rowCounts);
    }

    /// @dev The gas of calling the engine with `data`, copying nothing back into this test's memory,
    ///      which is large after a 10,000-leaf tree and would charge its expansion to the figure.
    function _gasOf(bytes memory data) internal returns (uint256 used) {
        address target = address(engine);
        bool success;
        assembly ("memory-safe") {
            used := gas()
            success := call(gas(), target, 0, add(data, 32), mload(data), 0, 0)
            used := sub(used, gas())
        }
        vm.assertTrue(success, "the call succeeded");
    }

    function _record(string memory name, string memory what, uint256 gas) internal {
        emit log_named_uint(what, gas);
        vm.snapshotValue("SettlementGas", name, gas);
    }
}
