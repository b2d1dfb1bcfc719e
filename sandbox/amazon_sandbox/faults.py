# Copyright 2026 amazon_punchout contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Fault injection: the spec syntax, and which faults fire for a request.

A spec is ``"http500*2,latency=0.5"``: comma-separated ``name``, ``name=value``,
``name*count``. Faults live on an account, globally, or on one request (header
``X-Sandbox-Fault`` or query ``?fault=``).
"""

from dataclasses import asdict, dataclass

# Faults on the sandbox's own answer to /punchout and /order.
RESPONSE_FAULTS = {"latency", "timeout", "http500", "cxml500", "malformed"}
# Faults on what the supplier does after accepting an order.
CALLBACK_FAULTS = {"duplicate", "out_of_order", "reject_line"}
FAULT_NAMES = RESPONSE_FAULTS | CALLBACK_FAULTS
DEFAULT_TIMEOUT_SLEEP = 35.0


@dataclass
class Fault:
    name: str
    value: float | None = None  # latency/timeout seconds, reject_line line number
    remaining: int | None = None  # None: fires forever
    spec: str = ""

    def public(self):
        return asdict(self)


def parse_faults(spec):
    """Parse ``"http500*2,latency=0.5"`` into a list of :class:`Fault`.

    :raise ValueError: on an unknown fault name or a bad number.
    """
    faults = []
    if isinstance(spec, list | tuple):
        spec = ",".join(spec)
    for raw in (spec or "").replace(";", ",").split(","):
        part = raw.strip()
        if not part:
            continue
        count = None
        if "*" in part:
            part, num = part.rsplit("*", 1)
            count = int(num)
        name, _sep, value = part.partition("=")
        name = name.strip().lower().replace("-", "_")
        if name not in FAULT_NAMES:
            raise ValueError(f"unknown fault {name!r} (known: {sorted(FAULT_NAMES)})")
        value = float(value) if value.strip() else None
        faults.append(Fault(name, value, count, raw.strip()))
    return faults


def consume(pool, kinds):
    """Fire the faults of ``pool`` among ``kinds``; counted ones are used up."""
    fired = {}
    for fault in list(pool):
        if fault.name not in kinds:
            continue
        fired[fault.name] = fault.value
        if fault.remaining is not None:
            fault.remaining -= 1
            if fault.remaining <= 0:
                pool.remove(fault)
    return fired


class FaultBook:
    """Global faults and the counters of per-request faults.

    A counted per-request fault counts per (spec, payloadID), so a client
    retrying one document with the same header sees e.g. 500, 500, 200.
    """

    def __init__(self, lock):
        self.lock = lock
        self.reset()

    def reset(self):
        with self.lock:
            self.global_faults = []
            self._request_counts = {}

    def set_global(self, spec):
        with self.lock:
            self.global_faults = parse_faults(spec)
            return [f.public() for f in self.global_faults]

    def public(self):
        with self.lock:
            return [f.public() for f in self.global_faults]

    def take(self, account, request_spec, key, kinds):
        """Return ``{name: value}`` of the faults that fire now."""
        fired = {}
        with self.lock:
            fired.update(consume(self.global_faults, kinds))
            if account is not None:
                fired.update(consume(account.faults, kinds))
            for fault in parse_faults(request_spec):
                if fault.name not in kinds:
                    continue
                if fault.remaining is not None:
                    counter = (request_spec, key, fault.name)
                    used = self._request_counts.get(counter, 0)
                    if used >= fault.remaining:
                        continue
                    self._request_counts[counter] = used + 1
                fired[fault.name] = fault.value
        return fired
