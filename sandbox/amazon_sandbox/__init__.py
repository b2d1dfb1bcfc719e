# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Amazon Business punchout simulator (supplier side) for tests and demos."""

from .server import SandboxServer

__all__ = ["SandboxServer"]
