"""Recommended quantities in a reverse-logistics network. Pure: numbers in, numbers out; no Django import.

A network is a set of nodes (a facility in one role: collector -> sorter -> recoverer -> end_collector; a facility in
two roles is two nodes) joined by routes that run downstream. Each node has a yield y = output / input (0 < y <= 1).

Method (all quantities in tonnes per year):

1. The routes are sorted topologically (a cycle is refused). Walking that order backwards, i.e. from the end
   collector upstream, the end collector must receive the need; any other node must deliver the sum of the recommended
   quantities of its leaving routes and so must receive that output divided by its yield. The input a node must
   receive is split across the routes entering it in proportion to their `share` weights (equal by default).
   Nodes with no path to the end collector are recommended nothing.
2. A route's effective quantity is the one the user typed, else the recommended one. A node's planned inflow is the
   sum of its entering effective quantities; a node that nothing enters (a collector) must collect its outflow
   divided by its yield. Each node is then checked: it cannot send more than inflow x yield (mass balance), nor
   receive more than its capacity; the end collector is told when the routes deliver less than its need.
3. Problems that forbid submitting the network are structural: no end collector, nothing entering it, no collector
   upstream of it, or nodes that are not connected to it. Overruns and shortfalls are messages, not problems; they
   are also gathered, each with its node's label, as `figure_problems`: a node asked (recommended) or planned to
   take more than its capacity, a node sending more than its inflow x yield, the end collector short of its need.
   A network whose figures a controller would sign has neither problems nor figure problems.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

ROLE_STAGE = {"collector": 0, "sorter": 1, "recoverer": 2, "end_collector": 3}
_NOT_CONNECTED = "is not connected to the end collector"
_TOLERANCE = 1e-6  # relative: a gram in a tonne; shares and quantities are stored to 3 decimals


@dataclass(frozen=True)
class NodeIn:
    id: int
    role: str
    yield_ratio: float
    capacity_t: float | None
    label: str = ""


@dataclass(frozen=True)
class RouteIn:
    id: int
    origin: int
    destination: int
    share: float = 1.0
    quantity_t: float | None = None


@dataclass(frozen=True)
class NodeFlow:
    recommended_in_t: float
    recommended_out_t: float
    inflow_t: float
    outflow_t: float
    yield_ratio: float
    capacity_t: float | None
    capacity_use: float | None
    mass_balance_break: bool
    capacity_overrun: bool
    recommended_overrun: bool  # capacity known and recommended_in_t > capacity_t: the recommended share cannot be met
    reaches_end_collector: bool
    messages: tuple[str, ...]


@dataclass(frozen=True)
class RouteFlow:
    recommended_t: float
    quantity_t: float
    typed: bool
    split: float


@dataclass(frozen=True)
class NetworkFlows:
    nodes: dict[int, NodeFlow]
    routes: dict[int, RouteFlow]
    need_t: float
    delivered_t: float
    problems: tuple[str, ...]
    figure_problems: tuple[str, ...] = ()

    @property
    def can_submit(self) -> bool:
        return not self.problems

    @property
    def shortfall_t(self) -> float:
        """t/year the routes deliver below the need (0 when they deliver it, within the tolerance)."""
        return self.need_t - self.delivered_t if _exceeds(self.need_t, self.delivered_t) else 0.0


def _exceeds(a: float, b: float) -> bool:
    """a > b beyond a relative tolerance (so that 250 x 0.5 = 125 exactly is not a break)."""
    return a > b + _TOLERANCE * max(abs(a), abs(b))


def _t(x: float) -> str:
    """Tonnes for a message: thousands separated, at most two decimals, no trailing zeros (1,200 / 62.5)."""
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def _positive(x: float) -> bool:
    return math.isfinite(x) and x > 0


def _validate(nodes: Sequence[NodeIn], routes: Sequence[RouteIn], need_t: float) -> dict[int, NodeIn]:
    if not (math.isfinite(need_t) and need_t >= 0):
        raise ValueError(f"the need must be a finite number >= 0 (got {need_t})")
    by_id: dict[int, NodeIn] = {}
    for n in nodes:
        if n.id in by_id:
            raise ValueError(f"node {n.id} is given twice")
        if n.role not in ROLE_STAGE:
            raise ValueError(f"node {n.id} has an unknown role {n.role!r}")
        if not (_positive(n.yield_ratio) and n.yield_ratio <= 1):
            raise ValueError(f"node {n.id} has a yield {n.yield_ratio} outside (0, 1]")
        if n.capacity_t is not None and not (math.isfinite(n.capacity_t) and n.capacity_t >= 0):
            raise ValueError(f"node {n.id} has a capacity {n.capacity_t} below 0")
        by_id[n.id] = n
    end_collectors = [n.id for n in nodes if n.role == "end_collector"]
    if len(end_collectors) > 1:
        raise ValueError(f"more than one end collector node: {', '.join(map(str, end_collectors))}")
    route_ids: set[int] = set()
    for r in routes:
        if r.id in route_ids:
            raise ValueError(f"route {r.id} is given twice")
        route_ids.add(r.id)
        for end in (r.origin, r.destination):
            if end not in by_id:
                raise ValueError(f"route {r.id} refers to an unknown node {end}")
        if not _positive(r.share):
            raise ValueError(f"route {r.id} has a share {r.share}; a share is > 0")
        if r.quantity_t is not None and not _positive(r.quantity_t):
            raise ValueError(f"route {r.id} has a typed quantity {r.quantity_t}; a typed quantity is > 0")
    return by_id


def _topological_order(node_ids: Sequence[int], routes: Sequence[RouteIn]) -> list[int]:
    """Kahn's algorithm: upstream nodes first. On a cycle, name the nodes that lie on (or between) cycles."""
    indegree = {v: 0 for v in node_ids}
    for r in routes:
        indegree[r.destination] += 1
    downstream: dict[int, list[int]] = {v: [] for v in node_ids}
    for r in routes:
        downstream[r.origin].append(r.destination)
    order = [v for v in node_ids if indegree[v] == 0]
    for v in order:  # `order` grows while we walk it
        for w in downstream[v]:
            indegree[w] -= 1
            if indegree[w] == 0:
                order.append(w)
    if len(order) < len(node_ids):
        left = set(node_ids) - set(order)
        while sinks := {v for v in left if not any(r.origin == v and r.destination in left for r in routes)}:
            left -= sinks  # drop the nodes merely downstream of a cycle
        raise ValueError(f"the routes form a cycle through nodes {', '.join(map(str, sorted(left)))}")
    return order


