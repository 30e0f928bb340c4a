// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title IOperatorTemplates
/// @notice Operator templates: what may be run over data, pinned by its code's digest, with the names of
///         its parameters. Anyone registers one; once registered it never changes, so terms written
///         against a template mean the same thing for good.
interface IOperatorTemplates {
    /// @notice What a template's digest pins: an allowed compute algorithm, a query shape, or the federated trainer.
    enum Kind {
        ALGORITHM,
        QUERY,
        FEDERATED
    }

    /// @notice A template as registered.
    /// @param codeDigest the digest of the code it runs (an algorithm's digest as the TaskCoordinator allows it,
    ///        a query shape's hash, or the federated trainer's digest)
    /// @param params the names of its parameters, in the order every constraint and value list follows
    struct Template {
        uint256 templateId;
        Kind kind;
        bytes32 codeDigest;
        string name;
        string[] params;
        address registeredBy;
    }

    event TemplateRegistered(
        uint256 indexed templateId, Kind kind, bytes32 indexed codeDigest, string name, string[] params, address indexed by
    );

    error OperatorTemplatesZeroDigest();
    error OperatorTemplatesEmptyName();
    /// @notice A template has from 1 to `max` parameters.
    error OperatorTemplatesParamCount(uint256 count, uint256 max);
    /// @notice Parameter `index` has an empty name or repeats an earlier one.
    error OperatorTemplatesBadParam(uint256 index, string name);
    error OperatorTemplatesUnknownTemplate(uint256 templateId);

    /// @notice Registers a template; anyone. Returns its id, counted from 1.
    function registerTemplate(Kind kind, bytes32 codeDigest, string calldata name, string[] calldata params)
        external
        returns (uint256 templateId);

    /// @notice Template `templateId`; reverts for an unknown id.
    function template(uint256 templateId) external view returns (Template memory);

    /// @notice How many parameters template `templateId` has; reverts for an unknown id.
    function paramCount(uint256 templateId) external view returns (uint256);

    /// @notice How many templates were registered: ids run from 1 to this.
    function templatesCount() external view returns (uint256);
}
