// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../utils/Vm.sol";
import {DataCoopTest} from "../utils/DataCoopTest.sol";
import {DataCommitments, IAggregateVerifier} from "../../src/commitments/DataCommitments.sol";
import {IDataCommitments} from "../../src/interfaces/commitments/IDataCommitments.sol";
import {IDataRefinerRegistry} from "../../src/interfaces/IDataRefinerRegistry.sol";
import {AggregateVerifier8} from "../../src/zk/AggregateVerifier8.sol";
import {AggregateVerifier32} from "../../src/zk/AggregateVerifier32.sol";
import {AggregateFixture8} from "../zk/AggregateFixture8.sol";
import {AggregateFixture32} from "../zk/AggregateFixture32.sol";

/// @notice Commitments are written only by the refiner's DataDAO's service, after the refinement, once;
///         aggregate proofs verify only against the commitment recorded for the column they name.
///         The proofs are the build's fixtures: rows -5, 0, 6, 7, 7, 12, -1 at threshold 7.
contract DataCommitmentsTest is DataCoopTest {
    uint256 private constant FIELD =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;
    string private constant STEPS = "daily_steps.steps";

    DataCommitments private commitments;
    uint256 private refinerId;
    uint256 private fileId;

    function setUp() public override {
        super.setUp();
        commitments = new DataCommitments(
            registry,
            refinerRegistry,
            IAggregateVerifier(address(new AggregateVerifier8())),
            IAggregateVerifier(address(new AggregateVerifier32()))
        );
        refinerId = _addRefiner(dlpId, _addSchema());
        _addService(dlpId, service);
        fileId = _refinedFile(alice, "ipfs://a", refinerId);
    }

    function _fixtureColumn() private pure returns (IDataCommitments.Column[] memory columns) {
        columns = new IDataCommitments.Column[](1);
        columns[0] = IDataCommitments.Column(STEPS, AggregateFixture8.publicSignals()[4], 7, 0);
    }

    function _commitFixture() private {
        vm.prank(service);
        commitments.commit(fileId, refinerId, _fixtureColumn());
    }

    function _flat(uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c)
        private
        pure
        returns (uint256[8] memory)
    {
        return [a[0], a[1], b[0][0], b[0][1], b[1][0], b[1][1], c[0], c[1]];
    }

    function _fixtureProof() private pure returns (uint256[8] memory) {
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c) = AggregateFixture8.proof();
        return _flat(a, b, c);
    }

    // ---- commit

    function test_commit_recordsEachColumnOnce() public {
        IDataCommitments.Column[] memory columns = new IDataCommitments.Column[](2);
        columns[0] = IDataCommitments.Column(STEPS, 11, 30, 0);
        columns[1] = IDataCommitments.Column("daily_steps.distance_km", 22, 30, 3);
        vm.expectEmit(true, true, false, true, address(commitments));
        emit IDataCommitments.ColumnCommitted(fileId, refinerId, STEPS, 11, 30, 0, service);
        vm.prank(service);
        commitments.commit(fileId, refinerId, columns);

        IDataCommitments.Commitment memory steps = commitments.commitmentOf(fileId, refinerId, STEPS);
        vm.assertEq(steps.commitment, 11, "commitment");
        vm.assertEq(uint256(steps.rows), 30, "rows");
        vm.assertEq(uint256(steps.scale), 0, "scale");
        vm.assertEq(steps.service, service, "service");
        vm.assertEq(uint256(steps.committedAt), block.timestamp, "time");
        vm.assertEq(uint256(commitments.commitmentOf(fileId, refinerId, "daily_steps.distance_km").scale), 3, "scale");
        string[] memory listed = commitments.columnsOf(fileId, refinerId);
        vm.assertEq(listed.length, 2, "listed");
        vm.assertEq(listed[1], "daily_steps.distance_km", "in order");
        vm.assertTrue(commitments.isCommitted(fileId, refinerId), "the refinement is committed");
    }

    function test_commit_refusesAStranger() public {
        vm.expectRevert(abi.encodeWithSelector(IDataCommitments.DataCommitmentsNotService.selector, dlpId, bob));
        vm.prank(bob);
        commitments.commit(fileId, refinerId, _fixtureColumn());
    }

    function test_commit_refusesTheServiceOfAnotherDataDao() public {
        uint256 otherDlp = _createDataDaoOwnedBy(daoOwner, "other");
        _addService(otherDlp, bob);
        vm.expectRevert(abi.encodeWithSelector(IDataCommitments.DataCommitmentsNotService.selector, dlpId, bob));
        vm.prank(bob);
        commitments.commit(fileId, refinerId, _fixtureColumn());
    }

    function test_commit_refusesAFileNotRefined() public {
        uint256 unrefined = _validatedFileFor(bob, "ipfs://b", SCORE_ONE, dlpId);
        vm.expectRevert(
            abi.encodeWithSelector(IDataCommitments.DataCommitmentsNoRefinement.selector, unrefined, refinerId)
        );
        vm.prank(service);
        commitments.commit(unrefined, refinerId, _fixtureColumn());
    }

    function test_commit_refusesAnUnknownRefiner() public {
        vm.expectRevert(
            abi.encodeWithSelector(IDataRefinerRegistry.DataRefinerRegistryUnknownRefiner.selector, refinerId + 1)
        );
        vm.prank(service);
        commitments.commit(fileId, refinerId + 1, _fixtureColumn());
    }

    function test_commit_neverReplacesACommitment() public {
        _commitFixture();
        IDataCommitments.Column[] memory again = _fixtureColumn();
        again[0].commitment = 5;
        vm.expectRevert(
            abi.encodeWithSelector(IDataCommitments.DataCommitmentsRefinementCommitted.selector, fileId, refinerId)
        );
        vm.prank(service);
        commitments.commit(fileId, refinerId, again);
        vm.assertEq(
            commitments.commitmentOf(fileId, refinerId, STEPS).commitment, AggregateFixture8.publicSignals()[4], "kept"
        );
    }

    function test_commit_ofNoColumnsMarksTheRefinementDone() public {
        vm.assertFalse(commitments.isCommitted(fileId, refinerId), "not yet");
        vm.expectEmit(true, true, false, true, address(commitments));
        emit IDataCommitments.RefinementCommitted(fileId, refinerId, 0);
        vm.prank(service);
        commitments.commit(fileId, refinerId, new IDataCommitments.Column[](0));
        vm.assertTrue(commitments.isCommitted(fileId, refinerId), "done");
        vm.assertEq(commitments.columnsOf(fileId, refinerId).length, 0, "no columns");
        vm.expectRevert(
            abi.encodeWithSelector(IDataCommitments.DataCommitmentsRefinementCommitted.selector, fileId, refinerId)
        );
        vm.prank(service);
        commitments.commit(fileId, refinerId, _fixtureColumn());
    }

    function test_commit_refusesTheSameColumnTwiceInOneCall() public {
        IDataCommitments.Column[] memory twice = new IDataCommitments.Column[](2);
        twice[0] = IDataCommitments.Column(STEPS, 1, 1, 0);
        twice[1] = IDataCommitments.Column(STEPS, 2, 1, 0);
        vm.expectRevert(
            abi.encodeWithSelector(IDataCommitments.DataCommitmentsAlreadyCommitted.selector, fileId, refinerId, STEPS)
        );
        vm.prank(service);
        commitments.commit(fileId, refinerId, twice);
    }

    function test_commit_refusesAnUnnamedColumn() public {
        IDataCommitments.Column[] memory unnamed = _fixtureColumn();
        unnamed[0].name = "";
        vm.expectRevert(abi.encodeWithSelector(IDataCommitments.DataCommitmentsEmptyColumnName.selector));
        vm.prank(service);
        commitments.commit(fileId, refinerId, unnamed);
    }

    function testFuzz_commit_refusesAnythingOutsideTheField(uint256 value) public {
        value = _bound(value, FIELD, type(uint256).max);
        IDataCommitments.Column[] memory columns = _fixtureColumn();
        columns[0].commitment = value;
        vm.expectRevert(
            abi.encodeWithSelector(IDataCommitments.DataCommitmentsNotAFieldElement.selector, STEPS, value)
        );
        vm.prank(service);
        commitments.commit(fileId, refinerId, columns);
    }

    function testFuzz_commit_onlyTheServiceWrites(address caller) public {
        if (caller == service) return;
        vm.expectRevert(abi.encodeWithSelector(IDataCommitments.DataCommitmentsNotService.selector, dlpId, caller));
        vm.prank(caller);
        commitments.commit(fileId, refinerId, _fixtureColumn());
    }

    function test_commitmentOf_namesAnUnknownColumn() public {
        vm.expectRevert(
            abi.encodeWithSelector(IDataCommitments.DataCommitmentsUnknown.selector, fileId, refinerId, STEPS)
        );
        commitments.commitmentOf(fileId, refinerId, STEPS);
    }

    // ---- circuitFor

    function testFuzz_circuitFor_theSmallestThatHolds(uint256 rows) public view {
        rows = _bound(rows, 0, 32);
        vm.assertEq(commitments.circuitFor(rows), rows <= 8 ? 8 : 32, "circuit");
    }

    function test_circuitFor_refusesMoreRowsThanAnyCircuit() public {
        vm.expectRevert(abi.encodeWithSelector(IDataCommitments.DataCommitmentsTooManyRows.selector, 33, 32));
        commitments.circuitFor(33);
    }

    // ---- verifyAggregate

    function test_verifyAggregate_returnsWhatTheProofEstablishes() public {
        _commitFixture();
        IDataCommitments.Aggregate memory aggregate = commitments.verifyAggregate(
            fileId, refinerId, STEPS, _fixtureProof(), AggregateFixture8.publicSignals()
        );
        vm.assertEq(aggregate.count, 7, "count");
        vm.assertTrue(aggregate.sum == 26, "sum");
        vm.assertEq(aggregate.countAtLeast, 3, "count >= 7");
        vm.assertTrue(aggregate.sumAtLeast == 26, "sum >= 7");
        vm.assertTrue(aggregate.threshold == 7, "threshold");
    }

    function test_verifyAggregate_refusesAProofOfAnotherCommitment() public {
        IDataCommitments.Column[] memory other = _fixtureColumn();
        other[0].commitment = 12345;
        vm.prank(service);
        commitments.commit(fileId, refinerId, other);
        vm.expectRevert(
            abi.encodeWithSelector(
                IDataCommitments.DataCommitmentsSignalMismatch.selector, 4, 12345, AggregateFixture8.publicSignals()[4]
            )
        );
        commitments.verifyAggregate(fileId, refinerId, STEPS, _fixtureProof(), AggregateFixture8.publicSignals());
    }

    function test_verifyAggregate_refusesEachChangedResult() public {
        _commitFixture();
        uint256[8] memory proof = _fixtureProof();
        uint256[4] memory results = [uint256(1), 2, 3, 5];
        for (uint256 r = 0; r < results.length; r++) {
            uint256[6] memory signals = AggregateFixture8.publicSignals();
            signals[results[r]] += 1;
            vm.expectRevert(
                abi.encodeWithSelector(IDataCommitments.DataCommitmentsInvalidProof.selector, fileId, refinerId, STEPS)
            );
            commitments.verifyAggregate(fileId, refinerId, STEPS, proof, signals);
        }
    }

    function test_verifyAggregate_refusesAClaimedRowCountTheCommitmentDoesNotHold() public {
        _commitFixture();
        uint256[6] memory signals = AggregateFixture8.publicSignals();
        signals[0] = 30;
        vm.expectRevert(abi.encodeWithSelector(IDataCommitments.DataCommitmentsSignalMismatch.selector, 0, 7, 30));
        commitments.verifyAggregate(fileId, refinerId, STEPS, _fixtureProof(), signals);
    }

    function test_verifyAggregate_refusesATamperedProofAndTheLargerCircuitsProof() public {
        _commitFixture();
        uint256[8] memory proof = _fixtureProof();
        proof[7] += 1;
        vm.expectRevert(
            abi.encodeWithSelector(IDataCommitments.DataCommitmentsInvalidProof.selector, fileId, refinerId, STEPS)
        );
        commitments.verifyAggregate(fileId, refinerId, STEPS, proof, AggregateFixture8.publicSignals());

        // Seven rows are opened by the 8-row circuit's key: a proof under the 32-row key does not pass it.
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c) = AggregateFixture32.proof();
        vm.expectRevert(
            abi.encodeWithSelector(IDataCommitments.DataCommitmentsInvalidProof.selector, fileId, refinerId, STEPS)
        );
        commitments.verifyAggregate(fileId, refinerId, STEPS, _flat(a, b, c), AggregateFixture32.publicSignals());
    }

    function test_verifyAggregate_refusesAnUncommittedColumn() public {
        vm.expectRevert(
            abi.encodeWithSelector(IDataCommitments.DataCommitmentsUnknown.selector, fileId, refinerId, STEPS)
        );
        commitments.verifyAggregate(fileId, refinerId, STEPS, _fixtureProof(), AggregateFixture8.publicSignals());
    }
}
