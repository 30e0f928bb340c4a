// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IDataAnchoringToken} from "./dat/IDataAnchoringToken.sol";

/// @title IDataLiquidityPoolRegistry
/// @notice Creates DataDAOs, each a DataLiquidityPool with its own ERC-20 reward token, and
///         numbers them.
interface IDataLiquidityPoolRegistry {
    /// @notice What a new DataDAO is made of.
    struct DataDaoParams {
        string name;
        string tokenName;
        string tokenSymbol;
        uint256 rewardBudget;
        uint256 rewardPerFile;
        bytes32 programDigest;
        string programUrl;
    }

    event DataLiquidityPoolCreated(
        uint256 indexed dlpId, address indexed pool, address indexed token, address ownerAddress, string name
    );

    error DataLiquidityPoolRegistryEmptyName();
    error DataLiquidityPoolRegistryUnknownDataDao(uint256 dlpId);
    error DataLiquidityPoolRegistryTeePoolNotSet();

    /// @notice Deploys a DataDAO owned by the caller; its whole token supply is its reward budget.
    function createDataLiquidityPool(DataDaoParams calldata params) external returns (uint256 dlpId, address pool);

    /// @notice The Data Anchoring Token the DataDAOs' pools mint with their rewards.
    function dataAnchoringToken() external view returns (IDataAnchoringToken);

    /// @notice The pool of DataDAO `dlpId`, or the zero address.
    function dlps(uint256 dlpId) external view returns (address);

    /// @notice How many DataDAOs exist.
    function dlpsCount() external view returns (uint256);

    /// @notice The id of the DataDAO whose pool is `pool`, or 0 when `pool` is none.
    function dlpIdOf(address pool) external view returns (uint256);
}