def compute(nodes: Sequence[NodeIn], routes: Sequence[RouteIn], need_t: float) -> NetworkFlows:
    """Recommended and planned quantities of every node and route, with the checks described in the module doc."""
    by_id = _validate(nodes, routes, need_t)
    order = _topological_order(list(by_id), routes)
    entering: dict[int, list[RouteIn]] = {v: [] for v in by_id}
    leaving: dict[int, list[RouteIn]] = {v: [] for v in by_id}
    for r in routes:
        entering[r.destination].append(r)
        leaving[r.origin].append(r)
    end = next((n.id for n in nodes if n.role == "end_collector"), None)

    reaches: set[int] = set()
    stack = [] if end is None else [end]
    while stack:
        v = stack.pop()
        if v not in reaches:
            reaches.add(v)
            stack.extend(r.origin for r in entering[v])

    total_share = {v: sum(r.share for r in entering[v]) for v in by_id}
    split = {r.id: r.share / total_share[r.destination] for r in routes}
    rec_in: dict[int, float] = {}
    rec_out: dict[int, float] = {}
    rec_route: dict[int, float] = {}
    for v in reversed(order):  # downstream first: every leaving route is known before its origin
        if v == end:
            rec_out[v], rec_in[v] = 0.0, float(need_t)
        elif v in reaches:
            rec_out[v] = sum(rec_route[r.id] for r in leaving[v])
            rec_in[v] = rec_out[v] / by_id[v].yield_ratio
        else:
            rec_out[v] = rec_in[v] = 0.0
        for r in entering[v]:
            rec_route[r.id] = rec_in[v] * split[r.id]

    route_flows = {
        r.id: RouteFlow(
            recommended_t=rec_route[r.id],
            typed=r.quantity_t is not None,
            split=split[r.id],
            quantity_t=float(r.quantity_t) if r.quantity_t is not None else rec_route[r.id],
        )
        for r in routes
    }
    node_flows: dict[int, NodeFlow] = {}
    for n in nodes:
        y = n.yield_ratio
        outflow = 0.0 if n.id == end else sum(route_flows[r.id].quantity_t for r in leaving[n.id])
        inflow = sum(route_flows[r.id].quantity_t for r in entering[n.id]) if entering[n.id] else outflow / y
        if n.capacity_t is None:
            use = None
        elif n.capacity_t == 0:
            use = math.inf if inflow > 0 else 0.0
        else:
            use = inflow / n.capacity_t
        balance_break = bool(entering[n.id]) and _exceeds(outflow, inflow * y)
        overrun = n.capacity_t is not None and _exceeds(inflow, n.capacity_t)
        recommended_overrun = n.capacity_t is not None and _exceeds(rec_in[n.id], n.capacity_t)
        messages = []
        if end is not None and n.id not in reaches:
            messages.append(_NOT_CONNECTED)
        if balance_break:
            messages.append(
                f"sends {_t(outflow)} t/year but can deliver at most {_t(inflow * y)} t/year "
                f"(inflow {_t(inflow)} t/year x yield {y:g})"
            )
        if overrun and n.capacity_t is not None:
            messages.append(f"needs {_t(inflow)} t/year but its capacity is {_t(n.capacity_t)} t/year")
        if recommended_overrun and not overrun and n.capacity_t is not None:
            messages.append(
                f"would need {_t(rec_in[n.id])} t/year to take its recommended share, above its "
                f"capacity of {_t(n.capacity_t)} t/year"
            )
        if n.id == end and _exceeds(need_t, inflow):
            messages.append(f"needs {_t(need_t)} t/year but the routes deliver only {_t(inflow)} t/year")
        node_flows[n.id] = NodeFlow(
            recommended_in_t=rec_in[n.id],
            recommended_out_t=rec_out[n.id],
            inflow_t=inflow,
            outflow_t=outflow,
            yield_ratio=y,
            capacity_t=n.capacity_t,
            capacity_use=use,
            mass_balance_break=balance_break,
            capacity_overrun=overrun,
            recommended_overrun=recommended_overrun,
            reaches_end_collector=n.id in reaches,
            messages=tuple(messages),
        )

    problems = []
    if end is None:
        problems.append("The scenario has no end collector node.")
    else:
        if not entering[end]:
            problems.append("No route reaches the end collector.")
        if not any(by_id[v].role == "collector" for v in reaches):
            problems.append("No collector feeds the end collector.")
        problems += [
            f"{n.label or f'Node {n.id}'} is not connected to the end collector." for n in nodes if n.id not in reaches
        ]
    delivered = node_flows[end].inflow_t if end is not None else 0.0
    figure_problems = tuple(
        f"{n.label or f'Node {n.id}'} {message}"
        for n in nodes
        for message in node_flows[n.id].messages
        if message != _NOT_CONNECTED
    )
    return NetworkFlows(
        nodes=node_flows,
        routes=route_flows,
        need_t=float(need_t),
        delivered_t=delivered,
        problems=tuple(problems),
        figure_problems=figure_problems,
    )
