// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IDataRegistry} from "./interfaces/IDataRegistry.sol";
import {ITeePool} from "./interfaces/ITeePool.sol";
import {IDataLiquidityPoolRegistry} from "./interfaces/IDataLiquidityPoolRegistry.sol";
import {DataLiquidityPool} from "./DataLiquidityPool.sol";
import {DataDaoToken} from "./DataDaoToken.sol";
import {IDataAnchoringToken} from "./interfaces/dat/IDataAnchoringToken.sol";

/// @title DataLiquidityPoolRegistry
/// @notice Creates and numbers DataDAOs. Each gets its own pool contract and reward token, so a
///         DataDAO's budget can only be spent by its own rules.
contract DataLiquidityPoolRegistry is IDataLiquidityPoolRegistry {
    IDataRegistry public immutable dataRegistry;
    IDataAnchoringToken public immutable dataAnchoringToken;
    address[] private _pools;
    mapping(address pool => uint256 dlpId) private _dlpIdOf;

    /// @param registry the file registry every DataDAO rewards from; its validator pool is used
    /// @param anchoringToken the DAT every DataDAO's pool mints with its rewards, each into its own class
    constructor(IDataRegistry registry, IDataAnchoringToken anchoringToken) {
        dataRegistry = registry;
        dataAnchoringToken = anchoringToken;
    }

    /// @inheritdoc IDataLiquidityPoolRegistry
    function createDataLiquidityPool(DataDaoParams calldata params) external returns (uint256 dlpId, address pool) {
        if (bytes(params.name).length == 0) revert DataLiquidityPoolRegistryEmptyName();
        address teePool = dataRegistry.teePool();
        if (teePool == address(0)) revert DataLiquidityPoolRegistryTeePoolNotSet();
        dlpId = _pools.length + 1;
        DataDaoToken token = new DataDaoToken(params.tokenName, params.tokenSymbol, address(this), params.rewardBudget);
        pool = address(
            new DataLiquidityPool(
                dlpId,
                params.name,
                msg.sender,
                address(token),
                dataRegistry,
                ITeePool(teePool),
                params.programDigest,
                params.programUrl,
                params.rewardPerFile,
                dataAnchoringToken
            )
        );
        _pools.push(pool);
        _dlpIdOf[pool] = dlpId;
        bool funded = token.transfer(pool, params.rewardBudget);
        assert(funded);
        emit DataLiquidityPoolCreated(dlpId, pool, address(token), msg.sender, params.name);
    }

    /// @inheritdoc IDataLiquidityPoolRegistry
    function dlps(uint256 dlpId) external view returns (address) {
        if (dlpId == 0 || dlpId > _pools.length) return address(0);
        return _pools[dlpId - 1];
    }

    /// @inheritdoc IDataLiquidityPoolRegistry
    function dlpsCount() external view returns (uint256) {
        return _pools.length;
    }

    /// @inheritdoc IDataLiquidityPoolRegistry
    function dlpIdOf(address pool) external view returns (uint256) {
        return _dlpIdOf[pool];
    }
}
