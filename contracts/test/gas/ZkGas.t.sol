// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../utils/Vm.sol";
import {DataCoopTest} from "../utils/DataCoopTest.sol";
import {DataCommitments} from "../../src/commitments/DataCommitments.sol";
import {IDataCommitments} from "../../src/interfaces/commitments/IDataCommitments.sol";
import {AggregateFixture8} from "../zk/AggregateFixture8.sol";
import {AggregateFixture32} from "../zk/AggregateFixture32.sol";
import {ClaimFixture32} from "../zk/ClaimFixture32.sol";

/// @notice Gas of verifying the aggregate circuits' proofs (the build's fixtures): each generated verifier
///         alone, `DataCommitments.verifyAggregate` (the verifier behind a read of the commitment), `recordClaim`
///         (the claim circuit's verifier and the claim's storage), and a refinement's `commit` of two columns. Recorded under the group `ZkGas` with `snapshotGasLastCall`;
///         with `FOUNDRY_PROFILE=gas` (`./coop bench zk` and `./coop bench gas` run it so) each call is its
///         own transaction, the 21,000 included.
contract ZkGasTest is DataCoopTest {
    string internal constant GROUP = "ZkGas";

    function test_verification() public {
        DataCommitments commitments = deployment.dataCommitments;
        uint256 refinerId = _addRefiner(dlpId, _addSchema());
        _addService(dlpId, service);
        uint256 fileId = _refinedFile(alice, "ipfs://a", refinerId);

        IDataCommitments.Column[] memory columns = new IDataCommitments.Column[](2);
        columns[0] = IDataCommitments.Column("daily_steps.steps", AggregateFixture8.publicSignals()[4], 7, 0);
        columns[1] = IDataCommitments.Column("daily_steps.distance_km", 1, 7, 3);
        vm.prank(service);
        commitments.commit(fileId, refinerId, columns);
        vm.snapshotGasLastCall(GROUP, "commit_2_columns");

        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c) = AggregateFixture8.proof();
        vm.assertTrue(commitments.aggregate8().verifyProof(a, b, c, AggregateFixture8.publicSignals()), "8 rows");
        vm.snapshotGasLastCall(GROUP, "verifyProof_8");
        commitments.verifyAggregate(fileId, refinerId, "daily_steps.steps",
            [a[0], a[1], b[0][0], b[0][1], b[1][0], b[1][1], c[0], c[1]], AggregateFixture8.publicSignals());
        vm.snapshotGasLastCall(GROUP, "verifyAggregate_8");

        (a, b, c) = ClaimFixture32.proof();
        commitments.recordClaim(fileId, refinerId, "daily_steps.steps", 7, 3,
            [a[0], a[1], b[0][0], b[0][1], b[1][0], b[1][1], c[0], c[1]]);
        vm.snapshotGasLastCall(GROUP, "recordClaim_32");

        (a, b, c) = AggregateFixture32.proof();
        vm.assertTrue(commitments.aggregate32().verifyProof(a, b, c, AggregateFixture32.publicSignals()), "32 rows");
        vm.snapshotGasLastCall(GROUP, "verifyProof_32");
    }
}
