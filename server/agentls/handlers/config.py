"""Settings from initializationOptions and workspace/didChangeConfiguration."""

from __future__ import annotations

from typing import Any

from lsprotocol import types

from agentls.server import AgentLanguageServer, guarded, log


def register(server: AgentLanguageServer) -> None:
    @server.feature(types.INITIALIZE)
    @guarded
    def initialize(params: types.InitializeParams) -> None:
        server.apply_settings(params.initialization_options)

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(params: types.DidChangeConfigurationParams) -> None:
        raw: Any = params.settings
        if isinstance(raw, dict) and raw.get("agentls") is not None:
            guarded(server.apply_settings)(raw["agentls"])
            return
        caps = server.client_capabilities.workspace
        if caps is None or not caps.configuration:
            if isinstance(raw, dict) and raw:
                guarded(server.apply_settings)(raw)
            return
        try:
            result = await server.workspace_configuration_async(
                types.ConfigurationParams(items=[types.ConfigurationItem(section="agentls")])
            )
        except Exception as e:
            log.warning("workspace/configuration failed: %r", e)
            return
        guarded(server.apply_settings)(result[0] if result else None)
