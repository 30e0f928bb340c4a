// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../test/utils/Vm.sol";
import {DataRegistry} from "../src/DataRegistry.sol";
import {TeePool} from "../src/TeePool.sol";
import {DataLiquidityPoolRegistry} from "../src/DataLiquidityPoolRegistry.sol";

/// @notice Deploys the contribution contracts in the order their links need: the registry, the
///         DataDAO registry, the validator pool, then the registry learns its pool. The Java
///         deployer (`coop up`) follows the same order; forge users run
///         `forge script script/DeployDataCoop.s.sol --rpc-url URL --private-key KEY --broadcast`.
library DataCoopDeployment {
    struct Contracts {
        DataRegistry dataRegistry;
        DataLiquidityPoolRegistry dlpRegistry;
        TeePool teePool;
    }

    uint256 internal constant DEFAULT_TEE_FEE = 0.01 ether;
    uint256 internal constant DEFAULT_CANCEL_DELAY = 1 hours;

    /// @param admin owns the registry and holds the pool's admin and maintainer roles; must be the caller
    function deploy(address admin, uint256 teeFee, uint256 cancelDelay) internal returns (Contracts memory c) {
        c.dataRegistry = new DataRegistry(admin);
        c.dlpRegistry = new DataLiquidityPoolRegistry(c.dataRegistry);
        c.teePool = new TeePool(admin, c.dataRegistry, c.dlpRegistry, teeFee, cancelDelay);
        c.dataRegistry.setTeePool(address(c.teePool));
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
