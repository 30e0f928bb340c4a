// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IDataRefinerRegistry} from "./interfaces/IDataRefinerRegistry.sol";
import {IDataLiquidityPoolRegistry} from "./interfaces/IDataLiquidityPoolRegistry.sol";

/// @title DataRefinerRegistry
/// @notice Schemas, refiners and refinement services. A refiner pins its program's digest, as a
///         DataDAO pins its proof program, so a service cannot run other code under its name; only a
///         DataDAO's owner adds its refiners and the services it trusts with its data.
contract DataRefinerRegistry is IDataRefinerRegistry {
    IDataLiquidityPoolRegistry public immutable dlpRegistry;

    Schema[] private _schemas;
    Refiner[] private _refiners;
    mapping(uint256 dlpId => uint256[] refinerIds) private _dlpRefiners;
    mapping(uint256 dlpId => address[] services) private _services;
    mapping(uint256 dlpId => mapping(address service => bool)) private _isService;

    /// @param registry the DataDAOs whose owners manage refiners and services
    constructor(IDataLiquidityPoolRegistry registry) {
        dlpRegistry = registry;
    }

    /// @inheritdoc IDataRefinerRegistry
    function addSchema(string calldata name, string calldata dialect, string calldata definitionUrl, bytes32 definitionDigest)
        external
        returns (uint256 schemaId)
    {
        if (bytes(name).length == 0) revert DataRefinerRegistryEmptyField("name");
        if (bytes(dialect).length == 0) revert DataRefinerRegistryEmptyField("dialect");
        if (bytes(definitionUrl).length == 0) revert DataRefinerRegistryEmptyField("definitionUrl");
        if (definitionDigest == bytes32(0)) revert DataRefinerRegistryEmptyField("definitionDigest");
        _schemas.push(Schema(name, dialect, definitionUrl, definitionDigest));
        schemaId = _schemas.length;
        emit SchemaAdded(schemaId, name, dialect, definitionUrl);
    }

    /// @inheritdoc IDataRefinerRegistry
    function schemas(uint256 schemaId) external view returns (Schema memory) {
        if (schemaId == 0 || schemaId > _schemas.length) revert DataRefinerRegistryUnknownSchema(schemaId);
        return _schemas[schemaId - 1];
    }

    /// @inheritdoc IDataRefinerRegistry
    function schemasCount() external view returns (uint256) {
        return _schemas.length;
    }

    /// @inheritdoc IDataRefinerRegistry
    function addRefiner(
        uint256 dlpId,
        string calldata name,
        uint256 schemaId,
        string calldata refinementInstructionUrl,
        bytes32 refinementInstructionDigest
    ) external returns (uint256 refinerId) {
        _requireDataDaoOwner(dlpId);
        if (schemaId == 0 || schemaId > _schemas.length) revert DataRefinerRegistryUnknownSchema(schemaId);
        if (bytes(name).length == 0) revert DataRefinerRegistryEmptyField("name");
        if (bytes(refinementInstructionUrl).length == 0) revert DataRefinerRegistryEmptyField("refinementInstructionUrl");
        if (refinementInstructionDigest == bytes32(0)) revert DataRefinerRegistryEmptyField("refinementInstructionDigest");
        _refiners.push(Refiner(dlpId, name, schemaId, refinementInstructionUrl, refinementInstructionDigest));
        refinerId = _refiners.length;
        _dlpRefiners[dlpId].push(refinerId);
        emit RefinerAdded(refinerId, dlpId, schemaId, name);
    }

    /// @inheritdoc IDataRefinerRegistry
    function refiners(uint256 refinerId) external view returns (Refiner memory) {
        if (refinerId == 0 || refinerId > _refiners.length) revert DataRefinerRegistryUnknownRefiner(refinerId);
        return _refiners[refinerId - 1];
    }

    /// @inheritdoc IDataRefinerRegistry
    function refinerDlpId(uint256 refinerId) external view returns (uint256) {
        if (refinerId == 0 || refinerId > _refiners.length) revert DataRefinerRegistryUnknownRefiner(refinerId);
        return _refiners[refinerId - 1].dlpId;
    }

    /// @inheritdoc IDataRefinerRegistry
    function refinersCount() external view returns (uint256) {
        return _refiners.length;
    }

    /// @inheritdoc IDataRefinerRegistry
    function dlpRefiners(uint256 dlpId) external view returns (uint256[] memory) {
        return _dlpRefiners[dlpId];
    }

    /// @inheritdoc IDataRefinerRegistry
    function dlpOwner(uint256 dlpId) public view returns (address) {
        address pool = dlpRegistry.dlps(dlpId);
        if (pool == address(0)) revert DataRefinerRegistryUnknownDataDao(dlpId);
        return Ownable(pool).owner();
    }

    /// @inheritdoc IDataRefinerRegistry
    function addRefinementService(uint256 dlpId, address service) external {
        _requireDataDaoOwner(dlpId);
        if (service == address(0)) revert DataRefinerRegistryZeroAddress();
        if (_isService[dlpId][service]) revert DataRefinerRegistryServiceAlreadyAdded(dlpId, service);
        _isService[dlpId][service] = true;
        _services[dlpId].push(service);
        emit RefinementServiceAdded(dlpId, service);
    }

    /// @inheritdoc IDataRefinerRegistry
    function removeRefinementService(uint256 dlpId, address service) external {
        _requireDataDaoOwner(dlpId);
        if (!_isService[dlpId][service]) revert DataRefinerRegistryNotService(dlpId, service);
        _isService[dlpId][service] = false;
        address[] storage services = _services[dlpId];
        for (uint256 i = 0; i < services.length; i++) {
            if (services[i] == service) {
                services[i] = services[services.length - 1];
                services.pop();
                break;
            }
        }
        emit RefinementServiceRemoved(dlpId, service);
    }

    /// @inheritdoc IDataRefinerRegistry
    function isRefinementService(uint256 dlpId, address service) external view returns (bool) {
        return _isService[dlpId][service];
    }

    /// @inheritdoc IDataRefinerRegistry
    function dlpRefinementServices(uint256 dlpId) external view returns (address[] memory) {
        return _services[dlpId];
    }

    function _requireDataDaoOwner(uint256 dlpId) private view {
        if (dlpOwner(dlpId) != msg.sender) revert DataRefinerRegistryNotDataDaoOwner(dlpId, msg.sender);
    }
}
