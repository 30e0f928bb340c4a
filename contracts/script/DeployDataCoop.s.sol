// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../test/utils/Vm.sol";
import {DataRegistry} from "../src/DataRegistry.sol";
import {TeePool} from "../src/TeePool.sol";
import {DataLiquidityPoolRegistry} from "../src/DataLiquidityPoolRegistry.sol";
import {DataRefinerRegistry} from "../src/DataRefinerRegistry.sol";
import {DataAnchoringToken} from "../src/dat/DataAnchoringToken.sol";
import {QueryEngine} from "../src/QueryEngine.sol";
import {ExecutionRecord} from "../src/compute/ExecutionRecord.sol";
import {Settlement} from "../src/compute/Settlement.sol";
import {TaskCoordinator} from "../src/compute/TaskCoordinator.sol";
import {Verifier} from "../src/compute/Verifier.sol";
import {ChallengerRegistry} from "../src/compute/optimistic/ChallengerRegistry.sol";
import {DisputeGame} from "../src/compute/optimistic/DisputeGame.sol";
import {IDisputeGame} from "../src/interfaces/compute/IDisputeGame.sol";
import {OwnershipRegistry} from "../src/ownership/OwnershipRegistry.sol";

/// @notice Deploys the contracts in the order their links need: the registry, the Data Anchoring
///         Token, the DataDAO registry (whose pools the token lets mint), the validator pool, the refiner registry and the query engine, then the
///         registry learns its pool and its refiner registry; then the compute contracts: the
///         execution record, the settlement, the task coordinator, the challenger registry, the
///         dispute game and the verifier; the record, the settlement and the game learn their
///         coordinator and verifier, and the registry its game. The Java
///         deployer (`coop up`) follows the same order; forge users run
///         `forge script script/DeployDataCoop.s.sol --rpc-url URL --private-key KEY --broadcast`.
library DataCoopDeployment {
    struct Contracts {
        DataRegistry dataRegistry;
        DataAnchoringToken dataAnchoringToken;
        DataLiquidityPoolRegistry dlpRegistry;
        TeePool teePool;
        DataRefinerRegistry refinerRegistry;
        QueryEngine queryEngine;
        ExecutionRecord executionRecord;
        Settlement settlement;
        TaskCoordinator taskCoordinator;
        Verifier verifier;
        ChallengerRegistry challengerRegistry;
        DisputeGame disputeGame;
        OwnershipRegistry ownershipRegistry;
    }

    uint256 internal constant DEFAULT_TEE_FEE = 0.01 ether;
    uint256 internal constant DEFAULT_CANCEL_DELAY = 1 hours;
    uint256 internal constant DEFAULT_PROTOCOL_SHARE_BPS = 1_000;
    uint256 internal constant DEFAULT_DATA_DAO_SHARE_BPS = 2_000;
    uint256 internal constant DEFAULT_CHALLENGER_BOND = 0.1 ether;

    /// @notice The optimistic mode's defaults: a 16-block window (the seed's 12 to 24), 16 blocks a
    ///         move, 32 for the referees, a 0.1 ether worker bond, a fifth of a lost bond burnt and a
    ///         tenth paid to the referees, two of whom decide a step.
    function defaultGameConfig() internal pure returns (IDisputeGame.Config memory) {
        return IDisputeGame.Config({
            challengeWindow: 16,
            moveBlocks: 16,
            stepBlocks: 32,
            workerBond: 0.1 ether,
            burnBps: 2_000,
            refereeBps: 1_000,
            quorum: 2
        });
    }

    /// @param admin owns the registry, the Data Anchoring Token and the query engine, holds the pool's admin and maintainer roles,
    ///        and receives the protocol's share of query payments; must be the caller
    function deploy(address admin, uint256 teeFee, uint256 cancelDelay) internal returns (Contracts memory c) {
        c.dataRegistry = new DataRegistry(admin);
        c.dataAnchoringToken = new DataAnchoringToken(admin);
        c.dlpRegistry = new DataLiquidityPoolRegistry(c.dataRegistry, c.dataAnchoringToken);
        c.dataAnchoringToken.setPoolRegistry(c.dlpRegistry);
        c.teePool = new TeePool(admin, c.dataRegistry, c.dlpRegistry, teeFee, cancelDelay);
        c.refinerRegistry = new DataRefinerRegistry(c.dlpRegistry);
        c.queryEngine = new QueryEngine(
            admin, c.refinerRegistry, c.dataRegistry, DEFAULT_PROTOCOL_SHARE_BPS, admin, DEFAULT_DATA_DAO_SHARE_BPS
        );
        c.dataRegistry.setTeePool(address(c.teePool));
        c.dataRegistry.setRefinerRegistry(address(c.refinerRegistry));
        c.executionRecord = new ExecutionRecord();
        c.settlement = new Settlement(c.queryEngine, c.refinerRegistry, c.dataRegistry);
        c.taskCoordinator =
            new TaskCoordinator(c.queryEngine, c.refinerRegistry, c.teePool, c.executionRecord, c.settlement);
        c.challengerRegistry = new ChallengerRegistry(c.refinerRegistry, c.teePool, DEFAULT_CHALLENGER_BOND);
        c.disputeGame = new DisputeGame(c.challengerRegistry, c.refinerRegistry, c.teePool, defaultGameConfig());
        c.verifier = new Verifier(c.taskCoordinator, c.executionRecord, c.settlement, c.teePool, c.disputeGame);
        c.executionRecord.bind(address(c.taskCoordinator), address(c.verifier));
        c.settlement.bind(address(c.taskCoordinator), address(c.verifier));
        c.disputeGame.bind(address(c.taskCoordinator), address(c.verifier));
        c.challengerRegistry.bindGame(address(c.disputeGame));
        // Last, so every address before it stays where it was.
        c.ownershipRegistry = new OwnershipRegistry(c.teePool, c.dataRegistry);
    }
}

/// @notice `forge script` entry point.
contract DeployDataCoop {
    function run() external returns (DataCoopDeployment.Contracts memory c) {
        vm.startBroadcast();
        c = DataCoopDeployment.deploy(
            tx.origin, DataCoopDeployment.DEFAULT_TEE_FEE, DataCoopDeployment.DEFAULT_CANCEL_DELAY
        );
        vm.stopBroadcast();
    }
}
