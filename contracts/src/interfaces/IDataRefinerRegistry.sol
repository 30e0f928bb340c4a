// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IDataLiquidityPoolRegistry} from "./IDataLiquidityPoolRegistry.sol";

/// @title IDataRefinerRegistry
/// @notice Schemas of refined tables, the refiners that turn a DataDAO's validated files into
///         those tables, and the services a DataDAO trusts to run its refiners and queries.
interface IDataRefinerRegistry {
    /// @notice A table layout that refined data follows.
    struct Schema {
        string name;
        string dialect;
        string definitionUrl;
        bytes32 definitionDigest;
    }

    /// @notice A DataDAO's refinement program and the schema its output follows.
    struct Refiner {
        uint256 dlpId;
        string name;
        uint256 schemaId;
        string refinementInstructionUrl;
        bytes32 refinementInstructionDigest;
    }

    event SchemaAdded(uint256 indexed schemaId, string name, string dialect, string definitionUrl);
    event RefinerAdded(uint256 indexed refinerId, uint256 indexed dlpId, uint256 indexed schemaId, string name);
    event RefinementServiceAdded(uint256 indexed dlpId, address indexed service);
    event RefinementServiceRemoved(uint256 indexed dlpId, address indexed service);

    error DataRefinerRegistryUnknownSchema(uint256 schemaId);
    error DataRefinerRegistryUnknownRefiner(uint256 refinerId);
    error DataRefinerRegistryUnknownDataDao(uint256 dlpId);
    error DataRefinerRegistryNotDataDaoOwner(uint256 dlpId, address caller);
    error DataRefinerRegistryEmptyField(string field);
    error DataRefinerRegistryZeroAddress();
    error DataRefinerRegistryServiceAlreadyAdded(uint256 dlpId, address service);
    error DataRefinerRegistryNotService(uint256 dlpId, address service);

    /// @notice Publishes a schema; anyone may, and any DataDAO may use it.
    /// @param definitionDigest SHA-256 of the definition document, so a changed document is detected
    function addSchema(string calldata name, string calldata dialect, string calldata definitionUrl, bytes32 definitionDigest)
        external
        returns (uint256 schemaId);

    /// @notice Schema `schemaId`; reverts for an unknown id.
    function schemas(uint256 schemaId) external view returns (Schema memory);

    /// @notice How many schemas exist; ids run from 1 to this.
    function schemasCount() external view returns (uint256);

    /// @notice Adds a refiner to DataDAO `dlpId`; its owner only.
    /// @param refinementInstructionDigest SHA-256 of the refinement program; services refuse other bytes
    function addRefiner(
        uint256 dlpId,
        string calldata name,
        uint256 schemaId,
        string calldata refinementInstructionUrl,
        bytes32 refinementInstructionDigest
    ) external returns (uint256 refinerId);

    /// @notice Refiner `refinerId`; reverts for an unknown id.
    function refiners(uint256 refinerId) external view returns (Refiner memory);

    /// @notice The DataDAO of refiner `refinerId`, reading nothing else of it; reverts for an unknown id.
    function refinerDlpId(uint256 refinerId) external view returns (uint256);

    /// @notice How many refiners exist; ids run from 1 to this.
    function refinersCount() external view returns (uint256);

    /// @notice The refiners of DataDAO `dlpId`, oldest first.
    function dlpRefiners(uint256 dlpId) external view returns (uint256[] memory);

    /// @notice The DataDAOs whose owners manage refiners and services.
    function dlpRegistry() external view returns (IDataLiquidityPoolRegistry);

    /// @notice The owner of DataDAO `dlpId`; reverts for an unknown DataDAO.
    function dlpOwner(uint256 dlpId) external view returns (address);

    /// @notice Lets `service` refine and serve queries for DataDAO `dlpId`; its owner only.
    function addRefinementService(uint256 dlpId, address service) external;

    /// @notice Withdraws that trust; its owner only.
    function removeRefinementService(uint256 dlpId, address service) external;

    /// @notice Whether `service` may refine and serve queries for DataDAO `dlpId`.
    function isRefinementService(uint256 dlpId, address service) external view returns (bool);

    /// @notice The services of DataDAO `dlpId`.
    function dlpRefinementServices(uint256 dlpId) external view returns (address[] memory);
}
