// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IOperatorTemplates} from "../interfaces/union/IOperatorTemplates.sol";

/// @title OperatorTemplates
/// @notice Anyone registers an operator template; nothing changes it afterwards, so terms and unions that
///         name it keep their meaning.
contract OperatorTemplates is IOperatorTemplates {
    /// @notice The most parameters a template has: constraints are checked per parameter, in bounded loops.
    uint256 public constant MAX_PARAMS = 16;

    Template[] private _templates;

    /// @inheritdoc IOperatorTemplates
    function registerTemplate(Kind kind, bytes32 codeDigest, string calldata name, string[] calldata params)
        external
        returns (uint256 templateId)
    {
        if (codeDigest == bytes32(0)) revert OperatorTemplatesZeroDigest();
        if (bytes(name).length == 0) revert OperatorTemplatesEmptyName();
        if (params.length == 0 || params.length > MAX_PARAMS) {
            revert OperatorTemplatesParamCount(params.length, MAX_PARAMS);
        }
        for (uint256 i = 0; i < params.length; i++) {
            if (bytes(params[i]).length == 0) revert OperatorTemplatesBadParam(i, params[i]);
            for (uint256 j = 0; j < i; j++) {
                if (keccak256(bytes(params[j])) == keccak256(bytes(params[i]))) {
                    revert OperatorTemplatesBadParam(i, params[i]);
                }
            }
        }
        templateId = _templates.length + 1;
        _templates.push(Template({
            templateId: templateId,
            kind: kind,
            codeDigest: codeDigest,
            name: name,
            params: params,
            registeredBy: msg.sender
        }));
        emit TemplateRegistered(templateId, kind, codeDigest, name, params, msg.sender);
    }

    /// @inheritdoc IOperatorTemplates
    function template(uint256 templateId) external view returns (Template memory) {
        return _template(templateId);
    }

    /// @inheritdoc IOperatorTemplates
    function paramCount(uint256 templateId) external view returns (uint256) {
        return _template(templateId).params.length;
    }

    /// @inheritdoc IOperatorTemplates
    function templatesCount() external view returns (uint256) {
        return _templates.length;
    }

    function _template(uint256 templateId) private view returns (Template storage) {
        if (templateId == 0 || templateId > _templates.length) revert OperatorTemplatesUnknownTemplate(templateId);
        return _templates[templateId - 1];
    }
}
