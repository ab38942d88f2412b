"""Flow files: read coordinators' YAML into flows, and check them before they go live."""

from bot.flowfiles.checker import check_paths, format_report
from bot.flowfiles.loader import FlowSet, LoadResult, load_files, load_flow, load_flows, parse_flow
from bot.flowfiles.positions import Position, Positions
from bot.flowfiles.problems import Code, Problem
from bot.flowfiles.texts import FlowText, flow_texts

__all__ = [
    "Code",
    "FlowSet",
    "FlowText",
    "LoadResult",
    "Position",
    "Positions",
    "Problem",
    "check_paths",
    "flow_texts",
    "format_report",
    "load_files",
    "load_flow",
    "load_flows",
    "parse_flow",
]
